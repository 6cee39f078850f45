"""An apprentice's contract as the team following them records it: the CFA, the employer (with
or without an account), the diploma, the dates, the rhythm; wrong input named and nothing
written; other organizations reach nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ancrage.housing.models import Rhythm, SchoolCalendar
from ancrage.housing.services import create_rhythm, import_school_calendar
from ancrage.partnerships.models import Apprenticeship
from ancrage.partnerships.services import (
    create_apprenticeship,
    create_rhythm_for_apprenticeship,
    update_apprenticeship,
)
from ancrage.people.queries import person_label
from tests.accounts.factories import OrganizationFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.people.factories import PersonFactory

D = datetime.date


@pytest.fixture
def apprentice(world):
    school = OrganizationFactory(name="CFA des Métiers du Forez", kind="school")
    employer = OrganizationFactory(name="Boulangerie Vidal", kind="employer")  # no member
    person = PersonFactory(organization=world.org, first_name="Léa", last_name="Martin")
    return person, school, employer


def values(school, employer, **changes):
    return {
        "school": school,
        "employer": employer,
        "diploma": "CAP Boulanger",
        "starts_on": D(2026, 9, 1),
        "ends_on": D(2028, 8, 31),
    } | changes


def test_a_counsellor_records_the_contract_with_the_apprentices_rhythm(world, apprentice):
    person, school, employer = apprentice
    rhythm = create_rhythm(
        person=person,
        name="CAP 2026-2028",
        template="1/1",
        first_school_week=D(2026, 9, 7),
        ends_on=D(2027, 6, 30),
        actor=world.owner,
    )
    contract = create_apprenticeship(
        person=person, actor=world.owner, rhythm=rhythm, **values(school, employer)
    )
    assert (contract.organization, contract.school, contract.employer) == (
        world.org,
        school,
        employer,
    )
    page = client_of(world.colleague).get(
        reverse("partnerships:apprenticeship_detail", args=[contract.pk])
    )
    text = page.content.decode()
    assert "CAP Boulanger" in text and "Boulangerie Vidal" in text and "CAP 2026-2028" in text
    assert "Modifier" not in text  # a read-only colleague reads only
    with pytest.raises(PermissionDenied):
        update_apprenticeship(apprenticeship=contract, actor=world.colleague, diploma="CAP")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": D(2026, 8, 1)}, "ends_on", "Le contrat finit après son début."),
        ({"ends_on": D(2031, 9, 1)}, "ends_on", "quatre ans au plus"),
        ({"starts_on": D(1850, 1, 1)}, "starts_on", "entre 2000 et 2099"),
        ({"diploma": "  "}, "diploma", "Indiquez le diplôme préparé."),
        ({"diploma": "x" * 151}, "diploma", "150 caractères"),
        ({"employer": None}, "employer", "Indiquez l'employeur."),
    ],
)
def test_a_wrong_contract_names_its_field_and_writes_nothing(
    world, apprentice, changes, field, message
):
    person, school, employer = apprentice
    with pytest.raises(ValidationError) as refused:
        create_apprenticeship(
            person=person, actor=world.owner, **(values(school, employer) | changes)
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert not Apprenticeship.objects.exists()


def test_the_school_must_be_a_school_and_contracts_do_not_overlap(world, apprentice):
    person, school, employer = apprentice
    with pytest.raises(ValidationError) as refused:
        create_apprenticeship(person=person, actor=world.owner, **values(employer, school))
    assert "n'est pas une école" in refused.value.message_dict["school"][0]
    create_apprenticeship(person=person, actor=world.owner, **values(school, employer))
    with pytest.raises(ValidationError) as refused:
        create_apprenticeship(
            person=person,
            actor=world.owner,
            **values(school, employer, starts_on=D(2027, 9, 1), ends_on=D(2029, 8, 31)),
        )
    assert (
        "a déjà un contrat du 01/09/2026 au 31/08/2028"
        in refused.value.message_dict["starts_on"][0]
    )
    assert Apprenticeship.objects.count() == 1


def test_the_pages_create_and_list_a_contract(world, apprentice):
    person, school, employer = apprentice
    owner = client_of(world.owner)
    response = owner.post(
        reverse("partnerships:apprenticeship_create"),
        {
            "person": person_label(person),
            "school": school.pk,
            "employer": employer.pk,
            "diploma": "CAP Boulanger",
            "starts_on": "2026-09-01",
            "ends_on": "2028-08-31",
        },
    )
    assert response.status_code == 302
    listing = owner.get(reverse("partnerships:apprenticeship_list"), {"personne": person.pk})
    assert "CAP Boulanger" in listing.content.decode()
    response = owner.post(
        reverse("partnerships:apprenticeship_create"),
        {
            "person": person_label(person),
            "school": school.pk,
            "employer": employer.pk,
            "diploma": "CAP Boulanger",
            "starts_on": "2026-09-01",
            "ends_on": "2026-01-31",
        },
    )
    assert response.status_code == 400
    assert "Le contrat finit après son début." in response.content.decode()
    assert Apprenticeship.objects.count() == 1


def test_the_api_writes_through_the_same_rules(world, apprentice):
    person, school, employer = apprentice
    api = token_client(world.owner)
    body = {
        "person": person.pk,
        "school": school.pk,
        "employer": employer.pk,
        "diploma": "CAP Boulanger",
        "starts_on": "2026-09-01",
        "ends_on": "2028-08-31",
        "external_ref": "APP-1",
    }
    response = api.post_json("/api/v1/apprenticeships/", body)
    assert response.status_code == 201, response.json()
    again = api.post_json("/api/v1/apprenticeships/", body)
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    pk = response.json()["id"]
    assert api.patch_json(f"/api/v1/apprenticeships/{pk}/", {"ends_on": "2026-01-01"}).json() == {
        "ends_on": ["Le contrat finit après son début."]
    }
    refused = api.post_json(
        "/api/v1/apprenticeships/", body | {"school": 999_999, "external_ref": ""}
    )
    assert refused.status_code == 400 and "school" in refused.json()
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/apprenticeships/{pk}/").status_code == 404
    assert outsider.get("/api/v1/apprenticeships/").json()["results"] == []
    assert Apprenticeship.objects.get().ends_on == D(2028, 8, 31)


def test_the_list_keeps_a_constant_query_count(world, apprentice, count_queries):
    person, school, employer = apprentice
    create_apprenticeship(person=person, actor=world.owner, **values(school, employer))
    owner = client_of(world.owner)
    url = reverse("partnerships:apprenticeship_list")
    owner.get(url)
    api = token_client(world.owner)
    api.get("/api/v1/apprenticeships/")
    before = (
        count_queries(lambda: owner.get(url)),
        count_queries(lambda: api.get("/api/v1/apprenticeships/")),
    )
    for first in ("Tom", "Inès", "Noa"):
        other = PersonFactory(organization=world.org, first_name=first)
        create_apprenticeship(person=other, actor=world.owner, **values(school, employer))
    after = (
        count_queries(lambda: owner.get(url)),
        count_queries(lambda: api.get("/api/v1/apprenticeships/")),
    )
    assert after == before


def test_the_rhythm_is_made_from_the_contract_with_the_schools_calendar_first(world, apprentice):
    person, school, employer = apprentice
    contract = create_apprenticeship(person=person, actor=world.owner, **values(school, employer))
    other_school = OrganizationFactory(name="Lycée Jean Monnet", kind="school")
    for name, of, weeks in (
        ("Lycée Monnet 2026-2027", other_school, ["2026-09-14"]),
        ("CAP Boulanger 1re année", school, ["2026-09-07", "2026-09-21", "2026-10-05"]),
    ):
        import_school_calendar(
            organization=world.org,
            name=name,
            school=of,
            filename="c.csv",
            content="\n".join(f"{w};{w}" for w in weeks).encode(),
            actor=world.owner,
        )
    own = SchoolCalendar.objects.get(school=school)
    url = reverse("partnerships:apprenticeship_rhythm", args=[contract.pk])
    owner = client_of(world.owner)
    page = owner.get(url).content.decode()
    # the school's calendar first, under the school's name, and already chosen
    assert page.index("CAP Boulanger 1re année") < page.index("Lycée Monnet 2026-2027")
    assert 'optgroup label="CFA des Métiers du Forez"' in page
    assert f'<option value="{own.pk}" selected>' in page
    assert 'value="2028-08-31"' in page  # the contract's end
    assert "person" not in re.findall(r'name="([a-z_]+)"', page)

    refused = owner.post(url, {"name": "CAP", "template": "calendar", "ends_on": "2028-08-31"})
    assert refused.status_code == 400
    assert "Première semaine" in refused.content.decode()
    assert not Rhythm.objects.exists()

    done = owner.post(
        url,
        {
            "name": "CAP Boulanger 2026-2028",
            "template": "calendar",
            "first_school_week": "2026-09-07",
            "ends_on": "2028-08-31",
            "calendar": own.pk,
        },
    )
    assert done.status_code == 302
    contract.refresh_from_db()
    assert contract.rhythm.person == person
    assert [w.isoformat() for w in contract.rhythm.school_weeks()] == own.weeks
    detail = owner.get(reverse("partnerships:apprenticeship_detail", args=[contract.pk]))
    assert "CAP Boulanger 2026-2028" in detail.content.decode()

    # a read-only colleague neither sees the link nor reaches the page
    colleague = client_of(world.colleague)
    detail = colleague.get(reverse("partnerships:apprenticeship_detail", args=[contract.pk]))
    assert "son rythme" not in detail.content.decode()
    assert colleague.get(url).status_code == 403


def test_a_rhythm_refused_by_housing_leaves_the_contract_as_it_was(world, apprentice):
    person, school, employer = apprentice
    contract = create_apprenticeship(person=person, actor=world.owner, **values(school, employer))
    with pytest.raises(ValidationError) as refused:
        create_rhythm_for_apprenticeship(
            apprenticeship=contract,
            actor=world.owner,
            name="CAP",
            template="calendar",  # without a calendar
            first_school_week=D(2026, 9, 7),
            ends_on=D(2028, 8, 31),
        )
    assert "calendrier" in refused.value.message_dict["calendar"][0]
    contract.refresh_from_db()
    assert contract.rhythm is None and not Rhythm.objects.exists()
