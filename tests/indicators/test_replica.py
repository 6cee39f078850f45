"""Dashboards read their figures from a PostgreSQL replica when one is set (issue 23): the same
pages and API answers, the rollup tables read on the replica's connection, every write and the
refresh on the primary. The test settings declare ``replica`` as a second connection to the test
database: what a streaming replica is to the application (committed rows, another connection)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.accounts.services import create_api_token
from ancrage.core.routers import REPLICA, ReplicaRouter
from ancrage.indicators.rollup import refresh_year
from tests.indicators.conftest import Year, build_year
from tests.indicators.test_pages import client_for, people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def year(transactional_db) -> Year:
    """Committed rows (the replica is another connection): built and refreshed here, not shared."""
    built = build_year()
    refresh_year(2025)
    refresh_year(2026)
    return built


def _pages(year, people):  # noqa: F811
    funder = client_for(people["funder"])
    team = client_for(people["team"])
    _, token = create_api_token(user=people["funder"], name="tableau", actor=people["funder"])
    return [
        funder.get(reverse("indicators:dashboard"), {"annee": 2026}),
        funder.get(
            reverse("indicators:dashboard"),
            {"dispositif": year.program.pk, "structure": year.cllaj.pk, "annee": 2026},
        ),
        team.get(reverse("indicators:dashboard"), {"annee": 2026}),
        client_for(None).get(
            reverse("api:indicator-values", args=["personnes_accompagnees"]),
            {"program": year.program.pk, "year": 2026, "level": "organization"},
            HTTP_AUTHORIZATION=f"Token {token}",
        ),
    ]


def _main(response) -> str:
    """The page without what changes between two requests (the CSRF token, the nonce)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_the_dashboards_read_the_figures_on_the_replica(year, people):  # noqa: F811
    from_primary = _pages(year, people)
    replica = connections[REPLICA]
    with (
        override_settings(ANCRAGE_DASHBOARD_DATABASE=REPLICA),
        CaptureQueriesContext(replica) as on_replica,
    ):
        from_replica = _pages(year, people)
    assert [a.status_code for a in from_replica] == [200, 200, 200, 200]
    read = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "indicators_aggregate" in read and "indicators_refresh" in read
    assert "people_person" not in read and "support_" not in read
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in on_replica.captured_queries
    )
    # The same figures as from the primary.
    for first, second in zip(from_primary[:3], from_replica[:3], strict=True):
        assert _main(first) == _main(second)
    assert from_primary[3].json() == from_replica[3].json()
    assert len(from_replica[3].json()["results"]) == 2


def test_nothing_migrates_the_replica():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "indicators") is False
    assert router.allow_migrate("default", "indicators") is None
