"""A whole session's attendance in one go: the regulars of the action ticked on the session's
page, or a list of people sent to the API; all recorded or none."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.activities.models import Attendance
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.activities.factories import ActivityFactory, AttendanceFactory, SessionFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world):
    """An action with a past session where three people came, and today's session."""
    activity = ActivityFactory(organization=world.org)
    before = SessionFactory(activity=activity)
    regulars = [
        PersonFactory(organization=world.org, last_name=name) for name in ("Roux", "Petit", "Vidal")
    ]
    for person in regulars:
        AttendanceFactory(session=before, person=person)
    today = SessionFactory(activity=activity)
    return {"session": today, "regulars": regulars}


def test_the_regulars_are_ticked_and_noted_present_together(world, workshop):
    session, regulars = workshop["session"], workshop["regulars"]
    client = client_of(world.owner)
    url = reverse("activities:session_detail", args=[session.pk])
    page = client.get(url)
    assert "Habitué·es de cette action" in page.text
    assert [p.last_name for p in page.context["regulars"]] == ["Petit", "Roux", "Vidal"]
    response = client.post(
        reverse("activities:attendances_add", args=[session.pk]),
        {"persons": [regulars[0].pk, regulars[1].pk]},
        follow=True,
    )
    assert "2 personne(s) notée(s) présente(s)." in response.text
    assert Attendance.objects.filter(session=session).count() == 2
    # Those noted present leave the boxes; the third one stays to tick.
    assert [p.last_name for p in client.get(url).context["regulars"]] == ["Vidal"]


def test_nothing_ticked_or_a_stranger_writes_nothing(world, workshop):
    session = workshop["session"]
    client = client_of(world.owner)
    url = reverse("activities:attendances_add", args=[session.pk])
    empty = client.post(url, {}, follow=True)
    assert "Cochez au moins une personne présente." in empty.text
    stranger = PersonFactory(organization=world.other_org)
    client.post(url, {"persons": [stranger.pk, "x"]}, follow=True)
    assert not Attendance.objects.filter(session=session).exists()


def test_only_the_team_that_runs_the_session_may_tick(world, workshop):
    session, regulars = workshop["session"], workshop["regulars"]
    url = reverse("activities:attendances_add", args=[session.pk])
    body = {"persons": [regulars[0].pk]}
    assert client_of(world.colleague).post(url, body).status_code == 403  # read-only
    assert client_of(world.outsider).post(url, body).status_code == 404
    assert Client().post(url, body).status_code == 302
    assert not Attendance.objects.filter(session=session).exists()
    assert (
        client_of(world.colleague)
        .get(reverse("activities:session_detail", args=[session.pk]))
        .context["regulars"]
        == []
    )


def test_the_api_records_a_list_of_people_all_or_nothing(world, workshop, settings):
    settings.DEMO = True  # no second factor for this token's user
    counsellor = UserFactory()
    MembershipFactory(user=counsellor, organization=world.org, role="counsellor")
    api = token_client(counsellor)
    session, regulars = workshop["session"], workshop["regulars"]
    url = f"/api/v1/sessions/{session.pk}/attendances/bulk/"
    foreign = PersonFactory(organization=world.other_org)
    refused = api.post_json(url, {"persons": [regulars[0].pk, foreign.pk]})
    assert refused.status_code == 400 and "persons" in refused.json()
    assert api.post_json(url, {"persons": []}).status_code == 400
    assert not Attendance.objects.filter(session=session).exists()
    done = api.post_json(url, {"persons": [p.pk for p in regulars]})
    assert done.status_code == 201, done.content
    assert sorted(done.json()["attendees"]) == sorted(p.pk for p in regulars)
    again = api.post_json(url, {"persons": [regulars[0].pk]})
    assert again.status_code == 200
    assert Attendance.objects.filter(session=session).count() == 3
