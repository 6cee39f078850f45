"""Typed pathways (1000 LIANES) on the enrollment page and through the API: the works of a home
adaptation and the day the home is adapted, the milestones of an insertion pathway, the autonomy
assessment. Each as owner, colleague (read-only), outsider and anonymous; bad input names the
field and writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.core.money import format_euros
from ancrage.support import services
from ancrage.support.models import AdaptationWork, Assessment, Enrollment, InsertionMilestone
from tests.api.clients import token_client
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def adaptation(world):
    return EnrollmentFactory(organization=world.org, referent=world.owner, pathway="adaptation")


@pytest.fixture
def insertion(world):
    return EnrollmentFactory(organization=world.org, referent=world.owner, pathway="insertion")


@pytest.fixture
def owner(client, world):
    client.force_login(world.owner)
    return client


def _plan(enrollment, actor, **extra):
    values = {"kind": "grab_bars", "planned_on": TODAY() - 10 * DAY, "cost": Decimal("450.00")}
    return services.plan_work(enrollment=enrollment, actor=actor, **{**values, **extra})


# --- Through the page ------------------------------------------------------------------------


def test_works_planned_then_done_adapt_the_home_on_that_day(owner, adaptation):
    page = owner.get(reverse("support:enrollment_detail", args=[adaptation.pk]))
    assert "Parcours : adaptation du logement" in page.text
    assert "Logement pas encore adapté" in page.text
    response = owner.post(
        reverse("support:work_add", args=[adaptation.pk]),
        {
            "travaux-kind": "bathroom",
            "travaux-planned_on": (TODAY() - 5 * DAY).isoformat(),
            "travaux-cost": "6400",
        },
    )
    assert response.status_code == 302
    work = AdaptationWork.objects.get()
    assert (work.kind, work.cost, work.done_on) == ("bathroom", Decimal("6400"), None)
    done_on = TODAY() - DAY
    response = owner.post(
        reverse("support:work_done", args=[adaptation.pk, work.pk]),
        {
            f"travaux-{work.pk}-done_on": done_on.isoformat(),
            f"travaux-{work.pk}-cost": "6150.50",
            f"travaux-{work.pk}-home_adapted": "on",
        },
    )
    assert response.status_code == 302
    work.refresh_from_db()
    adaptation.refresh_from_db()
    assert (work.done_on, work.cost) == (done_on, Decimal("6150.50"))
    assert adaptation.home_adapted_on == done_on
    page = owner.get(reverse("support:enrollment_detail", args=[adaptation.pk]))
    assert f"Logement adapté le {done_on:%d/%m/%Y}" in page.text
    assert format_euros(Decimal("6150.50")) in page.text


def test_a_negative_cost_or_a_future_date_is_refused_and_nothing_is_written(owner, adaptation):
    response = owner.post(
        reverse("support:work_add", args=[adaptation.pk]),
        {
            "travaux-kind": "doors",
            "travaux-planned_on": TODAY().isoformat(),
            "travaux-cost": "-3",
            "travaux-note": "x" * 301,
        },
    )
    assert response.status_code == 400
    assert "Le montant ne peut pas être négatif." in response.text
    assert "300 caractères" in response.text
    assert not AdaptationWork.objects.exists()
    work = _plan(adaptation, adaptation.referent)
    response = owner.post(
        reverse("support:work_done", args=[adaptation.pk, work.pk]),
        {f"travaux-{work.pk}-done_on": (TODAY() + DAY).isoformat()},
    )
    assert response.status_code == 400
    assert "La date ne peut pas être dans le futur." in response.text
    work.refresh_from_db()
    assert work.done_on is None


def test_the_home_is_not_adapted_by_works_only_planned(owner, adaptation):
    _plan(adaptation, adaptation.referent)
    response = owner.post(
        reverse("support:home_adapted", args=[adaptation.pk]),
        {"logement-home_adapted_on": TODAY().isoformat()},
    )
    assert response.status_code == 400
    assert "pas quand ils sont prévus" in response.text
    adaptation.refresh_from_db()
    assert adaptation.home_adapted_on is None


def test_insertion_milestones_are_added_and_removed(owner, insertion):
    url = reverse("support:milestone_add", args=[insertion.pk])
    owner.post(
        url, {"insertion-kind": "orientation", "insertion-on": (TODAY() - 20 * DAY).isoformat()}
    )
    response = owner.post(
        url,
        {
            "insertion-kind": "job",
            "insertion-on": (TODAY() - 2 * DAY).isoformat(),
            "insertion-detail": "Boulangerie Paul",
            "insertion-contract": "permanent",
        },
    )
    assert response.status_code == 302
    page = owner.get(reverse("support:enrollment_detail", args=[insertion.pk]))
    assert "Reprise d&#x27;emploi" in page.text and "Boulangerie Paul (CDI)" in page.text
    orientation = InsertionMilestone.objects.get(kind="orientation")
    owner.post(reverse("support:milestone_delete", args=[insertion.pk, orientation.pk]))
    assert list(InsertionMilestone.objects.values_list("kind", flat=True)) == ["job"]


def test_a_contract_is_only_for_a_job_and_nothing_is_written(owner, insertion):
    response = owner.post(
        reverse("support:milestone_add", args=[insertion.pk]),
        {
            "insertion-kind": "training",
            "insertion-on": TODAY().isoformat(),
            "insertion-contract": "permanent",
        },
    )
    assert response.status_code == 400
    assert "Un contrat ne se précise que pour une reprise d&#x27;emploi." in response.text
    assert not InsertionMilestone.objects.exists()


def test_the_pathway_type_can_change_until_something_is_recorded(owner, adaptation):
    url = reverse("support:pathway_set", args=[adaptation.pk])
    assert owner.post(url, {"parcours-pathway": "staying_home"}).status_code == 302
    adaptation.refresh_from_db()
    assert adaptation.pathway == "staying_home"
    _plan(adaptation, adaptation.referent)
    response = owner.post(url, {"parcours-pathway": "insertion"})
    assert response.status_code == 400
    assert "Des travaux d&#x27;adaptation sont enregistrés" in response.text
    adaptation.refresh_from_db()
    assert adaptation.pathway == "staying_home"


def test_the_autonomy_assessment_codes_the_works_the_home_needs(owner, adaptation):
    response = owner.post(
        reverse("support:assessment_add", args=[adaptation.pk]),
        {
            "kind": "autonomy",
            "assessed_on": TODAY().isoformat(),
            "home_works": ["grab_bars", "stairs"],
            "housing_cost": "0",
            "fixed_charges": "0",
            **{
                f"{d}_priority": "none"
                for d in (
                    "housing",
                    "budget",
                    "mobility",
                    "health",
                    "employment",
                    "rights",
                    "daily_life",
                )
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = Assessment.objects.get()
    assert (assessment.kind, assessment.home_works) == ("autonomy", ["grab_bars", "stairs"])
    page = owner.get(reverse("support:enrollment_detail", args=[adaptation.pk]))
    assert "Évaluation de l&#x27;autonomie du" in page.text
    assert "Barres d&#x27;appui, Monte-escalier ou rampe" in page.text


def test_an_autonomy_assessment_outside_an_adaptation_pathway_is_refused(world, insertion):
    with pytest.raises(ValidationError, match="parcours d'adaptation"):
        services.record_assessment(
            enrollment=insertion,
            assessed_on=TODAY(),
            priorities={},
            kind="autonomy",
            actor=world.owner,
        )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"), [("colleague", 403), ("outsider", 404), (None, 302)]
)
def test_only_the_team_writing_may_record_works(client, world, adaptation, persona, expected):
    if persona:
        client.force_login(getattr(world, persona))
    response = client.post(
        reverse("support:work_add", args=[adaptation.pk]),
        {"travaux-kind": "doors", "travaux-planned_on": TODAY().isoformat(), "travaux-cost": "10"},
    )
    assert response.status_code == expected
    assert not AdaptationWork.objects.exists()


def test_the_enrollment_page_keeps_its_query_count_with_more_works(
    owner, world, adaptation, count_queries
):
    url = reverse("support:enrollment_detail", args=[adaptation.pk])
    _plan(adaptation, world.owner)
    owner.get(url)  # the session's first page reads the account once
    before = count_queries(lambda: owner.get(url))
    for kind in ("doors", "stairs", "lighting"):
        work = _plan(adaptation, world.owner, kind=kind)
        services.record_work_done(work=work, done_on=TODAY(), actor=world.owner)
    assert count_queries(lambda: owner.get(url)) == before


# --- Through the API ---------------------------------------------------------------------------


def test_the_api_plans_works_records_them_done_and_the_home_adapted(world, adaptation):
    api = token_client(world.owner)
    response = api.post_json(
        "/api/v1/adaptation-works/",
        {
            "enrollment": adaptation.pk,
            "kind": "stairs",
            "planned_on": (TODAY() - 3 * DAY).isoformat(),
            "cost": "3900.00",
        },
    )
    assert response.status_code == 201, response.json()
    work_id = response.json()["id"]
    response = api.post_json(
        f"/api/v1/adaptation-works/{work_id}/done/",
        {"done_on": TODAY().isoformat(), "home_adapted": True},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_done"] is True
    enrollment = api.get(f"/api/v1/enrollments/{adaptation.pk}/").json()
    assert enrollment["home_adapted_on"] == TODAY().isoformat()
    assert enrollment["pathway"] == "adaptation"
    response = api.post_json(
        f"/api/v1/enrollments/{adaptation.pk}/home-adapted/",
        {"home_adapted_on": None},
    )
    assert response.status_code == 200 and response.json()["home_adapted_on"] is None
    audited = AuditEvent.objects.filter(
        content_type__app_label="support", content_type__model="adaptationwork", object_id=work_id
    )
    assert audited.count() == 2  # planned, then done


def test_the_api_refuses_works_outside_an_adaptation_pathway_and_writes_nothing(world, insertion):
    api = token_client(world.owner)
    response = api.post_json(
        "/api/v1/adaptation-works/",
        {
            "enrollment": insertion.pk,
            "kind": "stairs",
            "planned_on": TODAY().isoformat(),
            "cost": "10",
        },
    )
    assert response.status_code == 400
    assert "parcours d'adaptation du logement" in str(response.json())
    assert not AdaptationWork.objects.exists()


def test_the_api_adds_and_deletes_milestones_and_types_a_pathway(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    api = token_client(world.owner)
    response = api.post_json(
        f"/api/v1/enrollments/{enrollment.pk}/set-pathway/",
        {"pathway": "insertion"},
    )
    assert response.status_code == 200 and response.json()["pathway"] == "insertion"
    response = api.post_json(
        "/api/v1/insertion-milestones/",
        {"enrollment": enrollment.pk, "kind": "training", "on": TODAY().isoformat()},
    )
    assert response.status_code == 201, response.json()
    milestone = response.json()["id"]
    listed = api.get("/api/v1/insertion-milestones/", {"enrollment": enrollment.pk}).json()
    assert [m["id"] for m in listed["results"]] == [milestone]
    assert api.delete(f"/api/v1/insertion-milestones/{milestone}/").status_code == 204
    assert not InsertionMilestone.objects.exists()


def test_the_api_opens_a_typed_pathway(world):
    from tests.people.factories import PersonFactory

    person = PersonFactory(organization=world.org)
    api = token_client(world.owner)
    response = api.post_json(
        "/api/v1/enrollments/",
        {"person": person.pk, "requested_on": TODAY().isoformat(), "pathway": "staying_home"},
    )
    assert response.status_code == 201, response.json()
    assert Enrollment.objects.get(person=person).pathway == "staying_home"


@pytest.mark.parametrize(("persona", "expected"), [("colleague", 403), ("outsider", 404)])
def test_the_api_keeps_others_out_of_the_works(world, adaptation, persona, expected):
    work = _plan(adaptation, world.owner)
    api = token_client(getattr(world, persona))
    response = api.post_json(
        f"/api/v1/adaptation-works/{work.pk}/done/", {"done_on": TODAY().isoformat()}
    )
    assert response.status_code == expected
    work.refresh_from_db()
    assert work.done_on is None
    listed = api.get("/api/v1/adaptation-works/").json()
    assert [w["id"] for w in listed["results"]] == ([work.pk] if persona == "colleague" else [])


def test_the_works_list_keeps_its_query_count(world, adaptation, count_queries):
    api = token_client(world.owner)
    _plan(adaptation, world.owner)
    api.get("/api/v1/adaptation-works/")  # the token's first use is recorded once
    before = count_queries(lambda: api.get("/api/v1/adaptation-works/"))
    for kind in ("doors", "stairs", "lighting"):
        _plan(adaptation, world.owner, kind=kind)
    assert count_queries(lambda: api.get("/api/v1/adaptation-works/")) == before
