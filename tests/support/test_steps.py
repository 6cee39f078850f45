import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.support import services
from ancrage.support.models import Step
from tests.support.factories import EnrollmentFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(world):
    return EnrollmentFactory(organization=world.org, referent=world.owner)


@pytest.fixture
def owner(client, world):
    client.force_login(world.owner)
    return client


def test_add_a_social_housing_request_with_its_sne_number_then_mark_it_obtained(owner, enrollment):
    url = reverse("support:step_add", args=[enrollment.pk])
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    owner.post(
        url, {"kind": "social_housing_request", "reference": "062041700012345", "due_on": due}
    )
    step = Step.objects.get()
    assert (step.kind, step.status, step.reference) == (
        "social_housing_request",
        "todo",
        "062041700012345",
    )
    owner.post(
        reverse("support:step_status", args=[enrollment.pk, step.pk]), {"status": "obtained"}
    )
    step.refresh_from_db()
    assert step.status == "obtained" and step.done_on == timezone.localdate()
    page = owner.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "Demande de logement social (SNE)" in page.text
    assert "062041700012345" in page.text


def test_a_second_person_with_the_same_sne_number_is_refused(owner, world, enrollment):
    StepFactory(enrollment=enrollment, kind="social_housing_request", reference="062041700012345")
    other = EnrollmentFactory(organization=world.org, referent=world.owner)
    response = owner.post(
        reverse("support:step_add", args=[other.pk]),
        {"kind": "social_housing_request", "reference": "062041700012345"},
    )
    assert response.status_code == 400
    assert "Ce numéro unique SNE est déjà enregistré" in response.text
    assert Step.objects.count() == 1


def test_a_negative_amount_is_refused(owner, enrollment):
    response = owner.post(
        reverse("support:step_add", args=[enrollment.pk]), {"kind": "deposit", "amount": "-400"}
    )
    assert "Le montant ne peut pas être négatif." in response.text
    assert Step.objects.count() == 0


def test_steps_cannot_be_added_to_a_closed_enrollment(world, enrollment):
    services.start_support(enrollment=enrollment, on=timezone.localdate(), actor=world.owner)
    services.close_enrollment(
        enrollment=enrollment, outcome="other", on=timezone.localdate(), actor=world.owner
    )
    enrollment.refresh_from_db()
    with pytest.raises(Exception, match="terminé"):
        services.add_step(enrollment=enrollment, kind="fsl", actor=world.owner)


def test_overdue_steps_are_flagged(owner, enrollment):
    StepFactory(enrollment=enrollment, due_on=timezone.localdate() - datetime.timedelta(days=2))
    page = owner.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "en retard" in page.text


def test_colleague_and_outsider_cannot_change_steps(client, world, enrollment):
    step = StepFactory(enrollment=enrollment)
    url = reverse("support:step_status", args=[enrollment.pk, step.pk])
    client.force_login(world.colleague)
    assert client.post(url, {"status": "refused"}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(url, {"status": "refused"}).status_code == 404
    assert client.get(reverse("api:step-detail", args=[step.pk])).status_code == 404
    assert client.get(reverse("api:step-list")).json()["results"] == []
    step.refresh_from_db()
    assert step.status == "todo"


def test_a_step_of_another_enrollment_answers_404(owner, world, enrollment):
    other = StepFactory(enrollment=EnrollmentFactory(organization=world.org, referent=world.owner))
    response = owner.post(
        reverse("support:step_status", args=[enrollment.pk, other.pk]), {"status": "refused"}
    )
    assert response.status_code == 404


def test_api_finds_a_step_by_sne_number(owner, enrollment):
    StepFactory(enrollment=enrollment, kind="social_housing_request", reference="062041700099999")
    results = owner.get(reverse("api:step-list"), {"reference": "062041700099999"}).json()[
        "results"
    ]
    assert [r["reference"] for r in results] == ["062041700099999"]


def test_step_changes_are_audited(world, enrollment):
    step = services.add_step(enrollment=enrollment, kind="visale", actor=world.owner)
    services.set_step_status(step=step, status="in_progress", actor=world.owner)
    assert list(
        AuditEvent.objects.for_object(step).order_by("id").values_list("action", flat=True)
    ) == ["create", "update"]


def test_enrollment_page_query_count_does_not_grow_with_steps(owner, enrollment, count_queries):
    url = reverse("support:enrollment_detail", args=[enrollment.pk])
    StepFactory(enrollment=enrollment)
    owner.get(url)

    def count():
        return count_queries(lambda: owner.get(url))

    one = count()
    StepFactory.create_batch(30, enrollment=enrollment)
    assert count() == one
