import datetime

import pytest
import time_machine
from django.urls import reverse

from ancrage.audit.models import AuditEvent
from ancrage.people.models import Person
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "last_name": "Lefèvre",
        "first_name": "Élodie",
        "birth_date": "2004-05-17",
        "phone": "06 12 34 56 78",
        "email": "",
        "commune": "",
        "situation": "apprentice",
        "housing_situation": "hosted",
        "disability_recognised": "",
        "informed_on": "",
        "ressources-TOTAL_FORMS": "3",
        "ressources-INITIAL_FORMS": "0",
        "ressources-0-kind": "apprentice_wages",
        "ressources-0-monthly_amount": "850",
        "ressources-1-kind": "",
        "ressources-1-monthly_amount": "",
        "ressources-2-kind": "",
        "ressources-2-monthly_amount": "",
        "menage-TOTAL_FORMS": "2",
        "menage-INITIAL_FORMS": "0",
        "menage-0-first_name": "",
        "menage-0-relationship": "",
        "menage-0-birth_year": "",
        "menage-1-first_name": "",
        "menage-1-relationship": "",
        "menage-1-birth_year": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def counsellor_client(client, world):
    """The owner (admin) acts as the counsellor here: admins can write too."""
    client.force_login(world.owner)
    return client


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC))
def test_a_counsellor_creates_a_person_with_resources(counsellor_client, world):
    counsellor_client.force_login(world.owner)  # a session opened on the travelled-to day
    TerritoryFactory(code="62041", name="Arras", postal_codes="62000")
    response = counsellor_client.post(reverse("people:person_create"), form_data(commune="Arras"))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert person.organization == world.org
    assert person.phone == "+33612345678"
    assert person.age == 22
    assert person.commune.name == "Arras"
    assert [(r.kind, r.monthly_amount) for r in person.resources.all()] == [
        ("apprentice_wages", 850)
    ]
    page = counsellor_client.get(response["Location"])
    assert "06 12 34 56 78" in page.text
    assert "850,00\u00a0€" in page.text
    assert "(22 ans)" in page.text


def test_a_possible_duplicate_is_shown_before_saving(counsellor_client, world):
    PersonFactory(
        organization=world.org,
        last_name="LEFEVRE",
        first_name="elodie",
        birth_date=datetime.date(2004, 5, 17),
    )
    response = counsellor_client.post(reverse("people:person_create"), form_data())
    assert response.status_code == 200
    assert "Cette personne existe peut-être déjà" in response.text
    assert Person.objects.count() == 1
    confirmed = counsellor_client.post(
        reverse("people:person_create"), form_data(confirmed_not_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_swapped_names_are_a_possible_duplicate_but_another_birth_date_is_not(
    counsellor_client, world
):
    PersonFactory(
        organization=world.org,
        last_name="Élodie",
        first_name="Lefèvre",
        birth_date=datetime.date(2004, 5, 17),
    )
    assert (
        "existe peut-être déjà"
        in counsellor_client.post(reverse("people:person_create"), form_data()).text
    )
    other = counsellor_client.post(
        reverse("people:person_create"), form_data(birth_date="2004-05-18")
    )
    assert other.status_code == 302


def test_someone_of_another_organization_is_not_a_duplicate(counsellor_client, world):
    PersonFactory(
        organization=world.other_org,
        last_name="Lefèvre",
        first_name="Élodie",
        birth_date=datetime.date(2004, 5, 17),
    )
    assert counsellor_client.post(reverse("people:person_create"), form_data()).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"birth_date": "2999-01-01"}, "La date de naissance ne peut pas être dans le futur."),
        ({"birth_date": "1850-01-01"}, "Date de naissance invraisemblable"),
        ({"phone": "12"}, "Numéro de téléphone invalide"),
        ({"commune": "Atlantide"}, "Commune inconnue"),
        ({"ressources-0-monthly_amount": "-20"}, "Le montant ne peut pas être négatif."),
        ({"ressources-0-kind": ""}, "Indiquez le type de cette ressource."),
        ({"last_name": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_saved(
    counsellor_client, overrides, field_message
):
    response = counsellor_client.post(reverse("people:person_create"), form_data(**overrides))
    assert response.status_code == 200
    assert field_message in response.text
    assert Person.objects.count() == 0


def test_search_ignores_accents_case_and_finds_phone_numbers(counsellor_client, world):
    PersonFactory(
        organization=world.org, last_name="Lefèvre", first_name="Élodie", phone="+33612345678"
    )
    PersonFactory(organization=world.org, last_name="Martin", first_name="Jules")
    url = reverse("people:person_list")
    assert "Élodie" in counsellor_client.get(url, {"q": "elodie"}).text
    assert "Jules" not in counsellor_client.get(url, {"q": "elodie"}).text
    assert "Élodie" in counsellor_client.get(url, {"q": "lefevre elo"}).text
    assert "Élodie" in counsellor_client.get(url, {"q": "06 12 34 56 78"}).text
    empty = counsellor_client.get(url, {"q": "zzz"})
    assert "Personne ne correspond à « zzz »" in empty.text


def test_search_finds_a_person_by_social_housing_request_number(counsellor_client, world):
    from tests.support.factories import StepFactory

    step = StepFactory(
        enrollment__organization=world.org,
        enrollment__person__first_name="Inès",
        kind="social_housing_request",
        reference="0621125000012345A",
    )
    StepFactory(enrollment__organization=world.org, enrollment__person__first_name="Autre")
    url = reverse("people:person_list")
    page = counsellor_client.get(url, {"q": "0621125000012345a"})
    assert [p.pk for p in page.context["page"].object_list] == [step.enrollment.person_id]
    stranger = StepFactory(
        enrollment__organization=world.other_org,
        kind="social_housing_request",
        reference="0621125000099999B",
    )
    page = counsellor_client.get(url, {"q": stranger.reference})
    assert list(page.context["page"].object_list) == []


def test_search_answers_an_htmx_fragment(counsellor_client, world):
    PersonFactory(organization=world.org, first_name="Élodie")
    response = counsellor_client.get(
        reverse("people:person_list"), {"q": "elodie"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.text
    assert "Élodie" in response.text


def test_people_of_another_organization_are_neither_listed_nor_readable(client, world):
    theirs = PersonFactory(organization=world.other_org, first_name="Secrète")
    client.force_login(world.owner)
    assert "Secrète" not in client.get(reverse("people:person_list")).text
    assert client.get(reverse("people:person_detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("people:person_update", args=[theirs.pk]), form_data()).status_code
        == 404
    )
    assert client.get(reverse("api:person-detail", args=[theirs.pk])).status_code == 404
    api_names = [p["first_name"] for p in client.get(reverse("api:person-list")).json()["results"]]
    assert "Secrète" not in api_names


def test_read_only_colleague_reads_but_cannot_create_or_change(client, world):
    person = PersonFactory(organization=world.org)
    client.force_login(world.colleague)
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 200
    assert client.post(reverse("people:person_create"), form_data()).status_code == 403
    assert (
        client.post(reverse("people:person_update", args=[person.pk]), form_data()).status_code
        == 403
    )
    assert Person.objects.count() == 1


def test_partners_and_funders_see_no_person(client, world):
    from ancrage.accounts.enums import Role
    from tests.accounts.factories import MembershipFactory

    PersonFactory(organization=world.org)
    funder = MembershipFactory(organization=world.org, role=Role.FUNDER).user
    client.force_login(funder)
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.get(reverse("api:person-list")).json()["results"] == []


def test_every_read_of_a_person_is_audited_pages_and_api(client, world):
    person = PersonFactory(organization=world.org)
    client.force_login(world.colleague)
    client.get(reverse("people:person_detail", args=[person.pk]))
    client.get(reverse("api:person-detail", args=[person.pk]))
    views = AuditEvent.objects.for_object(person).filter(action="view")
    assert views.count() == 2
    assert set(views.values_list("actor_label", flat=True)) == {"colleague@exemple.fr"}


def test_editing_records_the_change_and_admins_see_it(counsellor_client, world):
    person = PersonFactory(
        organization=world.org,
        last_name="Lefèvre",
        first_name="Élodie",
        birth_date=datetime.date(2004, 5, 17),
    )
    response = counsellor_client.post(
        reverse("people:person_update", args=[person.pk]), form_data(housing_situation="tenant")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.housing_situation == "tenant"
    event = AuditEvent.objects.for_object(person).get(action="update")
    assert event.changes["housing_situation"] == ["hosted", "tenant"]
    page = counsellor_client.get(reverse("people:person_detail", args=[person.pk]))
    assert "Qui a consulté cette fiche" in page.text
    assert "situation de logement" in page.text


def test_list_and_detail_keep_a_constant_query_count(counsellor_client, world, count_queries):
    def _count(client, url):
        return count_queries(lambda: client.get(url))

    PersonFactory(organization=world.org)
    first = PersonFactory(organization=world.org)
    ResourceFactory(person=first)
    list_url = reverse("people:person_list")
    detail_url = reverse("people:person_detail", args=[first.pk])
    api_url = reverse("api:person-list")
    # Warm up: the first request of a session writes it, and content types are cached on first use.
    for url in (list_url, detail_url, api_url):
        _count(counsellor_client, url)
    few = (
        _count(counsellor_client, list_url),
        _count(counsellor_client, detail_url),
        _count(counsellor_client, api_url),
    )
    PersonFactory.create_batch(49, organization=world.org)
    ResourceFactory.create_batch(10, person=first)
    many = (
        _count(counsellor_client, list_url),
        _count(counsellor_client, detail_url),
        _count(counsellor_client, api_url),
    )
    assert few == many


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("ressources", "20 ressources au plus."), ("menage", "20 membres du foyer au plus.")],
)
def test_a_huge_row_count_is_refused_in_french_without_building_the_rows(
    counsellor_client, prefix, message
):
    # A crafted post: the formset would otherwise build (and draw again) a thousand rows.
    response = counsellor_client.post(
        reverse("people:person_create"), form_data(**{f"{prefix}-TOTAL_FORMS": "1" * 40})
    )
    assert response.status_code == 200  # the form again, with its message
    assert message in response.text
    assert response.text.count(f'name="{prefix}-') <= 4 + 20 * 3  # management form, 20 rows
    assert not Person.objects.exists()


def test_the_service_refuses_more_than_twenty_household_members_and_writes_nothing(world):
    from django.core.exceptions import ValidationError

    from ancrage.people import services

    with pytest.raises(ValidationError) as refused:
        services.create_person(
            organization=world.org,
            actor=world.owner,
            last_name="Lefèvre",
            first_name="Élodie",
            household=[{"first_name": "Léa", "relationship": "child"}] * 21,
        )
    assert refused.value.message_dict == {"household": ["20 membres du foyer au plus."]}
    assert not Person.objects.exists()
