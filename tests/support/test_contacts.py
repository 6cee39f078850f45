import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.support.models import Contact
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory, DeskFactory

pytestmark = pytest.mark.django_db


def contact_data(**overrides):
    data = {
        "direction": "incoming",
        "channel": "phone",
        "desk": "",
        "occurred_at": "2026-11-20T09:30",
        "subjects": ["housing"],
        "counterpart": "anonymous",
        "person": "",
        "partner": "",
        "age_band": "18_20",
        "commune": "",
        "situation": "apprentice",
        "outcome": "information",
        "outcome_detail": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner(client, world):
    client.force_login(world.owner)
    return client


def test_an_anonymous_call_is_logged_and_the_form_is_ready_for_the_next(owner, world):
    TerritoryFactory(code="62041", name="Arras", postal_codes="62000")
    response = owner.post(
        reverse("support:contact_create"),
        contact_data(subjects=["housing", "solvency"], commune="Arras"),
        follow=True,
    )
    contact = Contact.objects.get()
    assert contact.organization == world.org
    assert contact.is_anonymous
    assert contact.subjects == ["housing", "solvency"]
    assert contact.commune.name == "Arras"
    assert timezone.localtime(contact.occurred_at).strftime("%d/%m/%Y %H:%M") == "20/11/2026 09:30"
    assert response.request["PATH_INFO"] == reverse("support:contact_create")
    assert "Contact enregistré" in response.text


def test_a_contact_with_a_followed_person_keeps_no_anonymous_description(owner, world):
    person = PersonFactory(organization=world.org, last_name="Lefèvre", first_name="Élodie")
    owner.post(
        reverse("support:contact_create"),
        contact_data(
            counterpart="person", person=f"LEFÈVRE Élodie [{person.pk}]", channel="walk_in"
        ),
    )
    contact = Contact.objects.get()
    assert contact.person == person
    assert (contact.age_band, contact.situation) == ("", "")


def test_a_person_of_another_organization_cannot_be_attached(owner, world):
    theirs = PersonFactory(organization=world.other_org)
    response = owner.post(
        reverse("support:contact_create"),
        contact_data(counterpart="person", person=f"X [{theirs.pk}]"),
    )
    assert "Personne introuvable" in response.text
    assert Contact.objects.count() == 0


def test_suggestions_list_only_the_current_organizations_people(owner, world):
    PersonFactory(organization=world.org, last_name="Lefèvre", first_name="Élodie")
    PersonFactory(organization=world.other_org, last_name="Lefèvre", first_name="Éloïse")
    response = owner.get(reverse("people:person_suggest"), {"person": "lefev"})
    assert "Élodie" in response.text
    assert "Éloïse" not in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subjects": []}, "Cochez au moins un sujet."),
        ({"channel": "outreach_desk"}, "Indiquez la permanence délocalisée"),
        ({"counterpart": "partner"}, "Indiquez la structure partenaire."),
        ({"counterpart": "person"}, "Indiquez la personne suivie."),
        ({"occurred_at": "hier"}, "Saisissez une date et une heure valides."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(owner, overrides, message):
    response = owner.post(reverse("support:contact_create"), contact_data(**overrides))
    assert response.status_code == 400  # the form again, with the message, as on every page
    assert message in response.text
    assert Contact.objects.count() == 0


def test_a_decentralised_desk_is_recorded(owner, world):
    desk = DeskFactory(organization=world.org, name="Permanence de Lens")
    owner.post(
        reverse("support:contact_create"), contact_data(channel="outreach_desk", desk=desk.pk)
    )
    assert Contact.objects.get().desk == desk
    assert "Permanence de Lens" in owner.get(reverse("support:contact_list")).text


def test_another_organizations_desk_is_not_offered(owner, world):
    theirs = DeskFactory(organization=world.other_org)
    response = owner.post(
        reverse("support:contact_create"), contact_data(channel="outreach_desk", desk=theirs.pk)
    )
    assert "Sélectionnez un choix valide" in response.text
    assert Contact.objects.count() == 0


def test_the_database_refuses_a_desk_on_a_phone_call(world):
    desk = DeskFactory(organization=world.org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            organization=world.org,
            channel="phone",
            desk=desk,
            subjects=["housing"],
            outcome="information",
        )


def test_filters_by_channel_subject_and_dates(owner, world):
    day = datetime.datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/Paris"))
    ContactFactory(organization=world.org, channel="phone", subjects=["housing"], occurred_at=day)
    ContactFactory(
        organization=world.org, channel="email", subjects=["health", "mobility"], occurred_at=day
    )
    ContactFactory(
        organization=world.org,
        channel="email",
        subjects=["housing"],
        occurred_at=day - datetime.timedelta(days=40),
    )
    url = reverse("support:contact_list")
    assert owner.get(url, {"channel": "email"}).context["page"].count == 2
    assert owner.get(url, {"subject": "health"}).context["page"].count == 1
    assert (
        owner.get(url, {"subject": "housing", "start": "2026-03-01", "end": "2026-03-31"})
        .context["page"]
        .count
        == 1
    )


def test_outsiders_neither_list_nor_read_contacts(client, world):
    mine = ContactFactory(organization=world.org, outcome_detail="orienté vers la mission locale")
    client.force_login(world.outsider)
    assert "mission locale" not in client.get(reverse("support:contact_list")).text
    assert client.get(reverse("api:contact-detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("api:contact-list")).json()["results"] == []


def test_read_only_colleague_lists_but_cannot_log(client, world):
    ContactFactory(organization=world.org)
    client.force_login(world.colleague)
    assert client.get(reverse("support:contact_list")).status_code == 200
    assert client.post(reverse("support:contact_create"), contact_data()).status_code == 403
    assert Contact.objects.count() == 1


def test_logging_a_contact_is_audited(owner, world):
    owner.post(reverse("support:contact_create"), contact_data())
    event = AuditEvent.objects.for_object(Contact.objects.get()).get()
    assert event.action == "create"
    assert event.actor == world.owner


def test_contact_list_keeps_a_constant_query_count(owner, world, count_queries):
    person = PersonFactory(organization=world.org)
    desk = DeskFactory(organization=world.org)
    ContactFactory(organization=world.org, person=person)
    url = reverse("support:contact_list")
    owner.get(url)

    def count():
        return count_queries(lambda: owner.get(url))

    one = count()
    ContactFactory.create_batch(25, organization=world.org, person=person)
    ContactFactory.create_batch(24, organization=world.org, channel="outreach_desk", desk=desk)
    assert count() == one


def test_coordinators_add_desks_and_counsellors_cannot(client, world):
    from ancrage.accounts.enums import Role
    from tests.accounts.factories import MembershipFactory

    client.force_login(world.owner)
    client.post(
        reverse("support:desk_list"),
        {"name": "Permanence de Lens", "commune": "", "schedule": "mardi matin"},
    )
    assert world.org.desks.get().schedule == "mardi matin"
    counsellor = MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    client.force_login(counsellor)
    assert client.get(reverse("support:desk_list")).status_code == 403
