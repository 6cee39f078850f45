"""Steps, notes, assessments, referrals, follow-ups, appointments and desks written through the
API: the pages' services, their permissions and messages, real past dates, external references."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.support.models import (
    Appointment,
    Assessment,
    Desk,
    Enrollment,
    Note,
    Referral,
    Step,
)
from ancrage.support.services import close_enrollment, start_support
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.api.clients import token_client
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory, ReferralFactory


@pytest.fixture
def counsellor(world):
    return MembershipFactory(organization=world.org, role="counsellor").user


@pytest.fixture
def enrollment(world, counsellor):
    return EnrollmentFactory(
        organization=world.org, referent=counsellor, requested_on=datetime.date(2025, 2, 3)
    )


def test_a_step_added_then_obtained_on_its_real_day(counsellor, enrollment):
    api = token_client(counsellor)
    created = api.post_json(
        "/api/v1/steps/",
        {
            "enrollment": enrollment.pk,
            "kind": "social_housing_request",
            "reference": "062250312345",
            "external_ref": "dem-1",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = api.post_json(
        "/api/v1/steps/",
        {"enrollment": enrollment.pk, "kind": "social_housing_request", "external_ref": "dem-1"},
    )
    assert (again.status_code, again.json()["id"]) == (200, pk)
    done = api.post_json(
        f"/api/v1/steps/{pk}/set-status/", {"status": "obtained", "on": "2025-06-02"}
    )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["done_on"]) == ("obtained", "2025-06-02")
    assert Step.objects.count() == 1


def test_a_step_obtained_tomorrow_is_refused_and_nothing_changes(counsellor, enrollment):
    api = token_client(counsellor)
    pk = api.post_json("/api/v1/steps/", {"enrollment": enrollment.pk, "kind": "fsl"}).json()["id"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api.post_json(
        f"/api/v1/steps/{pk}/set-status/", {"status": "obtained", "on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "futur" in response.json()["done_on"][0]
    assert Step.objects.get(pk=pk).status == "todo"


def test_steps_out_of_reach_or_without_the_role(world, counsellor, enrollment):
    theirs = EnrollmentFactory(organization=world.other_org)
    response = token_client(counsellor).post_json(
        "/api/v1/steps/", {"enrollment": theirs.pk, "kind": "fsl"}
    )
    assert response.status_code == 400
    assert response.json()["enrollment"] == ["Accompagnement introuvable dans vos structures."]
    read_only = token_client(world.colleague).post_json(
        "/api/v1/steps/", {"enrollment": enrollment.pk, "kind": "fsl"}
    )
    assert read_only.status_code == 403
    assert not Step.objects.exists()


def test_a_note_is_written_never_read_back(world, counsellor, enrollment):
    api = token_client(counsellor)
    response = api.post_json(
        f"/api/v1/enrollments/{enrollment.pk}/notes/",
        {"body": "Rendez-vous honoré, dossier CAF déposé.", "visibility": "referent"},
    )
    assert response.status_code == 201, response.content
    assert "body" not in response.json()
    assert Note.objects.get().visibility == "referent"
    empty = api.post_json(f"/api/v1/enrollments/{enrollment.pk}/notes/", {"body": "   "})
    assert empty.status_code == 400 and "body" in empty.json()
    outsider = token_client(world.outsider).post_json(
        f"/api/v1/enrollments/{enrollment.pk}/notes/", {"body": "x"}
    )
    assert outsider.status_code == 404
    assert (
        token_client(world.colleague)
        .post_json(f"/api/v1/enrollments/{enrollment.pk}/notes/", {"body": "x"})
        .status_code
        == 403
    )
    assert Note.objects.count() == 1


def test_an_assessment_with_its_grid(counsellor, enrollment):
    api = token_client(counsellor)
    response = api.post_json(
        "/api/v1/assessments/",
        {
            "enrollment": enrollment.pk,
            "assessed_on": "2025-02-10",
            "priorities": {"housing": "high", "budget": "medium"},
            "health_needs": ["care_access"],
            "housing_cost": "350.00",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["housing_priority"], body["budget_priority"], body["rights_priority"]) == (
        "high",
        "medium",
        "none",
    )
    before = api.post_json(
        "/api/v1/assessments/", {"enrollment": enrollment.pk, "assessed_on": "2025-01-02"}
    )
    assert before.status_code == 400
    assert "précéder la demande" in before.json()["assessed_on"][0]
    assert Assessment.objects.count() == 1


def test_a_referral_sent_and_accepted_on_their_real_days(world, counsellor):
    landlord = OrganizationFactory(name="Habitat du Nord", kind="social_landlord")
    receiver = MembershipFactory(organization=landlord, role="counsellor").user
    person = PersonFactory(organization=world.org, last_name="Durand", first_name="Élodie")
    sent = token_client(counsellor).post_json(
        "/api/v1/referrals/",
        {
            "person": person.pk,
            "receiver": landlord.pk,
            "purpose": "Demande de logement social",
            "shared_fields": ["last_name", "first_name"],
            "consent_on": "2025-03-01",
            "sent_on": "2025-03-03",
            "external_ref": "ori-7",
        },
    )
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    assert Referral.objects.get(pk=pk).sent_on == datetime.date(2025, 3, 3)
    # The sender cannot answer its own referral; the receiver cannot answer before it was sent.
    assert (
        token_client(counsellor).post_json(f"/api/v1/referrals/{pk}/accept/", {}).status_code == 403
    )
    early = token_client(receiver).post_json(
        f"/api/v1/referrals/{pk}/accept/", {"on": "2025-03-01"}
    )
    assert early.status_code == 400 and "précéder l'envoi" in early.json()["on"][0]
    accepted = token_client(receiver).post_json(
        f"/api/v1/referrals/{pk}/accept/", {"on": "2025-03-10"}
    )
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["status"], accepted.json()["decided_on"]) == ("accepted", "2025-03-10")
    opened = Enrollment.objects.get(organization=landlord)
    assert (opened.person.first_name, opened.requested_on) == ("Élodie", datetime.date(2025, 3, 10))
    twice = token_client(receiver).post_json(
        f"/api/v1/referrals/{pk}/refuse/", {"reason": "Complet"}
    )
    assert twice.status_code == 400 and "déjà reçu une réponse" in str(twice.json())


def test_a_referral_sent_in_the_future_or_before_consent_writes_nothing(world, counsellor):
    landlord = OrganizationFactory(kind="social_landlord")
    person = PersonFactory(organization=world.org)
    base = {
        "person": person.pk,
        "receiver": landlord.pk,
        "purpose": "Logement",
        "shared_fields": ["last_name", "first_name"],
    }
    api = token_client(counsellor)
    future = api.post_json(
        "/api/v1/referrals/", {**base, "consent_on": "2025-03-01", "sent_on": "2099-01-01"}
    )
    assert future.status_code == 400 and "sent_on" in future.json()
    early = api.post_json(
        "/api/v1/referrals/", {**base, "consent_on": "2025-03-05", "sent_on": "2025-03-01"}
    )
    assert early.status_code == 400 and "consent_on" in early.json()
    assert not Referral.objects.exists()


def test_a_referral_refused_with_its_reason(world):
    referral = ReferralFactory(receiver=world.org, sent_on=datetime.date(2025, 4, 1))
    api = token_client(world.owner)
    response = api.post_json(
        f"/api/v1/referrals/{referral.pk}/refuse/",
        {"reason": "Hors territoire", "on": "2025-04-02"},
    )
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    assert (referral.status, referral.refusal_reason, referral.decided_on) == (
        "refused",
        "Hors territoire",
        datetime.date(2025, 4, 2),
    )


def test_a_follow_up_six_months_after_the_exit(world, counsellor):
    enrollment = EnrollmentFactory(
        organization=world.org, referent=counsellor, requested_on=datetime.date(2025, 1, 6)
    )
    start_support(enrollment=enrollment, on=datetime.date(2025, 1, 20), actor=counsellor)
    close_enrollment(
        enrollment=enrollment, outcome="employment", on=datetime.date(2025, 3, 3), actor=counsellor
    )
    exit_pk = enrollment.exit.pk
    api = token_client(counsellor)
    response = api.post_json(
        f"/api/v1/exits/{exit_pk}/follow-up/",
        {
            "kind": "6m",
            "reached": True,
            "housing": "same_home",
            "activity": "employment",
            "on": "2025-09-05",
        },
    )
    assert response.status_code == 200, response.content
    six = next(f for f in response.json()["follow_ups"] if f["kind"] == "6m")
    assert (six["done_on"], six["still_housed"]) == ("2025-09-05", True)
    missing = api.post_json(f"/api/v1/exits/{exit_pk}/follow-up/", {"kind": "12m", "reached": True})
    assert missing.status_code == 400 and "housing" in missing.json()


def test_an_appointment_booked_then_honoured(world, counsellor):
    person = PersonFactory(organization=world.org)
    api = token_client(counsellor)
    response = api.post_json(
        "/api/v1/appointments/",
        {"person": person.pk, "starts_at": "2025-05-12T09:30:00+02:00", "place": "Siège"},
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["counsellor"] == counsellor.pk
    honoured = api.post_json(f"/api/v1/appointments/{pk}/set-status/", {"status": "honoured"})
    assert honoured.status_code == 200 and honoured.json()["status"] == "honoured"
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/appointments/{pk}/").status_code == 404
    assert (
        outsider.post_json(f"/api/v1/appointments/{pk}/set-status/", {"status": "missed"})
    ).status_code == 404
    assert Appointment.objects.get(pk=pk).status == "honoured"


def test_a_desk_opened_by_an_administrator_only(world, counsellor):
    refused = token_client(counsellor).post_json("/api/v1/desks/", {"name": "Mairie de Lens"})
    assert refused.status_code == 403
    created = token_client(world.owner).post_json(
        "/api/v1/desks/", {"name": "Mairie de Lens", "schedule": "Mardi 14 h – 17 h"}
    )
    assert created.status_code == 201, created.content
    assert Desk.objects.get().organization == world.org
    listed = token_client(world.outsider).get("/api/v1/desks/").json()["results"]
    assert listed == []


def test_an_idempotency_key_replays_the_first_answer(world, counsellor, enrollment):
    api = token_client(counsellor)
    body = {"enrollment": enrollment.pk, "kind": "visale"}
    first = api.post_json("/api/v1/steps/", body, HTTP_IDEMPOTENCY_KEY="cle-1")
    second = api.post_json("/api/v1/steps/", body, HTTP_IDEMPOTENCY_KEY="cle-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Step.objects.count() == 1
    other = api.post_json("/api/v1/steps/", {**body, "kind": "fsl"}, HTTP_IDEMPOTENCY_KEY="cle-1")
    assert other.status_code == 422 and "autre requête" in other.json()["detail"]
    # Another user's key is theirs: the same string does not replay someone else's answer.
    assert (
        token_client(world.owner)
        .post_json("/api/v1/steps/", body, HTTP_IDEMPOTENCY_KEY="cle-1")
        .status_code
        == 201
    )
    assert Step.objects.count() == 2


def test_a_refused_request_does_not_keep_its_key(counsellor, enrollment):
    api = token_client(counsellor)
    bad = api.post_json(
        "/api/v1/steps/", {"enrollment": enrollment.pk, "kind": "??"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert bad.status_code == 400
    fixed = api.post_json(
        "/api/v1/steps/", {"enrollment": enrollment.pk, "kind": "fsl"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert fixed.status_code == 201
    garbage = api.post_json(
        "/api/v1/steps/", {"enrollment": enrollment.pk, "kind": "fsl"}, HTTP_IDEMPOTENCY_KEY=" "
    )
    assert garbage.status_code == 400 and "Idempotency-Key" in garbage.json()


def test_writes_are_in_the_audit_trail(counsellor, enrollment):
    token_client(counsellor).post_json(
        "/api/v1/steps/", {"enrollment": enrollment.pk, "kind": "fsl"}
    )
    step = Step.objects.get()
    assert AuditEvent.objects.filter(
        action="create", content_type__model="step", object_id=str(step.pk), actor=counsellor
    ).exists()


def test_appointment_and_desk_lists_keep_a_constant_query_count(world, count_queries):
    from tests.support.factories import DeskFactory

    api = token_client(world.owner)
    lists = ("/api/v1/appointments/", "/api/v1/desks/")
    person = PersonFactory(organization=world.org)

    def add(n: int) -> None:
        for i in range(n):
            DeskFactory(organization=world.org)
            Appointment.objects.create(
                organization=world.org,
                person=person,
                counsellor=world.owner,
                starts_at=timezone.now() - datetime.timedelta(days=i + 1),
            )

    add(1)
    for url in lists:
        api.get(url)  # the first read of a kind looks up its content type once
    before = [count_queries(lambda url=url: api.get(url)) for url in lists]
    add(30)
    assert [count_queries(lambda url=url: api.get(url)) for url in lists] == before
    assert len(api.get("/api/v1/desks/").json()["results"]) == 31


@pytest.mark.parametrize(
    "url, body",
    [
        ("/api/v1/appointments/", {"starts_at": "0010-01-01T01:00:00Z"}),
        ("/api/v1/appointments/", {"starts_at": "2099-01-01T10:00:00Z"}),
    ],
)
def test_an_appointment_out_of_range_names_the_field(world, counsellor, url, body):
    person = PersonFactory(organization=world.org)
    response = token_client(counsellor).post_json(url, {"person": person.pk, **body})
    assert response.status_code == 400
    assert "une date entre le 01/01/1900 et le" in response.json()["starts_at"][0]
    assert not Appointment.objects.exists()
