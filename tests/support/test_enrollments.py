import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.support import services
from ancrage.support.models import Enrollment, EnrollmentEvent, Exit
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def owner(client, world):
    client.force_login(world.owner)
    return client


def test_open_assess_support_and_exit_through_the_pages(owner, world):
    person = PersonFactory(organization=world.org)
    requested = TODAY() - datetime.timedelta(days=60)
    response = owner.post(
        reverse("support:enrollment_open", args=[person.pk]),
        {"referent": world.owner.pk, "requested_on": requested.isoformat()},
    )
    enrollment = Enrollment.objects.get()
    assert response["Location"] == reverse("support:enrollment_detail", args=[enrollment.pk])
    url = reverse("support:enrollment_transition", args=[enrollment.pk])
    owner.post(
        url,
        {"action": "start_assessment", "on": (requested + datetime.timedelta(days=7)).isoformat()},
    )
    owner.post(
        url,
        {"action": "start_support", "on": (requested + datetime.timedelta(days=14)).isoformat()},
    )
    owner.post(
        url,
        {
            "action": "close",
            "on": TODAY().isoformat(),
            "outcome": "social_housing",
            "ready_for_housing": "on",
        },
    )
    enrollment.refresh_from_db()
    assert enrollment.status == "exited"
    assert enrollment.started_on == requested + datetime.timedelta(days=14)
    assert enrollment.ended_on == TODAY()
    assert enrollment.exit.outcome == "social_housing" and enrollment.exit.ready_for_housing
    assert list(enrollment.events.values_list("from_status", "to_status")) == [
        ("", "requested"),
        ("requested", "assessment"),
        ("assessment", "support"),
        ("support", "exited"),
    ]
    page = owner.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "Logement autonome — parc social" in page.text
    assert "prêt au logement" in page.text
    person_page = owner.get(reverse("people:person_detail", args=[person.pk]))
    assert "Sorti·e" in person_page.text


def test_a_transition_not_allowed_from_the_current_step_is_refused(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    with pytest.raises(ValidationError, match="Impossible depuis l'étape « Demande »"):
        services.abandon_enrollment(enrollment=enrollment, on=TODAY(), actor=world.owner)
    enrollment.refresh_from_db()
    assert enrollment.status == "requested"


def test_a_refusal_needs_a_reason(owner, world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    response = owner.post(
        reverse("support:enrollment_transition", args=[enrollment.pk]),
        {"action": "refuse", "on": TODAY().isoformat(), "note": ""},
    )
    assert response.status_code == 400
    assert "Indiquez le motif du refus." in response.text
    enrollment.refresh_from_db()
    assert enrollment.status == "requested"


def test_dates_before_the_request_or_in_the_future_are_refused(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    with pytest.raises(ValidationError, match="précéder la demande"):
        services.start_assessment(
            enrollment=enrollment,
            on=enrollment.requested_on - datetime.timedelta(days=1),
            actor=world.owner,
        )
    with pytest.raises(ValidationError, match="futur"):
        services.start_assessment(
            enrollment=enrollment, on=TODAY() + datetime.timedelta(days=1), actor=world.owner
        )


def test_one_open_enrollment_per_person_and_organization(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    with pytest.raises(ValidationError, match="déjà un accompagnement en cours"):
        services.open_enrollment(
            person=enrollment.person, referent=world.owner, requested_on=TODAY(), actor=world.owner
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(
            organization=world.org,
            person=enrollment.person,
            referent=world.owner,
            requested_on=TODAY(),
        )


@pytest.mark.unaudited_writes  # the database's own check, reached around the services on purpose
def test_the_database_refuses_a_closed_enrollment_without_end_date(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(status="exited")


def test_a_referent_must_belong_to_the_team(world):
    person = PersonFactory(organization=world.org)
    with pytest.raises(ValidationError, match="référent"):
        services.open_enrollment(
            person=person, referent=world.outsider, requested_on=TODAY(), actor=world.owner
        )


def test_read_only_colleague_sees_but_cannot_move_an_enrollment(client, world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    client.force_login(world.colleague)
    page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert page.status_code == 200
    assert "Faire avancer" not in page.text
    response = client.post(
        reverse("support:enrollment_transition", args=[enrollment.pk]),
        {"action": "start_assessment", "on": TODAY().isoformat()},
    )
    assert response.status_code == 403
    assert EnrollmentEvent.objects.filter(enrollment=enrollment).count() == 0


def test_outsiders_cannot_read_list_or_move_enrollments(client, world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    client.force_login(world.outsider)
    assert client.get(reverse("support:enrollment_detail", args=[enrollment.pk])).status_code == 404
    transition = reverse("support:enrollment_transition", args=[enrollment.pk])
    assert (
        client.post(
            transition, {"action": "start_assessment", "on": TODAY().isoformat()}
        ).status_code
        == 404
    )
    assert client.get(reverse("api:enrollment-list")).json()["results"] == []
    assert client.get(reverse("api:enrollment-detail", args=[enrollment.pk])).status_code == 404


def test_transitions_and_exit_are_audited(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    services.start_support(enrollment=enrollment, on=TODAY(), actor=world.owner)
    services.close_enrollment(
        enrollment=enrollment, outcome="employment", on=TODAY(), actor=world.owner
    )
    changes = [
        e.changes.get("status")
        for e in AuditEvent.objects.for_object(enrollment).filter(action="update").order_by("id")
    ]
    assert changes == [["requested", "support"], ["support", "exited"]]
    assert AuditEvent.objects.for_object(Exit.objects.get()).get().actor == world.owner


def test_enrollment_detail_keeps_a_constant_query_count(owner, world, count_queries):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    url = reverse("support:enrollment_detail", args=[enrollment.pk])
    owner.get(url)

    def count():
        return count_queries(lambda: owner.get(url))

    services.start_assessment(enrollment=enrollment, on=TODAY(), actor=world.owner)
    few = count()
    services.start_support(enrollment=enrollment, on=TODAY(), actor=world.owner)
    services.close_enrollment(enrollment=enrollment, outcome="other", on=TODAY(), actor=world.owner)
    assert count() == few
