"""An enrollment through the API: the request, then its transitions as actions on real dates."""

from __future__ import annotations

import pytest

from ancrage.support.models import Enrollment, EnrollmentEvent, Exit
from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client
from tests.people.factories import PersonFactory

URL = "/api/v1/enrollments/"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def counsellor(world):
    return MembershipFactory(organization=world.org, role="counsellor").user


def test_a_year_of_support_replayed_on_its_real_dates(world, counsellor):
    person = PersonFactory(organization=world.org)
    client = token_client(counsellor)
    created = _post(client, URL, {"person": person.pk, "requested_on": "2025-02-03"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for action, on in (("start-assessment", "2025-02-10"), ("start-support", "2025-03-01")):
        response = _post(client, f"{URL}{pk}/{action}/", {"on": on})
        assert response.status_code == 200, response.content
    closed = _post(
        client,
        f"{URL}{pk}/close/",
        {"on": "2025-12-15", "outcome": "employment", "ready_for_housing": True},
    )
    assert closed.status_code == 200, closed.content
    enrollment = Enrollment.objects.get(pk=pk)
    assert (enrollment.status, str(enrollment.started_on), str(enrollment.ended_on)) == (
        "exited",
        "2025-03-01",
        "2025-12-15",
    )
    assert Exit.objects.get(enrollment=enrollment).outcome == "employment"
    assert [
        str(e.on) for e in EnrollmentEvent.objects.filter(enrollment=enrollment).order_by("id")
    ] == [
        "2025-02-03",
        "2025-02-10",
        "2025-03-01",
        "2025-12-15",
    ]


@pytest.mark.parametrize(
    "action, data, field, message",
    [
        ("start-support", {"on": "2099-01-01"}, "on", "dans le futur"),
        ("start-support", {"on": "2020-01-01"}, "on", "précéder la demande"),
        ("refuse", {"on": "2025-02-10", "note": ""}, "note", ""),
        ("close", {"on": "2025-02-10", "outcome": "nulle-part"}, "outcome", ""),
    ],
)
def test_a_bad_transition_names_the_field_and_changes_nothing(
    world, counsellor, action, data, field, message
):
    person = PersonFactory(organization=world.org)
    client = token_client(counsellor)
    pk = _post(client, URL, {"person": person.pk, "requested_on": "2025-02-03"}).json()["id"]
    response = _post(client, f"{URL}{pk}/{action}/", data)
    assert response.status_code == 400, response.content
    assert message in " ".join(str(m) for m in response.json()[field])
    assert Enrollment.objects.get(pk=pk).status == "requested"
    assert EnrollmentEvent.objects.filter(enrollment_id=pk).count() == 1


def test_a_transition_from_the_wrong_step_is_refused(world, counsellor):
    person = PersonFactory(organization=world.org)
    client = token_client(counsellor)
    pk = _post(client, URL, {"person": person.pk, "requested_on": "2025-02-03"}).json()["id"]
    response = _post(client, f"{URL}{pk}/close/", {"on": "2025-03-01", "outcome": "employment"})
    assert response.status_code == 400
    assert "Impossible depuis l'étape « Demande »" in response.json()["non_field_errors"][0]


def test_request_in_the_future_or_out_of_reach_is_refused(world, counsellor):
    mine = PersonFactory(organization=world.org)
    theirs = PersonFactory(organization=world.other_org)
    client = token_client(counsellor)
    future = _post(client, URL, {"person": mine.pk, "requested_on": "2099-01-01"})
    assert future.status_code == 400 and "requested_on" in future.json()
    assert (
        _post(client, URL, {"person": theirs.pk, "requested_on": "2025-01-01"}).status_code == 400
    )
    read_only = _post(
        token_client(world.colleague), URL, {"person": mine.pk, "requested_on": "2025-01-01"}
    )
    assert read_only.status_code == 403
    assert not Enrollment.objects.exists()
