"""Several overdue steps close at once from the caseload — all or none."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.enums import Role
from ancrage.support.models import Step
from tests.accounts.factories import MembershipFactory
from tests.support.factories import EnrollmentFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(world):
    counsellor = MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    steps = [
        StepFactory(
            enrollment=EnrollmentFactory(organization=world.org, referent=counsellor),
            due_on=datetime.date(2025, 1, 10),
            created_by=counsellor,
        )
        for _ in range(3)
    ]
    return counsellor, steps


def test_checked_steps_are_updated_together(world, overdue):
    counsellor, steps = overdue
    client = Client()
    client.force_login(counsellor)
    page = client.get(reverse("support:caseload")).text
    assert 'name="steps"' in page and "Mettre à jour la sélection" in page
    response = client.post(
        reverse("support:steps_update"),
        {"steps": [steps[0].pk, steps[1].pk], "status": "obtained"},
        follow=True,
    )
    assert "2 démarche(s) : Obtenu." in response.text
    statuses = dict(Step.objects.values_list("pk", "status"))
    assert statuses == {steps[0].pk: "obtained", steps[1].pk: "obtained", steps[2].pk: "todo"}


def test_nothing_checked_or_a_bad_status_is_said_and_nothing_changes(world, overdue):
    counsellor, steps = overdue
    client = Client()
    client.force_login(counsellor)
    response = client.post(reverse("support:steps_update"), {"status": "obtained"}, follow=True)
    assert "Cochez au moins une démarche." in response.text
    response = client.post(
        reverse("support:steps_update"), {"steps": [steps[0].pk], "status": "lost"}, follow=True
    )
    assert "État inconnu : choisissez un état dans la liste." in response.text
    assert set(Step.objects.values_list("status", flat=True)) == {"todo"}


def test_steps_of_another_organization_are_left_alone(world, overdue):
    counsellor, steps = overdue
    theirs = StepFactory(
        enrollment=EnrollmentFactory(organization=world.other_org), created_by=world.outsider
    )
    client = Client()
    client.force_login(counsellor)
    client.post(
        reverse("support:steps_update"), {"steps": [theirs.pk, steps[0].pk], "status": "refused"}
    )
    theirs.refresh_from_db()
    assert theirs.status == "todo"
    assert Step.objects.get(pk=steps[0].pk).status == "refused"


def test_a_read_only_colleague_cannot(world, overdue):
    _counsellor, steps = overdue
    client = Client()
    client.force_login(world.colleague)
    response = client.post(
        reverse("support:steps_update"), {"steps": [steps[0].pk], "status": "obtained"}
    )
    assert response.status_code == 403
    assert Step.objects.get(pk=steps[0].pk).status == "todo"


def test_a_step_whose_creator_left_still_moves_on(world, overdue):
    counsellor, steps = overdue
    orphan = StepFactory(
        enrollment=EnrollmentFactory(organization=world.org, referent=counsellor),
        due_on=datetime.date(2025, 1, 10),
        created_by=None,
    )
    client = Client()
    client.force_login(counsellor)
    client.post(reverse("support:steps_update"), {"steps": [orphan.pk], "status": "obtained"})
    assert Step.objects.get(pk=orphan.pk).status == "obtained"
