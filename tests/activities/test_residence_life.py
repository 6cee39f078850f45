"""Activities of a residence: a session takes its slot in a common space (refused when taken),
people sign up within the space's capacity, and a session called off frees its slot."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ancrage.activities import services
from ancrage.activities.models import Registration, Session
from ancrage.housing import services as housing_services
from ancrage.housing.models import SpaceBooking
from tests.activities.factories import ActivityFactory, AttendanceFactory
from tests.api.clients import token_client
from tests.housing.factories import CommonSpaceFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(day_offset: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


@pytest.fixture
def room(world):
    residence = ResidenceFactory(organization=world.org, name="Maison du Lien")
    return CommonSpaceFactory(residence=residence, name="Salle commune", capacity=2)


@pytest.fixture
def workshop(world, room):
    return ActivityFactory(
        organization=world.org, title="Atelier mémoire", residence=room.residence
    )


def schedule(world, activity, room, start, minutes=120):
    return services.schedule_session(
        activity=activity, starts_at=start, duration_minutes=minutes, space=room, actor=world.owner
    )


def test_a_session_in_the_common_room_takes_its_slot(world, workshop, room):
    session = schedule(world, workshop, room, at(2, 14))
    booking = session.space_booking
    assert (booking.space, booking.starts_at, booking.ends_at) == (room, at(2, 14), at(2, 16))
    assert booking.purpose == "Atelier mémoire"
    assert session.place == "Salle commune — Maison du Lien"
    with pytest.raises(ValidationError) as exc:
        schedule(world, ActivityFactory(organization=world.org), room, at(2, 15))
    assert "« Salle commune » est déjà réservé" in exc.value.message_dict["starts_at"][0]
    assert Session.objects.count() == 1 and SpaceBooking.objects.count() == 1
    # The slot belongs to the session: it is freed by calling the session off, not elsewhere.
    with pytest.raises(ValidationError, match="annulez la séance"):
        housing_services.cancel_space_booking(booking=booking, actor=world.owner)
    services.cancel_session(session=session, actor=world.owner)
    assert not Session.objects.exists()
    booking.refresh_from_db()
    assert not booking.is_active
    schedule(world, ActivityFactory(organization=world.org), room, at(2, 15))


def test_a_session_where_someone_came_is_not_deleted(world, workshop, room):
    attendance = AttendanceFactory(session__activity=workshop)
    with pytest.raises(ValidationError, match="retirez-les d'abord"):
        services.cancel_session(session=attendance.session, actor=world.owner)
    assert Session.objects.filter(pk=attendance.session_id).exists()


def test_another_organizations_space_or_residence_is_refused(world, workshop):
    theirs = CommonSpaceFactory(residence__organization=world.other_org)
    with pytest.raises(ValidationError) as exc:
        schedule(world, workshop, theirs, at(2, 14))
    assert "space" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_activity(
            organization=world.org,
            kind="residence_life",
            title="Jardinage",
            residence=theirs.residence,
            actor=world.owner,
        )
    assert "residence" in exc.value.message_dict
    assert not SpaceBooking.objects.exists() and not Session.objects.exists()


def test_registrations_stop_at_the_rooms_capacity(world, workshop, room):
    session = schedule(world, workshop, room, at(3, 10))
    jeanne, marcel, sofia = (PersonFactory(organization=world.org) for _ in range(3))
    services.register(session=session, person=jeanne, actor=world.owner)
    with pytest.raises(ValidationError, match="déjà inscrite"):
        services.register(session=session, person=jeanne, actor=world.owner)
    services.register(session=session, person=marcel, actor=world.owner)
    with pytest.raises(ValidationError) as exc:
        services.register(session=session, person=sofia, actor=world.owner)
    assert exc.value.message_dict["person"] == ["Complet : 2 places, toutes prises."]
    with pytest.raises(ValidationError) as exc:
        services.register(
            session=session, person=PersonFactory(organization=world.other_org), actor=world.owner
        )
    assert "person" in exc.value.message_dict
    services.unregister(registration=Registration.objects.get(person=marcel), actor=world.owner)
    services.register(session=session, person=sofia, actor=world.owner)
    assert set(session.registrations.values_list("person", flat=True)) == {jeanne.pk, sofia.pk}


def test_a_past_session_takes_no_registration(world, workshop):
    past = services.schedule_session(
        activity=workshop,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        place="Salle",
        actor=world.owner,
    )
    with pytest.raises(ValidationError, match="inscriptions sont closes"):
        services.register(
            session=past, person=PersonFactory(organization=world.org), actor=world.owner
        )
    assert not Registration.objects.exists()


# Pages


def test_the_manager_plans_in_the_room_signs_people_up_and_calls_off(client, world, workshop, room):
    client.force_login(world.owner)
    day = at(4, 14)
    form = {
        "starts_at": day.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "space": str(room.pk),
        "place": "",
    }
    response = client.post(reverse("activities:session_add", args=[workshop.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get()
    assert session.space_booking.ends_at == day + datetime.timedelta(minutes=90)
    taken = client.post(
        reverse("activities:session_add", args=[workshop.pk]),
        {**form, "starts_at": (day + datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert taken.status_code == 400
    assert "« Salle commune » est déjà réservé" in taken.text
    assert Session.objects.count() == 1
    person = PersonFactory(organization=world.org, first_name="Jeanne", last_name="Lefort")
    from ancrage.people.queries import person_label

    signed = client.post(
        reverse("activities:registration_add", args=[session.pk]),
        {"inscription-person": person_label(person)},
    )
    assert signed.status_code == 302
    page = client.get(reverse("activities:session_detail", args=[session.pk]))
    assert "Inscriptions (1 sur 2 places)" in page.text
    unknown = client.post(
        reverse("activities:registration_add", args=[session.pk]),
        {"inscription-person": "Personne Inconnue"},
    )
    assert unknown.status_code == 400 and "Personne introuvable" in unknown.text
    assert Registration.objects.count() == 1
    gone = client.post(reverse("activities:session_cancel", args=[session.pk]))
    assert gone.url == reverse("activities:activity_detail", args=[workshop.pk])
    assert not Session.objects.exists() and not Registration.objects.exists()
    assert not SpaceBooking.objects.filter(is_active=True).exists()


def test_who_signs_up_and_who_calls_off(client, world, workshop, room):
    session = schedule(world, workshop, room, at(5, 10))
    registration = services.register(
        session=session, person=PersonFactory(organization=world.org), actor=world.owner
    )
    urls = [
        (reverse("activities:registration_add", args=[session.pk]), {"inscription-person": "x"}),
        (reverse("activities:registration_remove", args=[session.pk, registration.pk]), {}),
        (reverse("activities:session_cancel", args=[session.pk]), {}),
    ]
    for user, expected in ((world.colleague, 403), (world.outsider, 404)):
        client.force_login(user)
        for url, data in urls:
            assert client.post(url, data).status_code == expected, (user, url)
    client.logout()
    for url, data in urls:
        assert client.post(url, data).status_code == 302  # to the login page
    assert Session.objects.count() == 1 and Registration.objects.count() == 1


# API


def test_the_api_plans_in_the_room_and_signs_up(world, workshop, room):
    api = token_client(world.owner)
    sent = {
        "activity": workshop.pk,
        "starts_at": at(6, 14).isoformat(),
        "duration_minutes": 60,
        "space": room.pk,
    }
    created = api.post_json("/api/v1/sessions/", sent)
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["space"] == room.pk and session["place"] == "Salle commune — Maison du Lien"
    clash = api.post_json("/api/v1/sessions/", {**sent, "starts_at": at(6, 14).isoformat()})
    assert clash.status_code == 400 and "déjà réservé" in clash.json()["starts_at"][0]
    person = PersonFactory(organization=world.org)
    signed = api.post_json(
        f"/api/v1/sessions/{session['id']}/registrations/", {"person": person.pk}
    )
    assert signed.status_code == 201 and signed.json()["registered"] == [person.pk]
    removed = api.delete(f"/api/v1/sessions/{session['id']}/registrations/{person.pk}/")
    assert removed.status_code == 204
    assert api.delete(f"/api/v1/sessions/{session['id']}/").status_code == 204
    assert not Session.objects.exists()
    assert api.post_json("/api/v1/sessions/", sent).status_code == 201


def test_the_api_ties_an_activity_to_a_residence(world, room):
    api = token_client(world.owner)
    created = api.post_json(
        "/api/v1/activities/",
        {"kind": "residence_life", "title": "Jardinage", "residence": room.residence_id},
    )
    assert created.status_code == 201, created.content
    assert created.json()["residence"] == room.residence_id
    theirs = ResidenceFactory(organization=world.other_org)
    refused = api.patch_json(
        f"/api/v1/activities/{created.json()['id']}/", {"residence": theirs.pk}
    )
    assert refused.status_code == 400 and "residence" in refused.json()
    outsider = token_client(world.outsider)
    assert (
        outsider.post_json(
            "/api/v1/sessions/",
            {"activity": created.json()["id"], "starts_at": at(6, 9).isoformat()},
        ).status_code
        == 400
    )
