import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ancrage.support import services
from ancrage.support.models import FollowUp
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db
SIX_MONTHS_AGO = timezone.localdate() - datetime.timedelta(days=185)


def _close(world, on):
    enrollment = EnrollmentFactory(
        organization=world.org, referent=world.owner, requested_on=on - datetime.timedelta(days=60)
    )
    services.start_support(
        enrollment=enrollment, on=on - datetime.timedelta(days=30), actor=world.owner
    )
    return services.close_enrollment(
        enrollment=enrollment, outcome="social_housing", on=on, actor=world.owner
    )


def test_an_exit_schedules_checks_at_six_and_twelve_months(world):
    enrollment = _close(world, datetime.date(2026, 8, 31))
    assert [(f.kind, f.due_on) for f in enrollment.exit.follow_ups.all()] == [
        ("6m", datetime.date(2027, 2, 28)),
        ("12m", datetime.date(2027, 8, 31)),
    ]


@time_machine.travel(datetime.datetime(2027, 3, 2, 10, tzinfo=datetime.UTC))
def test_recording_a_check_says_whether_the_person_is_still_housed(world):
    follow_up = _close(world, datetime.date(2026, 8, 31)).exit.follow_ups.first()
    services.record_follow_up(
        follow_up=follow_up,
        reached=True,
        housing="same_home",
        activity="training",
        actor=world.owner,
    )
    follow_up.refresh_from_db()
    assert follow_up.done_on == timezone.localdate()
    assert (follow_up.still_housed, follow_up.in_work_or_training) == (True, True)


def test_a_reached_person_needs_housing_and_activity_answers(world):
    follow_up = _close(world, SIX_MONTHS_AGO).exit.follow_ups.first()
    with pytest.raises(ValidationError) as exc:
        services.record_follow_up(follow_up=follow_up, reached=True, actor=world.owner)
    assert set(exc.value.message_dict) == {"housing", "activity"}
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_a_person_not_reached_leaves_the_situation_unknown(world):
    follow_up = _close(world, SIX_MONTHS_AGO).exit.follow_ups.first()
    services.record_follow_up(
        follow_up=follow_up, reached=False, housing="same_home", actor=world.owner
    )
    follow_up.refresh_from_db()
    assert follow_up.housing == ""
    assert follow_up.still_housed is None


def test_the_enrollment_page_records_a_check(client, world):
    enrollment = _close(world, SIX_MONTHS_AGO)
    follow_up = enrollment.exit.follow_ups.first()
    client.force_login(world.owner)
    page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "Suivi après la sortie" in page.text
    prefix = f"suivi-{follow_up.pk}"
    response = client.post(
        reverse("support:follow_up_record", args=[follow_up.pk]),
        {f"{prefix}-reached": "yes", f"{prefix}-housing": "", f"{prefix}-activity": "employment"},
    )
    assert response.status_code == 400
    assert "Indiquez où la personne est logée" in response.text
    response = client.post(
        reverse("support:follow_up_record", args=[follow_up.pk]),
        {
            f"{prefix}-reached": "yes",
            f"{prefix}-housing": "other_autonomous",
            f"{prefix}-activity": "employment",
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=follow_up.pk).housing == "other_autonomous"


def test_the_caseload_lists_checks_due_soon(client, world):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=190)):
        enrollment = _close(world, timezone.localdate())
    client.force_login(world.owner)
    page = client.get(reverse("support:caseload"))
    assert [f.exit.enrollment for f in page.context["follow_ups"]] == [enrollment]


def test_outsiders_cannot_record_or_read_a_check(client, world):
    follow_up = _close(world, SIX_MONTHS_AGO).exit.follow_ups.first()
    client.force_login(world.outsider)
    response = client.post(
        reverse("support:follow_up_record", args=[follow_up.pk]),
        {f"suivi-{follow_up.pk}-reached": "no"},
    )
    assert response.status_code == 404
    assert client.get(reverse("api:exit-list")).json()["results"] == []
    client.force_login(world.colleague)
    response = client.post(
        reverse("support:follow_up_record", args=[follow_up.pk]),
        {f"suivi-{follow_up.pk}-reached": "no"},
    )
    assert response.status_code == 403


def test_a_check_is_not_recorded_months_ahead(world):
    enrollment = _close(world, timezone.localdate() - datetime.timedelta(days=10))
    follow_up = enrollment.exit.follow_ups.first()
    with pytest.raises(ValidationError) as exc:
        services.record_follow_up(follow_up=follow_up, reached=False, actor=world.owner)
    assert f"à partir du {follow_up.opens_on:%d/%m/%Y}" in exc.value.message_dict["done_on"][0]


def test_exits_api_gives_the_checks_with_a_constant_query_count(client, world, count_queries):

    _close(world, SIX_MONTHS_AGO)
    client.force_login(world.owner)
    url = reverse("api:exit-list")
    first = client.get(url).json()["results"][0]
    assert [f["kind"] for f in first["follow_ups"]] == ["6m", "12m"]

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(10):
        _close(world, SIX_MONTHS_AGO)
    assert count() == one
