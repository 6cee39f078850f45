"""Shared fixtures: the four personas, and the rules that make browser and PostgreSQL tests honest.

- Browser tests (marker ``browser``) skip when Debian's Chromium is missing, with how to install it;
  when ``ANCRAGE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser fails instead.
- PostgreSQL tests (marker ``postgresql``) skip on SQLite, saying how to run them; when
  ``ANCRAGE_REQUIRE_POSTGRESQL=1`` they fail instead.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import sys
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from ancrage.accounts.enums import Role
from ancrage.accounts.models import Membership, Organization, User
from ancrage.audit.recorder import unlisted_bulk_write
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.database import tables_from_models

CHROMIUM = os.environ.get("ANCRAGE_CHROMIUM", "/usr/bin/chromium")


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _uses_the_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(names & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()) and "browser" not in item.keywords:
            item.add_marker(pytest.mark.browser)
    # CI's second database run (.ci/run, SQLite after PostgreSQL): a test that never touches the
    # database proves nothing new there — it ran once already.
    if os.environ.get("ANCRAGE_DATABASE_TESTS_ONLY") == "1":
        kept = [item for item in items if _uses_the_database(item)]
        config.hook.pytest_deselected(
            items=[item for item in items if not _uses_the_database(item)]
        )
        items[:] = kept
    _long_transactional_tests_first(items)


def _long_transactional_tests_first(items) -> None:
    """pytest-django runs the transactional tests (browser tests among them) after the others.
    A test of minutes among them, run in its turn, ran alone at the very end while the other
    process had nothing left (the every-page sweep: 2.5 of the SQLite run's last minutes):
    started first among them, the other process takes the rest meanwhile."""
    long = [item for item in items if item.get_closest_marker("runs_long")]
    if not long:
        return
    rest = [item for item in items if not item.get_closest_marker("runs_long")]
    first = next((i for i, item in enumerate(rest) if _is_transactional(item)), len(rest))
    items[:] = [*rest[:first], *long, *rest[first:]]


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        message = (
            f"Chromium absent ({CHROMIUM}) : installez-le avec `apt-get install -y chromium` "
            "pour lancer les tests dans le navigateur."
        )
        if os.environ.get("ANCRAGE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def _tables_from_models():
    with tables_from_models():
        yield


@pytest.fixture(scope="session")
def django_db_setup(_tables_from_models, django_db_setup):
    """pytest-django's test databases, built from the models (tests/database.py)."""
    yield


@pytest.fixture(autouse=True, scope="session")
def _no_unaudited_bulk_writes():
    """update() and bulk_* on an audited model fail any test that reaches them, unless the write is
    listed in ``audit.recorder.BULK_WRITES`` (and summarised) or touches only unaudited fields."""

    def refuse(model, what):
        if _unaudited_writes_allowed.get():
            return
        raise AssertionError(
            f"{what} sur {model._meta.label} contourne le journal d'audit : passez par "
            "audit.recorder.bulk_create/bulk_update avec une écriture listée dans BULK_WRITES."
        )

    update, bulk_create, bulk_update = QuerySet.update, QuerySet.bulk_create, QuerySet.bulk_update

    def guarded_update(self, **kwargs):
        # on_delete=SET_NULL and friends: the consequence of a delete(), which is in the trail.
        by_delete = sys._getframe(1).f_globals.get("__name__") == "django.db.models.deletion"
        if not by_delete and unlisted_bulk_write(self.model, kwargs):
            refuse(self.model, "update()")
        return update(self, **kwargs)

    def guarded_bulk_create(self, objs, *args, **kwargs):
        if unlisted_bulk_write(self.model, None):
            refuse(self.model, "bulk_create()")
        return bulk_create(self, objs, *args, **kwargs)

    def guarded_bulk_update(self, objs, fields, *args, **kwargs):
        if unlisted_bulk_write(self.model, fields):
            refuse(self.model, "bulk_update()")
        return bulk_update(self, objs, fields, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QuerySet, "update", guarded_update)
        patch.setattr(QuerySet, "bulk_create", guarded_bulk_create)
        patch.setattr(QuerySet, "bulk_update", guarded_bulk_update)
        yield


_unaudited_writes_allowed = contextvars.ContextVar("unaudited_writes_allowed", default=False)


@pytest.fixture(autouse=True)
def _unaudited_writes_marker(request):
    token = _unaudited_writes_allowed.set(
        request.node.get_closest_marker("unaudited_writes") is not None
    )
    yield
    _unaudited_writes_allowed.reset(token)


@pytest.fixture
def wsgi_keeps_connection():
    """For tests calling the WSGI application directly: its request_finished would close the test's
    connection (and its transaction) on PostgreSQL; Django's own test client disconnects it too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def count_queries():
    """``count_queries(action)``: how many SQL queries ``action()`` sends. A page or list keeps a
    constant count: count once, add rows, count again, compare. A response must be a 200 (or the
    ``expect`` given), so that an error page's few queries cannot pass for a constant count."""

    def count(action, *, expect: int | None = 200) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = action()
        status = getattr(result, "status_code", None)
        if expect is not None and status is not None:
            assert status == expect, f"HTTP {status} au lieu de {expect}"
        return len(captured.captured_queries)

    return count


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps used TOTP codes and rate limits in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _postgresql_only(request):
    if request.node.get_closest_marker("postgresql") and connection.vendor != "postgresql":
        message = "Test PostgreSQL : lancez `DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test`."
        if os.environ.get("ANCRAGE_REQUIRE_POSTGRESQL") == "1":
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class World:
    """Organization A with its admin (owner) and a read-only colleague; organization B with an outsider."""

    org: Organization
    other_org: Organization
    owner: User
    colleague: User
    outsider: User
    owner_membership: Membership
    colleague_membership: Membership
    outsider_membership: Membership


@pytest.fixture
def world(db) -> World:
    org = OrganizationFactory(name="CLLAJ de l'Artois")
    other_org = OrganizationFactory(name="Toit Partagé Rhône")
    # Fixed names: pages show the reader's own name, and a random one ("Jules", "Martin") could be
    # taken for the person a test looks for.
    owner_m = MembershipFactory(
        organization=org,
        role=Role.ADMIN,
        user__email="owner@exemple.fr",
        user__first_name="Propriétaire",
        user__last_name="Testeur",
    )
    colleague_m = MembershipFactory(
        organization=org,
        role=Role.READ_ONLY,
        user__email="colleague@exemple.fr",
        user__first_name="Collègue",
        user__last_name="Testeur",
    )
    outsider_m = MembershipFactory(
        organization=other_org,
        role=Role.ADMIN,
        user__email="outsider@exemple.fr",
        user__first_name="Extérieur",
        user__last_name="Testeur",
    )
    return World(
        org=org,
        other_org=other_org,
        owner=owner_m.user,
        colleague=colleague_m.user,
        outsider=outsider_m.user,
        owner_membership=owner_m,
        colleague_membership=colleague_m,
        outsider_membership=outsider_m,
    )


@pytest.fixture
def user_factory(db):
    return UserFactory
