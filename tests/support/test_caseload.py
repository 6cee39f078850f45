import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.enums import Role
from tests.accounts.factories import MembershipFactory
from tests.support.factories import EnrollmentFactory, StepFactory

pytestmark = pytest.mark.django_db
LATE = timezone.localdate() - datetime.timedelta(days=3)


def test_caseload_lists_my_open_enrollments_and_late_steps_only(client, world):
    colleague = MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    mine = EnrollmentFactory(
        organization=world.org, referent=world.owner, person__first_name="Mienne"
    )
    EnrollmentFactory(organization=world.org, referent=colleague, person__first_name="Autre")
    StepFactory(enrollment=mine, kind="fsl", due_on=LATE)
    StepFactory(enrollment=mine, kind="visale", due_on=LATE, status="obtained", done_on=LATE)
    closed = EnrollmentFactory(
        organization=world.org, referent=world.owner, status="exited", ended_on=timezone.localdate()
    )
    StepFactory(enrollment=closed, kind="deposit", due_on=LATE)
    client.force_login(world.owner)
    page = client.get(reverse("support:caseload"))
    assert "Mienne" in page.text
    assert "Autre" not in page.text
    assert page.context["overdue"][0].kind == "fsl"
    assert len(page.context["overdue"]) == 1


def test_caseload_query_count_is_constant(client, world, count_queries):
    client.force_login(world.owner)
    url = reverse("support:caseload")
    StepFactory(
        enrollment=EnrollmentFactory(organization=world.org, referent=world.owner), due_on=LATE
    )
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(15):
        StepFactory(
            enrollment=EnrollmentFactory(organization=world.org, referent=world.owner), due_on=LATE
        )
    assert count() == one
