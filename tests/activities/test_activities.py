import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ancrage.activities import services
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.people.queries import person_label
from tests.activities.factories import ActivityFactory, AttendanceFactory, SessionFactory
from tests.people.factories import PersonFactory
from tests.support.factories import DeskFactory

pytestmark = pytest.mark.django_db


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# --- Services ----------------------------------------------------------------------------------


def test_a_session_counts_named_people_and_a_head_count(world):
    session = SessionFactory(activity__organization=world.org)
    youth = PersonFactory(organization=world.org)
    services.record_attendance(session=session, person=youth, actor=world.owner)
    services.set_anonymous_count(session=session, count=12, actor=world.owner)
    session.refresh_from_db()
    assert session.attendances.count() == 1
    assert session.anonymous_count == 12


def test_the_same_person_is_counted_once_per_session(world):
    session = SessionFactory(activity__organization=world.org)
    youth = PersonFactory(organization=world.org, first_name="Élodie")
    services.record_attendance(session=session, person=youth, actor=world.owner)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(session=session, person=youth, actor=world.owner)
    assert "déjà notée présente" in exc.value.message_dict["person"][0]
    assert Attendance.objects.count() == 1


def test_presence_is_not_recorded_before_the_session(world):
    session = SessionFactory(
        activity__organization=world.org, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.record_attendance(
            session=session, person=PersonFactory(organization=world.org), actor=world.owner
        )
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.set_anonymous_count(session=session, count=3, actor=world.owner)


def test_a_person_of_another_organization_cannot_attend_our_session(world):
    session = SessionFactory(activity__organization=world.org)
    stranger = PersonFactory(organization=world.other_org)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(session=session, person=stranger, actor=world.owner)
    assert "n'est pas suivie par votre structure" in exc.value.message_dict["person"][0]


def test_a_session_needs_a_place_or_a_desk_and_our_own_desk(world):
    activity = ActivityFactory(organization=world.org)
    with pytest.raises(ValidationError) as exc:
        services.schedule_session(activity=activity, starts_at=timezone.now(), actor=world.owner)
    assert "place" in exc.value.message_dict
    foreign_desk = DeskFactory(organization=world.other_org)
    with pytest.raises(ValidationError) as exc:
        services.schedule_session(
            activity=activity, starts_at=timezone.now(), desk=foreign_desk, actor=world.owner
        )
    assert "desk" in exc.value.message_dict
    desk = DeskFactory(organization=world.org, name="Mairie de Lens")
    session = services.schedule_session(
        activity=activity, starts_at=timezone.now(), desk=desk, actor=world.owner
    )
    assert session.where == "Mairie de Lens"
    assert Session.objects.count() == 1


def test_read_only_colleague_cannot_write(world):
    session = SessionFactory(activity__organization=world.org)
    with pytest.raises(PermissionDenied):
        services.set_anonymous_count(session=session, count=3, actor=world.colleague)
    with pytest.raises(PermissionDenied):
        services.create_activity(
            organization=world.org, kind="fair", title="Salon", actor=world.colleague
        )


def test_negative_head_count_is_refused(world):
    session = SessionFactory(activity__organization=world.org)
    with pytest.raises(ValidationError) as exc:
        services.set_anonymous_count(session=session, count=-1, actor=world.owner)
    assert "négatif" in exc.value.message_dict["anonymous_count"][0]


# --- Pages -------------------------------------------------------------------------------------


def test_counsellor_creates_an_activity_schedules_a_session_and_records_presence(client, world):
    youth = PersonFactory(organization=world.org, last_name="Martin", first_name="Élodie")
    client.force_login(world.owner)
    page = client.post(
        reverse("activities:activity_create"),
        {"kind": "housing_workshop", "title": "Trouver son premier logement", "description": ""},
    )
    activity = Activity.objects.get()
    assert page.url == reverse("activities:activity_detail", args=[activity.pk])
    starts = timezone.now() - datetime.timedelta(hours=1)
    page = client.post(
        reverse("activities:session_add", args=[activity.pk]),
        {"starts_at": _local(starts), "duration_minutes": 90, "place": "Salle Europe"},
    )
    session = Session.objects.get()
    assert page.url == reverse("activities:session_detail", args=[session.pk])
    page = client.post(
        reverse("activities:attendance_add", args=[session.pk]), {"person": person_label(youth)}
    )
    assert page.status_code == 302
    client.post(
        reverse("activities:session_head_count", args=[session.pk]), {"anonymous_count": "5"}
    )
    detail = client.get(reverse("activities:session_detail", args=[session.pk]))
    assert "Élodie MARTIN" in detail.text
    assert "<strong>6</strong> participant·es" in detail.text
    listing = client.get(reverse("activities:activity_list"))
    assert listing.context["activities"][0].named_count == 1
    assert listing.context["activities"][0].anonymous_total == 5


def test_undo_a_presence_recorded_by_mistake(client, world):
    attendance = AttendanceFactory(session__activity__organization=world.org)
    client.force_login(world.owner)
    url = reverse("activities:attendance_remove", args=[attendance.session_id, attendance.pk])
    assert client.post(url).status_code == 302
    assert not Attendance.objects.exists()


def test_bad_session_input_names_the_field_and_saves_nothing(client, world):
    activity = ActivityFactory(organization=world.org)
    client.force_login(world.owner)
    page = client.post(
        reverse("activities:session_add", args=[activity.pk]),
        {"starts_at": "", "duration_minutes": 0, "place": ""},
    )
    assert page.status_code == 400
    errors = page.context["session_form"].errors
    assert set(errors) >= {"starts_at", "duration_minutes", "place"}
    assert not Session.objects.exists()


def test_unknown_person_is_named_in_the_error(client, world):
    session = SessionFactory(activity__organization=world.org)
    PersonFactory(organization=world.other_org, last_name="Ailleurs")
    client.force_login(world.owner)
    page = client.post(
        reverse("activities:attendance_add", args=[session.pk]), {"person": "Ailleurs"}
    )
    assert page.status_code == 400
    assert "Personne introuvable" in page.text
    assert not Attendance.objects.exists()


def test_outsiders_neither_list_nor_read_activities_sessions_or_attendance(client, world):
    attendance = AttendanceFactory(
        session__activity__organization=world.org,
        session__activity__title="Atelier secret",
        person__last_name="Confidentiel",
    )
    session = attendance.session
    client.force_login(world.outsider)
    assert "Atelier secret" not in client.get(reverse("activities:activity_list")).text
    assert client.get(reverse("activities:session_detail", args=[session.pk])).status_code == 404
    assert (
        client.get(reverse("activities:activity_detail", args=[session.activity_id])).status_code
        == 404
    )
    assert client.get(reverse("api:activity-list")).json()["results"] == []
    assert client.get(reverse("api:session-list")).json()["results"] == []
    assert client.get(reverse("api:session-detail", args=[session.pk])).status_code == 404
    response = client.post(
        reverse("activities:attendance_add", args=[session.pk]), {"person": "Confidentiel"}
    )
    assert response.status_code == 404


def test_read_only_colleague_reads_but_cannot_record(client, world):
    session = SessionFactory(activity__organization=world.org)
    client.force_login(world.colleague)
    page = client.get(reverse("activities:session_detail", args=[session.pk]))
    assert page.status_code == 200
    assert "Noter présente" not in page.text
    response = client.post(
        reverse("activities:session_head_count", args=[session.pk]), {"anonymous_count": "3"}
    )
    assert response.status_code == 403


def test_api_gives_sessions_with_attendees_and_participant_counts(client, world):
    attendance = AttendanceFactory(session__activity__organization=world.org)
    session = attendance.session
    session.anonymous_count = 4
    session.save()
    client.force_login(world.owner)
    data = client.get(reverse("api:session-detail", args=[session.pk])).json()
    assert data["attendees"] == [attendance.person_id]
    assert data["participant_count"] == 5
    activity = client.get(reverse("api:activity-list")).json()["results"][0]
    assert activity["session_count"] == 1
    assert activity["participant_count"] == 5


@pytest.mark.parametrize(
    "url_name",
    ["activities:activity_list", "activities:activity_detail", "activities:session_detail"],
)
def test_pages_keep_a_constant_query_count(client, world, url_name, count_queries):
    activity = ActivityFactory(organization=world.org)
    session = SessionFactory(activity=activity)
    args = {
        "activities:activity_list": [],
        "activities:activity_detail": [activity.pk],
        "activities:session_detail": [session.pk],
    }[url_name]
    url = reverse(url_name, args=args)
    client.force_login(world.owner)
    AttendanceFactory(session=session)
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(49):
        other = ActivityFactory(organization=world.org)
        SessionFactory(activity=activity)
        AttendanceFactory(session=SessionFactory(activity=other))
        AttendanceFactory(session=session)
    assert count() == one


@pytest.mark.parametrize("url_name", ["api:activity-list", "api:session-list"])
def test_api_lists_keep_a_constant_query_count(client, world, url_name, count_queries):
    client.force_login(world.owner)
    url = reverse(url_name)
    AttendanceFactory(session__activity__organization=world.org)
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(49):
        AttendanceFactory(session__activity__organization=world.org)
    assert count() == one
