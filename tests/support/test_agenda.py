import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ancrage.accounts.enums import Role
from ancrage.people.queries import person_label
from ancrage.support import services
from ancrage.support.models import Appointment, CalendarFeed
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory
from tests.support.factories import DeskFactory

pytestmark = pytest.mark.django_db
TOMORROW = timezone.now() + datetime.timedelta(days=1)


def _appointment(world, *, starts_at=TOMORROW, counsellor=None, **kwargs):
    return services.schedule_appointment(
        person=kwargs.pop("person", None) or PersonFactory(organization=world.org),
        counsellor=counsellor or world.owner,
        starts_at=starts_at,
        actor=world.owner,
        **kwargs,
    )


def _feed(client, key):
    return client.get(reverse("support:calendar_feed", args=[key]))


def test_counsellor_fixes_an_appointment_from_the_agenda(client, world):
    youth = PersonFactory(organization=world.org, last_name="Martin", first_name="Élodie")
    client.force_login(world.owner)
    starts = timezone.localtime(TOMORROW).replace(hour=10, minute=0, second=0, microsecond=0)
    response = client.post(
        reverse("support:appointment_add"),
        {
            "person": person_label(youth),
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "counsellor": world.owner.pk,
            "place": "Bureau 2",
            "purpose": "Dossier Visale",
        },
    )
    assert response.url == reverse("support:agenda")
    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.starts_at) == (youth, starts)
    agenda = client.get(reverse("support:agenda"))
    assert "Élodie MARTIN" in agenda.text
    assert "Dossier Visale" in agenda.text


def test_appointment_form_names_the_wrong_fields(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("support:appointment_add"),
        {"person": "Personne inconnue", "starts_at": "", "duration_minutes": 0, "counsellor": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"person", "starts_at", "duration_minutes", "counsellor"}
    assert "Personne introuvable" in errors["person"][0]
    assert not Appointment.objects.exists()


def test_the_person_page_link_prefills_the_person(client, world):
    youth = PersonFactory(organization=world.org)
    client.force_login(world.owner)
    page = client.get(reverse("support:appointment_add") + f"?personne={youth.pk}")
    assert page.context["form"].initial["person"] == person_label(youth)
    stranger = PersonFactory(organization=world.other_org)
    assert (
        client.get(reverse("support:appointment_add") + f"?personne={stranger.pk}").status_code
        == 404
    )


def test_an_appointment_is_marked_honoured_only_once_it_has_begun(world):
    future = _appointment(world)
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.set_appointment_status(appointment=future, status="honoured", actor=world.owner)
    services.set_appointment_status(appointment=future, status="cancelled", actor=world.owner)
    past = _appointment(world, starts_at=timezone.now() - datetime.timedelta(hours=2))
    services.set_appointment_status(appointment=past, status="missed", actor=world.owner)
    past.refresh_from_db()
    assert past.status == "missed"


def test_the_counsellor_must_be_in_the_team_and_the_person_ours(world):
    with pytest.raises(ValidationError) as exc:
        _appointment(world, counsellor=world.outsider)
    assert "counsellor" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _appointment(world, desk=DeskFactory(organization=world.other_org))
    assert "desk" in exc.value.message_dict


def test_outsiders_neither_see_nor_change_our_appointments(client, world):
    appointment = _appointment(world, purpose="Confidentiel")
    client.force_login(world.outsider)
    assert "Confidentiel" not in client.get(reverse("support:agenda")).text
    response = client.post(
        reverse("support:appointment_status", args=[appointment.pk]), {"status": "cancelled"}
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "planned"


def test_the_feed_shows_times_and_first_names_never_the_purpose(client, world):
    youth = PersonFactory(organization=world.org, first_name="Élodie", last_name="Martin")
    _appointment(world, person=youth, place="Bureau 2", purpose="Dossier FSL, dettes")
    _appointment(
        world, counsellor=MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    )
    key = services.create_calendar_feed(actor=world.owner)
    response = _feed(Client(), key)
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Rendez-vous — Élodie M."
    assert str(events[0]["LOCATION"]) == "Bureau 2"
    assert b"FSL" not in response.content
    assert b"Martin" not in response.content
    assert CalendarFeed.objects.get().last_used_at is not None


def test_a_new_link_revokes_the_old_and_a_wrong_key_finds_nothing(world):
    old = services.create_calendar_feed(actor=world.owner)
    new = services.create_calendar_feed(actor=world.owner)
    client = Client()
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    assert _feed(client, "pas-une-cle").status_code == 404
    services.revoke_calendar_feed(actor=world.owner)
    assert _feed(client, new).status_code == 404


def test_the_feed_stops_showing_an_organization_the_user_left(world):
    _appointment(world)
    key = services.create_calendar_feed(actor=world.owner)
    world.owner_membership.is_active = False
    world.owner_membership.save()
    events = Calendar.from_ical(_feed(Client(), key).content).walk("VEVENT")
    assert events == []


def test_the_link_is_shown_once_and_only_its_hash_is_kept(client, world):
    client.force_login(world.owner)
    client.post(reverse("support:calendar_feed_create"))
    first = client.get(reverse("support:agenda"))
    url = first.context["feed_url"]
    key = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert key not in CalendarFeed.objects.get().key_hash
    assert client.get(reverse("support:agenda")).context["feed_url"] is None


def test_agenda_query_count_is_constant(client, world, count_queries):
    client.force_login(world.owner)
    url = reverse("support:agenda")
    _appointment(world)
    _appointment(world, starts_at=timezone.now() - datetime.timedelta(days=1))
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for days in range(1, 50):
        _appointment(world, starts_at=timezone.now() + datetime.timedelta(hours=days))
        _appointment(world, starts_at=timezone.now() - datetime.timedelta(hours=days))
    assert count() == one
