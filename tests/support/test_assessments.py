import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.support import services
from ancrage.support.models import Assessment
from tests.people.factories import ResourceFactory
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    ResourceFactory(
        person=enrollment.person, kind="apprentice_wages", monthly_amount=Decimal("850")
    )
    ResourceFactory(person=enrollment.person, kind="family_help", monthly_amount=Decimal("100"))
    return enrollment


def grid(**overrides):
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "housing_cost": "420",
        "fixed_charges": "180.50",
        "health_needs": ["no_complementary"],
        "housing_priority": "high",
        "budget_priority": "medium",
        "mobility_priority": "low",
        "health_priority": "low",
        "employment_priority": "none",
        "rights_priority": "medium",
        "daily_life_priority": "none",
    }
    data.update(overrides)
    return data


def test_an_assessment_computes_the_disposable_income(client, world, enrollment):
    client.force_login(world.owner)
    response = client.post(reverse("support:assessment_add", args=[enrollment.pk]), grid())
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.monthly_resources == Decimal("950")
    assert assessment.disposable_income == Decimal("349.50")
    assert assessment.housing_priority == "high"
    page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "349,50\u00a0€" in page.text
    assert "Pas de complémentaire santé" in page.text


def test_the_resources_figure_is_kept_as_it_was_on_the_day(world, enrollment):
    assessment = services.record_assessment(
        enrollment=enrollment, assessed_on=timezone.localdate(), priorities={}, actor=world.owner
    )
    ResourceFactory(person=enrollment.person, monthly_amount=Decimal("500"))
    assessment.refresh_from_db()
    assert assessment.monthly_resources == Decimal("950")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"housing_cost": "-10"}, "Le montant ne peut pas être négatif."),
        ({"assessed_on": "2999-01-01"}, "La date ne peut pas être dans le futur."),
        ({"health_needs": ["cancer"]}, "Sélectionnez un choix valide"),
        ({"housing_priority": "urgent"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(client, world, enrollment, overrides, message):
    client.force_login(world.owner)
    response = client.post(
        reverse("support:assessment_add", args=[enrollment.pk]), grid(**overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    assert Assessment.objects.count() == 0


def test_an_assessment_before_the_request_is_refused(world, enrollment):
    with pytest.raises(Exception, match="précéder la demande"):
        services.record_assessment(
            enrollment=enrollment,
            assessed_on=enrollment.requested_on - datetime.timedelta(days=1),
            priorities={},
            actor=world.owner,
        )


def test_outsiders_and_read_only_colleagues_cannot_assess(client, world, enrollment):
    url = reverse("support:assessment_add", args=[enrollment.pk])
    client.force_login(world.colleague)
    assert client.post(url, grid()).status_code == 403
    client.force_login(world.outsider)
    assert client.post(url, grid()).status_code == 404
    assert Assessment.objects.count() == 0


def test_repeated_assessments_keep_the_page_query_count_constant(
    client, world, enrollment, count_queries
):
    client.force_login(world.owner)
    url = reverse("support:enrollment_detail", args=[enrollment.pk])
    services.record_assessment(
        enrollment=enrollment, assessed_on=timezone.localdate(), priorities={}, actor=world.owner
    )
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(5):
        services.record_assessment(
            enrollment=enrollment,
            assessed_on=timezone.localdate(),
            priorities={},
            actor=world.owner,
        )
    assert count() == one


def test_api_lists_assessments_with_disposable_income_for_the_team_only(client, world, enrollment):
    services.record_assessment(
        enrollment=enrollment,
        assessed_on=timezone.localdate(),
        priorities={"housing": "high"},
        housing_cost=Decimal("500"),
        actor=world.owner,
    )
    client.force_login(world.colleague)
    [item] = client.get(reverse("api:assessment-list")).json()["results"]
    assert item["disposable_income"] == "450.00"
    assert item["housing_priority"] == "high"
    client.force_login(world.outsider)
    assert client.get(reverse("api:assessment-list")).json()["results"] == []
    assert client.get(reverse("api:exit-list")).json()["results"] == []
