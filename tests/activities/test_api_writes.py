"""Workshops, their sessions, attendance and head counts written through the API."""

from __future__ import annotations

import datetime

import pytest

from ancrage.activities.models import Activity, Attendance, Session
from tests.accounts.factories import MembershipFactory
from tests.activities.factories import ActivityFactory, SessionFactory
from tests.api.clients import token_client
from tests.people.factories import PersonFactory


@pytest.fixture
def counsellor(world):
    return MembershipFactory(organization=world.org, role="counsellor").user


def test_a_past_workshop_with_its_attendance_replayed(world, counsellor):
    api = token_client(counsellor)
    created = api.post_json(
        "/api/v1/activities/",
        {"kind": "housing_workshop", "title": "Budget et logement", "external_ref": "at-1"},
    )
    assert created.status_code == 201, created.content
    activity = created.json()["id"]
    again = api.post_json(
        "/api/v1/activities/",
        {"kind": "housing_workshop", "title": "Budget", "external_ref": "at-1"},
    )
    assert (again.status_code, again.json()["id"]) == (200, activity)
    session = api.post_json(
        "/api/v1/sessions/",
        {"activity": activity, "starts_at": "2025-04-08T14:00:00+02:00", "place": "Siège"},
    )
    assert session.status_code == 201, session.content
    pk = session.json()["id"]
    people = PersonFactory.create_batch(3, organization=world.org)
    for person in people:
        response = api.post_json(f"/api/v1/sessions/{pk}/attendances/", {"person": person.pk})
        assert response.status_code == 201, response.content
    twice = api.post_json(f"/api/v1/sessions/{pk}/attendances/", {"person": people[0].pk})
    assert twice.status_code == 200
    counted = api.post_json(f"/api/v1/sessions/{pk}/head-count/", {"anonymous_count": 4})
    assert counted.status_code == 200
    assert (sorted(counted.json()["attendees"]), counted.json()["participant_count"]) == (
        sorted(p.pk for p in people),
        7,
    )
    removed = api.delete(f"/api/v1/sessions/{pk}/attendances/{people[2].pk}/")
    assert removed.status_code == 204
    assert Attendance.objects.filter(session_id=pk).count() == 2
    read = api.get(f"/api/v1/activities/{activity}/").json()
    assert (read["session_count"], read["participant_count"]) == (1, 6)


def test_attendance_of_someone_else_or_before_the_session_is_refused(world, counsellor):
    api = token_client(counsellor)
    tomorrow = SessionFactory(
        activity__organization=world.org,
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    mine = PersonFactory(organization=world.org)
    early = api.post_json(f"/api/v1/sessions/{tomorrow.pk}/attendances/", {"person": mine.pk})
    assert early.status_code == 400 and "pas encore eu lieu" in str(early.json())
    past = SessionFactory(activity__organization=world.org)
    theirs = PersonFactory(organization=world.other_org)
    foreign = api.post_json(f"/api/v1/sessions/{past.pk}/attendances/", {"person": theirs.pk})
    assert foreign.status_code == 400 and "person" in foreign.json()
    huge = api.post_json(f"/api/v1/sessions/{past.pk}/head-count/", {"anonymous_count": 10**6})
    assert huge.status_code == 400 and "anonymous_count" in huge.json()
    assert not Attendance.objects.exists()
    assert Session.objects.get(pk=past.pk).anonymous_count == 0


def test_activity_writes_by_role_and_organization(world, counsellor):
    activity = ActivityFactory(organization=world.org)
    session = SessionFactory(activity=activity)
    read_only = token_client(world.colleague)
    assert (
        read_only.post_json("/api/v1/activities/", {"kind": "housing_workshop", "title": "X"})
    ).status_code == 403
    assert (
        read_only.patch_json(f"/api/v1/activities/{activity.pk}/", {"title": "Y"})
    ).status_code == 403
    outsider = token_client(world.outsider)
    assert (
        outsider.patch_json(f"/api/v1/activities/{activity.pk}/", {"title": "Y"})
    ).status_code == 404
    assert (
        outsider.post_json(f"/api/v1/sessions/{session.pk}/head-count/", {"anonymous_count": 2})
    ).status_code == 404
    foreign_session = outsider.post_json(
        "/api/v1/sessions/", {"activity": activity.pk, "starts_at": "2025-04-08T14:00:00Z"}
    )
    assert foreign_session.status_code == 400 and "activity" in foreign_session.json()
    closed = token_client(counsellor).patch_json(
        f"/api/v1/activities/{activity.pk}/", {"is_active": False}
    )
    assert closed.status_code == 200 and closed.json()["is_active"] is False
    assert Activity.objects.get(pk=activity.pk).title == activity.title
    assert Session.objects.count() == 1


def test_a_session_without_a_place_names_the_field(world, counsellor):
    activity = ActivityFactory(organization=world.org)
    response = token_client(counsellor).post_json(
        "/api/v1/sessions/", {"activity": activity.pk, "starts_at": "2025-04-08T14:00:00Z"}
    )
    assert response.status_code == 400 and "place" in response.json()
    assert not Session.objects.exists()


def test_a_session_in_year_ten_is_refused(world, counsellor):
    activity = ActivityFactory(organization=world.org)
    response = token_client(counsellor).post_json(
        "/api/v1/sessions/",
        {"activity": activity.pk, "starts_at": "0010-01-01T10:00:00Z", "place": "Siège"},
    )
    assert response.status_code == 400 and "starts_at" in response.json()
    assert not Session.objects.exists()
