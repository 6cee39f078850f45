"""Default deny, proven: every URL is in the registry, and each entry holds for the four personas."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.access_registry import REGISTRY
from ancrage.accounts.services import create_api_token
from ancrage.core.access import Audience, rule_for
from ancrage.core.urlwalk import iter_urls
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.activities.factories import (
    ActivityFactory,
    AttendanceFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.catalogue.factories import make_service
from tests.housing.factories import BedFactory, CommonSpaceFactory, ResidenceFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory
from tests.support.factories import (
    ContactFactory,
    DeskFactory,
    EnrollmentFactory,
    ReferralFactory,
    StepFactory,
)


def unregistered_url_names() -> list[str]:
    """Named URLs missing from the registry, and unnamed ones outside a namespace wildcard."""
    missing = []
    for url in iter_urls():
        if url.name is None:
            if not url.namespace or rule_for(f"{url.namespace}*") is None:
                missing.append(f"<sans nom> {url.route}")
        elif rule_for(url.name) is None:
            missing.append(url.name)
    return sorted(missing)


def test_every_url_is_in_the_access_registry():
    assert unregistered_url_names() == []


def test_the_registry_lists_no_url_that_does_not_exist():
    existing = {url.name for url in iter_urls()}
    stale = sorted(name for name in REGISTRY if not name.endswith(":*") and name not in existing)
    assert stale == []


@pytest.mark.urls("tests.core.urls_with_unregistered")
def test_a_view_added_without_registering_it_is_caught_and_denied(world):
    assert unregistered_url_names() == ["forgotten_view"]
    client = Client()
    client.force_login(world.owner)
    response = client.get("/oubli/")
    assert response.status_code == 403
    assert b"donn\xc3\xa9es sensibles" not in response.content


@dataclass
class Sample:
    kwargs: Any = None  # a callable taking the world, returning the URL kwargs
    method: str = "get"
    data: Any = None  # a callable taking the world, returning POST data
    redirects_to_login: bool = False  # the view itself ends on the login page (logout)


def _token(world) -> dict:
    token, _ = create_api_token(user=world.owner, name="Intégration", actor=world.owner)
    return {"token_id": token.pk}


def _step(world) -> dict:
    step = StepFactory(enrollment__organization=world.org, enrollment__referent=world.owner)
    return {"enrollment_id": step.enrollment_id, "step_id": step.pk}


def _adaptation(world):
    return EnrollmentFactory(organization=world.org, referent=world.owner, pathway="adaptation")


def _work(world):
    from ancrage.support.services import plan_work

    return plan_work(
        enrollment=_adaptation(world),
        kind="grab_bars",
        planned_on=timezone.localdate(),
        cost=300,
        actor=world.owner,
    )


def _milestone(world):
    from ancrage.support.services import add_milestone

    enrollment = EnrollmentFactory(
        organization=world.org, referent=world.owner, pathway="insertion"
    )
    return add_milestone(
        enrollment=enrollment, kind="orientation", on=timezone.localdate(), actor=world.owner
    )


def _assessment(world):
    from ancrage.support.services import record_assessment

    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    return record_assessment(
        enrollment=enrollment, assessed_on=timezone.localdate(), priorities={}, actor=world.owner
    )


def _exit(world):
    from ancrage.support.services import close_enrollment, start_support

    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    start_support(enrollment=enrollment, on=timezone.localdate(), actor=world.owner)
    return close_enrollment(
        enrollment=enrollment, outcome="other", on=timezone.localdate(), actor=world.owner
    ).exit


def _appointment(world) -> dict:
    from ancrage.support.services import schedule_appointment

    appointment = schedule_appointment(
        person=PersonFactory(organization=world.org),
        counsellor=world.owner,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        actor=world.owner,
    )
    return {"appointment_id": appointment.pk}


def _api_attendance(world) -> dict:
    attendance = AttendanceFactory(session__activity__organization=world.org)
    return {"pk": attendance.session_id, "person_id": attendance.person_id}


def _import_job(world) -> dict:
    from ancrage.imports.models import ImportJob

    job = ImportJob.objects.create(
        organization=world.org, created_by=world.owner, filename="reprise.xlsx", mode="all"
    )
    return {"job_id": job.pk}


def _outreach_list(world):
    from ancrage.outreach.models import OutreachList
    from ancrage.programs.enums import ParticipantRole
    from tests.programs.factories import ParticipantFactory

    program = ParticipantFactory(organization=world.org, role=ParticipantRole.OPERATOR).program
    return OutreachList.objects.create(organization=world.org, program=program, name="Seniors")


def _landlord():
    from ancrage.accounts.enums import OrganizationKind
    from tests.accounts.factories import OrganizationFactory

    return OrganizationFactory(kind=OrganizationKind.SOCIAL_LANDLORD)


def _prospect(world, **fields):
    from ancrage.outreach.models import Prospect

    today = timezone.localdate()
    return Prospect.objects.create(
        outreach_list=_outreach_list(world),
        landlord=_landlord(),
        tenant_ref="T1",
        last_name="Martin",
        first_name="Jeanne",
        first_seen_on=today,
        active_on=today,
        **fields,
    )


def _prospect_import(world) -> dict:
    from ancrage.outreach.models import ProspectImport

    job = ProspectImport.objects.create(
        outreach_list=_outreach_list(world),
        landlord=_landlord(),
        created_by=world.owner,
        filename="extrait.csv",
        mode="all",
    )
    return {"job_id": job.pk}


def _outreach_row(world, model, **fields) -> int:
    return model.objects.create(outreach_list=_outreach_list(world), **fields).pk


def _rule(world) -> int:
    from ancrage.outreach.models import ScoringRule

    return _outreach_row(
        world,
        ScoringRule,
        name="Seul·e",
        conditions=[{"field": "lives_alone", "operator": "true"}],
        weight=10,
    )


def _segment(world) -> int:
    from ancrage.outreach.models import Segment

    return _outreach_row(world, Segment, name="P1", min_score=10)


def _assignment(world) -> dict:
    from ancrage.outreach.models import Assignment, Segment

    outreach_list = _outreach_list(world)
    segment = Segment.objects.create(outreach_list=outreach_list, name="P1", min_score=10)
    assignment = Assignment.objects.create(
        outreach_list=outreach_list, segment=segment, assignee=world.org
    )
    return {"assignment_id": assignment.pk}


def _campaign(world) -> int:
    from ancrage.outreach.models import Campaign

    return _outreach_row(world, Campaign, name="Vague 1", starts_on=datetime.date(2026, 1, 5))


def _feed_key(world) -> dict:
    from ancrage.support.services import create_calendar_feed

    return {"key": create_calendar_feed(actor=world.owner)}


def _follow_up(world) -> dict:
    return {"follow_up_id": _exit(world).follow_ups.first().pk}


def _notification(world) -> int:
    from ancrage.notifications.services import notify

    return notify(
        recipients=[world.owner],
        organization=world.org,
        kind="referral_received",
        message="Toit Partagé Rhône vous oriente Samir.",
        link="/",
        key="registry",
    )[0].pk


def _rights_request(world) -> dict:
    from ancrage.privacy.models import RightsRequest

    request = RightsRequest.objects.create(
        organization=world.org, kind="access", received_on=datetime.date(2026, 1, 5)
    )
    return {"request_id": request.pk}


def _objection(world) -> dict:
    from ancrage.people.services import record_sharing_objection

    objection = record_sharing_objection(
        person=PersonFactory(organization=world.org), partner=world.other_org, actor=world.owner
    )
    return {"person_id": objection.person_id, "objection_id": objection.pk}


def _booking(world):
    from ancrage.housing.services import book_weeks

    bed = BedFactory(unit__residence__organization=world.org)
    return book_weeks(
        person=PersonFactory(organization=world.org),
        bed=bed,
        weeks=[datetime.date(2027, 1, 4)],
        actor=world.owner,
    )


def _rhythm(world):
    from ancrage.housing.services import create_rhythm

    return create_rhythm(
        person=PersonFactory(organization=world.org),
        name="CAP",
        template="1/1",
        first_school_week=datetime.date(2026, 9, 7),
        ends_on=datetime.date(2027, 6, 30),
        actor=world.owner,
    )


def _school_calendar(world):
    from ancrage.housing.services import import_school_calendar

    return import_school_calendar(
        organization=world.org,
        name="CAP 1re année",
        filename="c.csv",
        content=b"2026-09-07;2026-09-11",
        actor=world.owner,
    )


def _lease(world):
    from ancrage.housing.services import prepare_lease

    return prepare_lease(
        person=PersonFactory(organization=world.org),
        unit=BedFactory(unit__residence__organization=world.org).unit,
        kind="sublet",
        starts_on=datetime.date(2026, 1, 1),
        is_sliding=True,
        actor=world.owner,
    )


def _condition(world) -> dict:
    lease = _lease(world)
    return {"lease_id": lease.pk, "condition_id": lease.conditions.first().pk}


def _charge(world):
    from ancrage.housing.services import generate_charges

    booking = _booking(world)
    return generate_charges(booking=booking, through=datetime.date(2027, 1, 1), actor=world.owner)[
        0
    ]


def _inspection(world):
    from ancrage.housing.services import record_inspection

    lease = _lease(world)
    return record_inspection(
        unit=lease.unit,
        person=lease.person,
        kind="entry",
        done_on=datetime.date(2026, 1, 1),
        items=[{"room": "Entrée", "element": "Sol", "condition": "good"}],
        actor=world.owner,
    )


def _application(world):
    from ancrage.housing.services import submit_application

    return submit_application(
        residence=ResidenceFactory(organization=world.org),
        person=PersonFactory(organization=world.org),
        wished_from=datetime.date(2027, 1, 4),
        actor=world.owner,
    )


def _payment(world):
    from decimal import Decimal

    from ancrage.housing.services import record_payment

    return record_payment(
        person=PersonFactory(organization=world.org),
        amount=Decimal("50"),
        paid_on=datetime.date(2026, 1, 5),
        method="cash",
        actor=world.owner,
    )


def _report(world) -> dict:
    return {"organization_id": world.org.pk, "year": timezone.localdate().year}


def _annual_report(world):
    from ancrage.indicators.models import AnnualReport

    return AnnualReport.objects.create(organization=world.org, year=2025)


def _agreement(world):
    """An agreement funding the world's organization (its team reads it, others do not)."""
    from ancrage.funding.services import create_agreement
    from ancrage.programs.enums import ParticipantRole
    from tests.accounts.factories import MembershipFactory, OrganizationFactory
    from tests.programs.factories import ParticipantFactory, ProgramFactory

    funder = OrganizationFactory(kind="funder")
    decider = MembershipFactory(organization=funder, role="funder").user
    program = ProgramFactory(starts_on=datetime.date(2025, 1, 1))
    ParticipantFactory(program=program, organization=world.org, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    return create_agreement(
        funder=funder,
        beneficiary=world.org,
        program=program,
        subject="Accueil",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        amounts={2025: 2_500_000},
        actor=decider,
    )


def _call(world, *, funder=None, published=True, reviewers=()):
    """A call open now: by ``funder`` (another funder by default), with these reviewers."""
    from django.utils import timezone

    from ancrage.funding import services
    from ancrage.programs.enums import ParticipantRole
    from tests.accounts.factories import MembershipFactory, OrganizationFactory
    from tests.programs.factories import ParticipantFactory, ProgramFactory

    funder = funder or OrganizationFactory(kind="funder")
    decider = MembershipFactory(organization=funder, role="funder").user
    program = ProgramFactory()
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    now = timezone.now()
    call = services.create_call(
        funder=funder,
        program=program,
        title="Appel",
        text="Texte",
        envelope_cents=1_000_000,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        criteria=[("Projet", 1, 5)],
        reviewers=list(reviewers),
        actor=decider,
    )
    if published:
        services.publish_call(call=call, actor=decider)
    call.decider = decider
    return call


def _own_call(world, published=False):
    """A call of the world's organization (as a funder) that its owner and colleague review."""
    return _call(
        world, funder=world.org, published=published, reviewers=(world.owner, world.colleague)
    )


def _draft_application(world):
    """The world's organization's draft answer to another funder's call, with a document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.funding import services

    application = services.start_application(
        call=_call(world), applicant=world.org, actor=world.owner
    )
    services.add_application_document(
        application=application,
        label="Budget",
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n"),
        actor=world.owner,
    )
    return application


def _decided_application(world):
    from ancrage.funding.enums import ApplicationStatus

    application = _draft_application(world)
    application.status = ApplicationStatus.REJECTED
    application.submitted_at = application.decided_at = datetime.datetime.now(datetime.UTC)
    application.decision_comment = "Motif"
    application.save()
    return application


def _reviewed_application(world):
    """A submitted application to the world's organization's call (owner and colleague review)."""
    from ancrage.funding import services
    from tests.accounts.factories import MembershipFactory, OrganizationFactory

    call = _own_call(world, published=True)
    applicant = OrganizationFactory()
    writer = MembershipFactory(organization=applicant, role="admin").user
    application = services.start_application(call=call, applicant=applicant, actor=writer)
    services.save_application(
        application=application, project="Projet", amount_cents=100, actor=writer
    )
    return services.submit_application(application=application, actor=writer)


def _access_request(world):
    from ancrage.core.models import Territory
    from ancrage.funding.models import AccessRequest

    commune = Territory.objects.filter(kind="commune").first() or Territory.objects.create(
        kind="commune", code="62041", name="Arras"
    )
    return AccessRequest.objects.create(
        call=_own_call(world, published=True),
        organization_name="Association",
        kind="association",
        commune=commune,
        first_name="A",
        last_name="B",
        email="a@example.org",
    )


def _computed_period(world):
    from ancrage.indicators import rollup
    from ancrage.indicators.services import track_period

    rollup.refresh_period(
        track_period(first_month=datetime.date(2025, 1, 1), last_month=datetime.date(2025, 12, 1))
    )
    return {"organization_id": world.org.pk}


def _signed_agreement(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.funding.services import attach_signed_agreement

    agreement = _agreement(world)
    decider = agreement.funder.memberships.get(role="funder").user
    return attach_signed_agreement(
        agreement=agreement,
        upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"),
        signed_on=None,
        actor=decider,
    )


def _installment(world):
    from ancrage.funding.models import Installment

    agreement = _agreement(world)
    return Installment.objects.create(
        agreement=agreement,
        year=2025,
        kind="advance",
        amount_cents=100,
        planned_on=datetime.date(2025, 3, 1),
    )


def _run(world):
    from ancrage.allocation.services import start_run

    return start_run(
        residence=ResidenceFactory(organization=world.org),
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 7, 1),
        time_limit=1,
        actor=world.owner,
    )


RESIDENCE = Sample(kwargs=lambda w: {"residence_id": ResidenceFactory(organization=w.org).pk})


def _space(world) -> dict:
    space = CommonSpaceFactory(residence__organization=world.org)
    return {"residence_id": space.residence_id, "space_id": space.pk}


def _survey(world):
    import datetime

    from django.utils import timezone

    from ancrage.housing.services import create_survey

    today = timezone.localdate()
    return create_survey(
        residence=ResidenceFactory(organization=world.org),
        actor=world.owner,
        year=today.year,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=5),
    )


def _survey_kwargs(world) -> dict:
    survey = _survey(world)
    return {"residence_id": survey.residence_id, "survey_id": survey.pk}


def _staff_slot(world):
    import datetime

    from ancrage.housing.services import add_staff_slot

    return add_staff_slot(
        residence=ResidenceFactory(organization=world.org),
        actor=world.owner,
        weekday=2,
        starts=datetime.time(9),
        ends=datetime.time(17),
        who="Claire, hôtesse",
    )


def _residence_request(world):
    from django.utils import timezone

    from ancrage.housing.services import log_request

    return log_request(
        residence=ResidenceFactory(organization=world.org),
        actor=world.owner,
        kind="request",
        occurred_on=timezone.localdate(),
        summary="Ampoule du couloir à changer",
    )


def _pairing(world):
    import datetime

    from django.utils import timezone

    from ancrage.housing.services import book_open_ended, create_pairing

    residence = ResidenceFactory(organization=world.org, kind="intergenerational")
    people = []
    for _ in range(2):
        person = PersonFactory(organization=world.org, birth_date=None)
        book_open_ended(
            person=person,
            bed=BedFactory(unit__residence=residence, unit__organization=world.org),
            starts_on=timezone.localdate() - datetime.timedelta(days=30),
            actor=world.owner,
        )
        people.append(person)
    return create_pairing(
        residence=residence,
        actor=world.owner,
        senior=people[0],
        junior=people[1],
        started_on=timezone.localdate(),
        commitments="Un repas partagé par semaine.",
    )


def _space_booking(world):
    import datetime

    from django.utils import timezone

    from ancrage.housing.services import book_space

    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    return book_space(
        space=CommonSpaceFactory(residence__organization=world.org),
        actor=world.owner,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        purpose="Atelier",
    )


def _attendance(world) -> dict:
    attendance = AttendanceFactory(session__activity__organization=world.org)
    return {"session_id": attendance.session_id, "attendance_id": attendance.pk}


def _document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.people.services import add_document

    return add_document(
        person=PersonFactory(organization=world.org),
        kind="payslip",
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        actor=world.owner,
    )


def _document_kwargs(world) -> dict:
    document = _document(world)
    return {"person_id": document.person_id, "document_id": document.pk}


ACTIVITY = Sample(kwargs=lambda w: {"activity_id": ActivityFactory(organization=w.org).pk})


def _service(world) -> int:
    """A service the world's organization offers (no zone: no territory to load)."""
    return make_service(world.org, world.owner, eligibility_zone=[]).pk


def _packs(world) -> dict:
    """A pack of the world's organization with a housed resident, a delivery and an opening to
    a provider; and a pack of another manager whose resident is opened to the world's
    organization as a provider (the provider's pages)."""
    from ancrage.catalogue.services import (
        add_entitlement,
        create_pack,
        open_to_provider,
        record_delivery,
    )
    from ancrage.housing.services import book_open_ended

    today = timezone.localdate()
    provider = OrganizationFactory(name="Prestataire du pack", kind="service_provider")
    provider_admin = MembershipFactory(organization=provider, role="admin").user
    manager = OrganizationFactory(name="Gestionnaire voisin")
    manager_admin = MembershipFactory(organization=manager, role="admin").user
    result = {}
    for organization, actor, service_of, service_actor in (
        (world.org, world.owner, provider, provider_admin),
        (manager, manager_admin, world.org, world.owner),
    ):
        bed = BedFactory(unit__residence__organization=organization)
        pack = create_pack(
            organization=organization,
            residences=[bed.unit.residence],
            name="Pack CLEA",
            starts_on=today.replace(day=1) - datetime.timedelta(days=400),
            actor=actor,
        )
        service = make_service(service_of, service_actor, eligibility_zone=[])
        entitlement = add_entitlement(
            pack=pack,
            category="sport",
            label="Séances",
            quantity=4,
            period="month",
            service=service,
            actor=actor,
        )
        person = PersonFactory(organization=organization)
        book_open_ended(person=person, bed=bed, starts_on=today.replace(day=1), actor=actor)
        opening = open_to_provider(
            pack=pack, person=person, provider=service_of, consent_on=today, actor=actor
        )
        delivery = record_delivery(
            entitlement=entitlement,
            person=person,
            delivered_on=today,
            quantity=1,
            unit_cost_cents=500,
            payer="pack",
            actor=actor,
        )
        key = "own" if organization == world.org else "served"
        result[key] = {
            "pack": pack,
            "entitlement": entitlement,
            "person": person,
            "opening": opening,
            "delivery": delivery,
        }
    return result


def _pathways(world) -> dict:
    """A citizen pathway of the world's organization (a module delivered by a school, an
    apprentice opened to it), and another manager's pathway opened to the world's organization
    as the partner that delivers a module (the partner's pages)."""
    from ancrage.partnerships.services import pathways

    school = OrganizationFactory(name="CFA du parcours", kind="school")
    manager = OrganizationFactory(name="Résidence voisine")
    manager_admin = MembershipFactory(organization=manager, role="admin").user
    result = {}
    for organization, actor, partner in (
        (world.org, world.owner, school),
        (manager, manager_admin, world.org),
    ):
        participant = ParticipantFactory(organization=organization)
        template = pathways.create_template(
            organization=organization,
            program=participant.program,
            title="Parcours citoyen",
            clea_partner=partner,
            actor=actor,
        )
        person = PersonFactory(organization=organization)
        pathway = pathways.open_pathway(template=template, person=person, actor=actor)
        opening = pathways.open_to_partner(
            pathway=pathway, partner=partner, consent_on=timezone.localdate(), actor=actor
        )
        key = "own" if organization == world.org else "served"
        result[key] = {
            "template": template,
            "module": template.modules.first(),
            "pathway": pathway,
            "opening": opening,
        }
    return result


def _pathway(world) -> int:
    return _pathways(world)["own"]["pathway"].pk


def _pathway_registration(world) -> dict:
    own = _pathways(world)["own"]
    registration = RegistrationFactory(
        session__activity=own["module"].activity, person=own["pathway"].person
    )
    return {"pathway_id": own["pathway"].pk, "registration_id": registration.pk}


def _pack_kwargs(world) -> dict:
    own = _packs(world)["own"]
    return {"pack_id": own["pack"].pk, "person_id": own["person"].pk}


def _charter(world):
    from tests.partnerships.factories import prepare, ready

    return prepare(world, ready(world))


def _sign_token(world) -> dict:
    """A live signing link of the owner's charter (the token the party got by e-mail)."""
    import hashlib

    signatory = _charter(world).signatories.get(role="school")
    signatory.token_hash = hashlib.sha256(b"lien-de-test").hexdigest()
    signatory.save(update_fields=["token_hash"])
    return {"token": "lien-de-test"}


def _partner_agreement(world, *, signed: bool = False):
    """A two-party agreement recorded by the owner's organization."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.partnerships.services import agreements

    agreement = agreements.create_agreement(
        organization=world.org,
        title="Convention",
        purpose="Loger des salariés",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
        parties=[agreements.Party(OrganizationFactory(), "landlord")],
        actor=world.owner,
    )
    if signed:
        agreements.attach_signed(
            agreement=agreement,
            upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4 signed"),
            signed_on=datetime.date(2026, 1, 10),
            actor=world.owner,
        )
    return agreement


def _contact(world):
    """A contact of the owner's organization in a program it runs."""
    from ancrage.programs.services import add_contact

    participant = ParticipantFactory(organization=world.org)
    return add_contact(participant=participant, name="Paul Girard", actor=world.owner)


def _decision(world):
    """A steering committee of the owner's organization, a meeting, a decision the owner
    carries."""
    from ancrage.partnerships.services import committees

    program = ParticipantFactory(organization=world.org).program
    committee = committees.create_committee(
        organization=world.org, program=program, name="Copil", kind="steering", actor=world.owner
    )
    seat = committees.add_member(committee=committee, user=world.owner, actor=world.owner)
    meeting = committees.create_meeting(
        committee=committee, held_on=datetime.date(2026, 11, 20), actor=world.owner
    )
    return committees.add_decision(
        meeting=meeting,
        text="Relancer le CFA",
        owner=seat,
        due_on=datetime.date(2026, 12, 15),
        actor=world.owner,
    )


def _apprenticeship(world) -> int:
    from ancrage.partnerships.services import create_apprenticeship

    return create_apprenticeship(
        person=PersonFactory(organization=world.org),
        school=OrganizationFactory(kind="school"),
        employer=OrganizationFactory(kind="employer"),
        diploma="CAP Cuisine",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2028, 8, 31),
        actor=world.owner,
    ).pk


SESSION = Sample(kwargs=lambda w: {"session_id": SessionFactory(activity__organization=w.org).pk})
ORG = Sample(kwargs=lambda w: {"organization_id": w.org.pk})
SAMPLES: dict[str, Sample] = {
    "people:document_add": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk},
        method="post",
        data=lambda w: {},
    ),
    "people:document_download": Sample(kwargs=_document_kwargs),
    "people:document_delete": Sample(kwargs=_document_kwargs, method="post"),
    "api:document-detail": Sample(kwargs=lambda w: {"pk": _document(w).pk}),
    "api:document-file": Sample(kwargs=lambda w: {"pk": _document(w).pk}),
    "accounts:switch_organization": Sample(
        method="post", data=lambda w: {"organization": w.org.pk}
    ),
    "accounts:organization_detail": ORG,
    "accounts:organization_update": ORG,
    "accounts:member_list": ORG,
    "accounts:member_add": ORG,
    "accounts:member_detail": Sample(
        kwargs=lambda w: {"organization_id": w.org.pk, "membership_id": w.colleague_membership.pk}
    ),
    "accounts:member_update": Sample(
        kwargs=lambda w: {"organization_id": w.org.pk, "membership_id": w.colleague_membership.pk},
        method="post",
        data=lambda w: {"action": "role", "role": "counsellor"},
    ),
    "accounts:token_create": Sample(method="post", data=lambda w: {"name": "Outil"}),
    "accounts:token_revoke": Sample(kwargs=_token, method="post"),
    "account_logout": Sample(method="post", redirects_to_login=True),
    # Without a login in progress, the second step sends the visitor back to the first.
    "mfa_authenticate": Sample(redirects_to_login=True),
    "account_confirm_login_code": Sample(redirects_to_login=True),
    "account_reset_password_from_key": Sample(
        kwargs=lambda w: {"uidb36": "zz", "key": "cle-invalide"}
    ),
    "account_confirm_email": Sample(kwargs=lambda w: {"key": "cle-invalide"}),
    "api:organization-detail": Sample(kwargs=lambda w: {"pk": w.org.pk}),
    "api:membership-detail": Sample(kwargs=lambda w: {"pk": w.colleague_membership.pk}),
    "api:program-detail": Sample(
        kwargs=lambda w: {"pk": ParticipantFactory(organization=w.org).program_id}
    ),
    **{
        f"api:membership-{name}": Sample(
            kwargs=lambda w: {"pk": w.colleague_membership.pk}, method="post", data=lambda w: {}
        )
        for name in ("change-role", "deactivate", "reactivate")
    },
    "people:person_detail": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}
    ),
    "people:person_update": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}
    ),
    "api:person-detail": Sample(kwargs=lambda w: {"pk": PersonFactory(organization=w.org).pk}),
    "api:contact-detail": Sample(kwargs=lambda w: {"pk": ContactFactory(organization=w.org).pk}),
    "support:enrollment_open": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}
    ),
    "support:enrollment_detail": Sample(
        kwargs=lambda w: {
            "enrollment_id": EnrollmentFactory(organization=w.org, referent=w.owner).pk
        }
    ),
    "support:enrollment_transition": Sample(
        kwargs=lambda w: {
            "enrollment_id": EnrollmentFactory(organization=w.org, referent=w.owner).pk
        },
        method="post",
        data=lambda w: {"action": "start_assessment", "on": timezone.localdate().isoformat()},
    ),
    "support:step_add": Sample(
        kwargs=lambda w: {
            "enrollment_id": EnrollmentFactory(organization=w.org, referent=w.owner).pk
        },
        method="post",
        data=lambda w: {"kind": "fsl"},
    ),
    "support:step_status": Sample(
        kwargs=lambda w: _step(w), method="post", data=lambda w: {"status": "in_progress"}
    ),
    "support:referral_create": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}
    ),
    "support:referral_detail": Sample(
        kwargs=lambda w: {"referral_id": ReferralFactory(receiver=w.org).pk}
    ),
    "support:referral_decide": Sample(
        kwargs=lambda w: {"referral_id": ReferralFactory(receiver=w.org).pk},
        method="post",
        data=lambda w: {"decision": "accept"},
    ),
    "api:referral-detail": Sample(kwargs=lambda w: {"pk": ReferralFactory(receiver=w.org).pk}),
    "api:assessment-detail": Sample(kwargs=lambda w: {"pk": _assessment(w).pk}),
    "api:exit-detail": Sample(kwargs=lambda w: {"pk": _exit(w).pk}),
    "support:assessment_add": Sample(
        kwargs=lambda w: {
            "enrollment_id": EnrollmentFactory(organization=w.org, referent=w.owner).pk
        }
    ),
    "support:note_add": Sample(
        kwargs=lambda w: {
            "enrollment_id": EnrollmentFactory(organization=w.org, referent=w.owner).pk
        },
        method="post",
        data=lambda w: {"body": "Rendez-vous honoré.", "visibility": "team"},
    ),
    "api:step-detail": Sample(kwargs=lambda w: {"pk": _step(w)["step_id"]}),
    "support:pathway_set": Sample(
        kwargs=lambda w: {"enrollment_id": _adaptation(w).pk},
        method="post",
        data=lambda w: {"parcours-pathway": "staying_home"},
    ),
    "support:work_add": Sample(
        kwargs=lambda w: {"enrollment_id": _adaptation(w).pk},
        method="post",
        data=lambda w: {
            "travaux-kind": "doors",
            "travaux-planned_on": timezone.localdate().isoformat(),
            "travaux-cost": "800",
        },
    ),
    "support:work_done": Sample(
        kwargs=lambda w: (lambda work: {"enrollment_id": work.enrollment_id, "work_id": work.pk})(
            _work(w)
        ),
        method="post",
        data=lambda w: {},
    ),
    "support:home_adapted": Sample(
        kwargs=lambda w: {"enrollment_id": _adaptation(w).pk}, method="post", data=lambda w: {}
    ),
    "support:milestone_add": Sample(
        kwargs=lambda w: {"enrollment_id": _milestone(w).enrollment_id},
        method="post",
        data=lambda w: {
            "insertion-kind": "training",
            "insertion-on": timezone.localdate().isoformat(),
        },
    ),
    "support:milestone_delete": Sample(
        kwargs=lambda w: (lambda m: {"enrollment_id": m.enrollment_id, "milestone_id": m.pk})(
            _milestone(w)
        ),
        method="post",
    ),
    "api:adaptation-work-detail": Sample(kwargs=lambda w: {"pk": _work(w).pk}),
    "api:adaptation-work-done": Sample(
        kwargs=lambda w: {"pk": _work(w).pk}, method="post", data=lambda w: {}
    ),
    "api:insertion-milestone-detail": Sample(kwargs=lambda w: {"pk": _milestone(w).pk}),
    **{
        f"api:enrollment-{name}": Sample(
            kwargs=lambda w: {"pk": _adaptation(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("set-pathway", "home-adapted")
    },
    "api:step-set-status": Sample(
        kwargs=lambda w: {"pk": _step(w)["step_id"]}, method="post", data=lambda w: {}
    ),
    "api:enrollment-notes": Sample(
        kwargs=lambda w: {"pk": EnrollmentFactory(organization=w.org, referent=w.owner).pk},
        method="post",
        data=lambda w: {},
    ),
    "api:exit-follow-up": Sample(
        kwargs=lambda w: {"pk": _exit(w).pk}, method="post", data=lambda w: {}
    ),
    **{
        f"api:referral-{name}": Sample(
            kwargs=lambda w: {"pk": ReferralFactory(receiver=w.org).pk},
            method="post",
            data=lambda w: {},
        )
        for name in ("accept", "refuse")
    },
    "api:appointment-detail": Sample(kwargs=lambda w: {"pk": _appointment(w)["appointment_id"]}),
    "api:appointment-set-status": Sample(
        kwargs=lambda w: {"pk": _appointment(w)["appointment_id"]},
        method="post",
        data=lambda w: {},
    ),
    "api:desk-detail": Sample(kwargs=lambda w: {"pk": DeskFactory(organization=w.org).pk}),
    **{
        f"api:enrollment-{name}": Sample(
            kwargs=lambda w: {"pk": EnrollmentFactory(organization=w.org, referent=w.owner).pk},
            method="post",
            data=lambda w: {"on": "2026-11-20"},
        )
        for name in ("start-assessment", "start-support", "refuse", "abandon", "close")
    },
    "api:enrollment-detail": Sample(
        kwargs=lambda w: {"pk": EnrollmentFactory(organization=w.org, referent=w.owner).pk}
    ),
    "support:appointment_status": Sample(
        kwargs=_appointment, method="post", data=lambda w: {"status": "honoured"}
    ),
    "support:calendar_feed": Sample(kwargs=_feed_key),
    "support:follow_up_record": Sample(
        kwargs=_follow_up, method="post", data=lambda w: {"suivi-reached": ""}
    ),
    "people:person_merge": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}
    ),
    "people:objection_add": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk},
        method="post",
        data=lambda w: {"partner": w.other_org.pk, "objected_on": "2026-01-05"},
    ),
    "people:objection_remove": Sample(kwargs=_objection, method="post"),
    "housing:residence_detail": RESIDENCE,
    "api:lease-detail": Sample(kwargs=lambda w: {"pk": _lease(w).pk}),
    "api:inspection-detail": Sample(kwargs=lambda w: {"pk": _inspection(w).pk}),
    "api:charge-detail": Sample(kwargs=lambda w: {"pk": _charge(w).pk}),
    "api:payment-detail": Sample(kwargs=lambda w: {"pk": _payment(w).pk}),
    "api:housing-application-detail": Sample(kwargs=lambda w: {"pk": _application(w).pk}),
    "housing:application_create": RESIDENCE,
    "housing:waiting_list": RESIDENCE,
    "housing:waiting_list_rules": RESIDENCE,
    "housing:application_close": Sample(
        kwargs=lambda w: {"application_id": _application(w).pk},
        method="post",
        data=lambda w: {"status": "withdrawn"},
    ),
    "housing:inspection_create": Sample(
        kwargs=lambda w: {"lease_id": _lease(w).pk, "kind": "entry"}
    ),
    "housing:inspection_detail": Sample(kwargs=lambda w: {"inspection_id": _inspection(w).pk}),
    "housing:charge_notice": Sample(kwargs=lambda w: {"charge_id": _charge(w).pk}),
    "housing:charge_receipt": Sample(kwargs=lambda w: {"charge_id": _charge(w).pk}),
    "housing:lease_create": Sample(kwargs=lambda w: {"booking_id": _booking(w).pk}),
    "housing:lease_detail": Sample(kwargs=lambda w: {"lease_id": _lease(w).pk}),
    "housing:lease_action": Sample(
        kwargs=lambda w: {"lease_id": _lease(w).pk},
        method="post",
        data=lambda w: {"action": "sign", "on": "2026-01-01"},
    ),
    "housing:condition_set": Sample(kwargs=_condition, method="post", data=lambda w: {}),
    "housing:charges_generate": Sample(
        kwargs=lambda w: {"booking_id": _booking(w).pk},
        method="post",
        data=lambda w: {"through": "2027-01-31"},
    ),
    "housing:residence_charges": Sample(
        kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {"through": "2027-01-31"}
    ),
    "api:residence-generate-charges": Sample(
        kwargs=lambda w: {"pk": ResidenceFactory(organization=w.org).pk},
        method="post",
        data=lambda w: {"through": "2027-01-31"},
    ),
    "housing:account": Sample(kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}),
    "housing:allowance_add": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk},
        method="post",
        data=lambda w: {},
    ),
    "housing:payment_add": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk},
        method="post",
        data=lambda w: {},
    ),
    "api:residence-detail": Sample(
        kwargs=lambda w: {"pk": ResidenceFactory(organization=w.org).pk}
    ),
    "api:unit-detail": Sample(
        kwargs=lambda w: {"pk": BedFactory(unit__residence__organization=w.org).unit_id}
    ),
    "api:rhythm-detail": Sample(kwargs=lambda w: {"pk": _rhythm(w).pk}),
    "api:school-calendar-detail": Sample(kwargs=lambda w: {"pk": _school_calendar(w).pk}),
    "api:booking-detail": Sample(kwargs=lambda w: {"pk": _booking(w).pk}),
    **{
        f"api:booking-{name}": Sample(
            kwargs=lambda w: {"pk": _booking(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("cancel", "restore", "generate-charges")
    },
    **{
        f"api:lease-{name}": Sample(
            kwargs=lambda w: {"pk": _lease(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("sign", "end", "slide", "set-condition")
    },
    "api:payment-allowances": Sample(method="post", data=lambda w: {}),
    "api:housing-application-close": Sample(
        kwargs=lambda w: {"pk": _application(w).pk}, method="post", data=lambda w: {}
    ),
    "housing:unit_add": Sample(kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {}),
    "housing:occupancy": RESIDENCE,
    "housing:occupancy_export": RESIDENCE,
    "housing:unit_service": Sample(
        kwargs=lambda w: (lambda unit: {"residence_id": unit.residence_id, "unit_id": unit.pk})(
            BedFactory(unit__residence__organization=w.org).unit
        ),
        method="post",
        data=lambda w: {},
    ),
    "api:unit-service": Sample(
        kwargs=lambda w: {"pk": BedFactory(unit__residence__organization=w.org).unit_id},
        method="post",
        data=lambda w: {},
    ),
    "housing:booking_create": RESIDENCE,
    "housing:staff_slot_add": Sample(kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {}),
    "housing:staff_slot_remove": Sample(
        kwargs=lambda w: (lambda s: {"residence_id": s.residence_id, "slot_id": s.pk})(
            _staff_slot(w)
        ),
        method="post",
    ),
    "housing:request_list": RESIDENCE,
    "housing:request_add": Sample(kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {}),
    "housing:request_status": Sample(
        kwargs=lambda w: (lambda r: {"residence_id": r.residence_id, "request_id": r.pk})(
            _residence_request(w)
        ),
        method="post",
        data=lambda w: {"status": "done"},
    ),
    "api:staff-slot-detail": Sample(kwargs=lambda w: {"pk": _staff_slot(w).pk}),
    "api:residence-request-detail": Sample(kwargs=lambda w: {"pk": _residence_request(w).pk}),
    "housing:pairing_add": Sample(kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {}),
    "housing:pairing_end": Sample(
        kwargs=lambda w: (lambda p: {"residence_id": p.residence_id, "pairing_id": p.pk})(
            _pairing(w)
        ),
        method="post",
        data=lambda w: {"on": "2026-12-01"},
    ),
    "api:pairing-detail": Sample(kwargs=lambda w: {"pk": _pairing(w).pk}),
    "api:pairing-end": Sample(
        kwargs=lambda w: {"pk": _pairing(w).pk}, method="post", data=lambda w: {}
    ),
    "housing:survey_add": Sample(kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {}),
    "housing:survey_detail": Sample(kwargs=_survey_kwargs),
    "housing:survey_edit": Sample(kwargs=_survey_kwargs, method="post", data=lambda w: {}),
    "housing:survey_renew_link": Sample(kwargs=_survey_kwargs, method="post"),
    "survey:answer": Sample(kwargs=lambda w: {"token": _survey(w).token}),
    "api:survey-detail": Sample(kwargs=lambda w: {"pk": _survey(w).pk}),
    "api:survey-renew-link": Sample(
        kwargs=lambda w: {"pk": _survey(w).pk}, method="post", data=lambda w: {}
    ),
    "housing:space_add": Sample(kwargs=RESIDENCE.kwargs, method="post", data=lambda w: {}),
    "housing:space_detail": Sample(kwargs=_space),
    "housing:space_edit": Sample(kwargs=_space, method="post", data=lambda w: {}),
    "housing:space_book": Sample(kwargs=_space, method="post", data=lambda w: {}),
    "housing:space_booking_cancel": Sample(
        kwargs=lambda w: {"booking_id": _space_booking(w).pk}, method="post"
    ),
    "api:common-space-detail": Sample(
        kwargs=lambda w: {"pk": CommonSpaceFactory(residence__organization=w.org).pk}
    ),
    "api:space-booking-detail": Sample(kwargs=lambda w: {"pk": _space_booking(w).pk}),
    "api:space-booking-cancel": Sample(
        kwargs=lambda w: {"pk": _space_booking(w).pk}, method="post", data=lambda w: {}
    ),
    "housing:booking_detail": Sample(kwargs=lambda w: {"booking_id": _booking(w).pk}),
    "housing:booking_cancel": Sample(
        kwargs=lambda w: {"booking_id": _booking(w).pk}, method="post"
    ),
    "allocation:run_create": RESIDENCE,
    "allocation:run_detail": Sample(kwargs=lambda w: {"run_id": _run(w).pk}),
    "api:allocation-run-detail": Sample(kwargs=lambda w: {"pk": _run(w).pk}),
    "allocation:run_accept": Sample(
        kwargs=lambda w: {"run_id": _run(w).pk}, method="post", data=lambda w: {}
    ),
    "catalogue:service_detail": Sample(kwargs=lambda w: {"service_id": _service(w)}),
    "catalogue:service_update": Sample(kwargs=lambda w: {"service_id": _service(w)}),
    "catalogue:service_active": Sample(
        kwargs=lambda w: {"service_id": _service(w)},
        method="post",
        data=lambda w: {"is_active": "0"},
    ),
    "catalogue:service_delete": Sample(kwargs=lambda w: {"service_id": _service(w)}, method="post"),
    "api:service-detail": Sample(kwargs=lambda w: {"pk": _service(w)}),
    "catalogue:service_orient": Sample(
        kwargs=lambda w: {
            "service_id": _service(w),
            "person_id": PersonFactory(organization=w.org).pk,
        }
    ),
    "api:service-orient": Sample(
        kwargs=lambda w: {"pk": _service(w)},
        method="post",
        data=lambda w: {"person": PersonFactory(organization=w.org).pk, "consent_on": "2026-11-20"},
    ),
    "catalogue:pack_detail": Sample(kwargs=lambda w: {"pack_id": _packs(w)["own"]["pack"].pk}),
    "catalogue:pack_update": Sample(kwargs=lambda w: {"pack_id": _packs(w)["own"]["pack"].pk}),
    "catalogue:pack_delete": Sample(
        kwargs=lambda w: {"pack_id": _packs(w)["own"]["pack"].pk}, method="post"
    ),
    "catalogue:entitlement_add": Sample(kwargs=lambda w: {"pack_id": _packs(w)["own"]["pack"].pk}),
    "catalogue:entitlement_update": Sample(
        kwargs=lambda w: {"entitlement_id": _packs(w)["own"]["entitlement"].pk}
    ),
    "catalogue:entitlement_delete": Sample(
        kwargs=lambda w: {"entitlement_id": _packs(w)["own"]["entitlement"].pk}, method="post"
    ),
    "catalogue:pack_resident": Sample(kwargs=_pack_kwargs),
    "catalogue:delivery_create": Sample(
        kwargs=_pack_kwargs, method="post", data=lambda w: {"quantity": ""}
    ),
    "catalogue:opening_create": Sample(
        kwargs=_pack_kwargs, method="post", data=lambda w: {"consent_on": ""}
    ),
    "catalogue:opening_close": Sample(
        kwargs=lambda w: {"opening_id": _packs(w)["own"]["opening"].pk}, method="post"
    ),
    "catalogue:delivery_delete": Sample(
        kwargs=lambda w: {"delivery_id": _packs(w)["own"]["delivery"].pk}, method="post"
    ),
    "catalogue:provider_resident": Sample(
        kwargs=lambda w: {"opening_id": _packs(w)["served"]["opening"].pk}
    ),
    "api:pack-detail": Sample(kwargs=lambda w: {"pk": _packs(w)["own"]["pack"].pk}),
    "api:pack-residents": Sample(kwargs=lambda w: {"pk": _packs(w)["own"]["pack"].pk}),
    "api:pack-statement": Sample(kwargs=lambda w: {"pk": _packs(w)["own"]["pack"].pk}),
    "catalogue:pack_statement": Sample(kwargs=lambda w: {"pack_id": _packs(w)["own"]["pack"].pk}),
    "api:entitlement-detail": Sample(kwargs=lambda w: {"pk": _packs(w)["own"]["entitlement"].pk}),
    "api:pack-opening-detail": Sample(kwargs=lambda w: {"pk": _packs(w)["own"]["opening"].pk}),
    "api:pack-opening-close": Sample(
        kwargs=lambda w: {"pk": _packs(w)["own"]["opening"].pk}, method="post"
    ),
    "api:delivery-detail": Sample(kwargs=lambda w: {"pk": _packs(w)["own"]["delivery"].pk}),
    "pathways:template_detail": Sample(
        kwargs=lambda w: {"template_id": _pathways(w)["own"]["template"].pk}
    ),
    "pathways:module_add": Sample(
        kwargs=lambda w: {"template_id": _pathways(w)["own"]["template"].pk},
        method="post",
        data=lambda w: {"title": ""},
    ),
    "pathways:module_update": Sample(
        kwargs=lambda w: {"module_id": _pathways(w)["own"]["module"].pk}
    ),
    "pathways:module_delete": Sample(
        kwargs=lambda w: {"module_id": _pathways(w)["own"]["module"].pk}, method="post"
    ),
    "pathways:pathway_detail": Sample(kwargs=lambda w: {"pathway_id": _pathway(w)}),
    "pathways:pathway_register": Sample(
        kwargs=lambda w: {"pathway_id": _pathway(w)}, method="post", data=lambda w: {}
    ),
    "pathways:pathway_unregister": Sample(kwargs=lambda w: _pathway_registration(w), method="post"),
    "pathways:opening_create": Sample(
        kwargs=lambda w: {"pathway_id": _pathway(w)},
        method="post",
        data=lambda w: {"consent_on": ""},
    ),
    "pathways:opening_close": Sample(
        kwargs=lambda w: {"opening_id": _pathways(w)["own"]["opening"].pk}, method="post"
    ),
    "pathways:pathway_close": Sample(kwargs=lambda w: {"pathway_id": _pathway(w)}, method="post"),
    "pathways:pathway_certificate": Sample(kwargs=lambda w: {"pathway_id": _pathway(w)}),
    "pathways:partner_detail": Sample(
        kwargs=lambda w: {"opening_id": _pathways(w)["served"]["opening"].pk}
    ),
    "api:pathway-template-detail": Sample(
        kwargs=lambda w: {"pk": _pathways(w)["own"]["template"].pk}
    ),
    "api:pathway-module-detail": Sample(kwargs=lambda w: {"pk": _pathways(w)["own"]["module"].pk}),
    "api:pathway-detail": Sample(kwargs=lambda w: {"pk": _pathway(w)}),
    "api:pathway-close": Sample(kwargs=lambda w: {"pk": _pathway(w)}, method="post"),
    "api:pathway-reopen": Sample(kwargs=lambda w: {"pk": _pathway(w)}, method="post"),
    "api:pathway-certificate": Sample(kwargs=lambda w: {"pk": _pathway(w)}),
    "api:pathway-opening-detail": Sample(
        kwargs=lambda w: {"pk": _pathways(w)["own"]["opening"].pk}
    ),
    "api:pathway-opening-close": Sample(
        kwargs=lambda w: {"pk": _pathways(w)["own"]["opening"].pk}, method="post"
    ),
    "api:pathway-opening-sessions": Sample(
        kwargs=lambda w: {"pk": _pathways(w)["served"]["opening"].pk}
    ),
    "api:pathway-opening-attendance": Sample(
        kwargs=lambda w: {"pk": _pathways(w)["served"]["opening"].pk}, method="post"
    ),
    "partnerships:apprenticeship_detail": Sample(
        kwargs=lambda w: {"apprenticeship_id": _apprenticeship(w)}
    ),
    "partnerships:apprenticeship_update": Sample(
        kwargs=lambda w: {"apprenticeship_id": _apprenticeship(w)}
    ),
    "partnerships:apprenticeship_delete": Sample(
        kwargs=lambda w: {"apprenticeship_id": _apprenticeship(w)}, method="post"
    ),
    "partnerships:apprenticeship_rhythm": Sample(
        kwargs=lambda w: {"apprenticeship_id": _apprenticeship(w)}
    ),
    "api:apprenticeship-detail": Sample(kwargs=lambda w: {"pk": _apprenticeship(w)}),
    "partnerships:charter_create": Sample(
        kwargs=lambda w: {"apprenticeship_id": _apprenticeship(w)}
    ),
    "partnerships:template_detail": Sample(
        kwargs=lambda w: {"template_id": _charter(w).template_id}
    ),
    "partnerships:charter_detail": Sample(kwargs=lambda w: {"charter_id": _charter(w).pk}),
    "partnerships:charter_document": Sample(kwargs=lambda w: {"charter_id": _charter(w).pk}),
    "partnerships:charter_revoke": Sample(
        kwargs=lambda w: {"charter_id": _charter(w).pk}, method="post", data=lambda w: {}
    ),
    "partnerships:charter_resend": Sample(
        kwargs=lambda w: {
            "charter_id": (c := _charter(w)).pk,
            "signatory_id": c.signatories.get(role="school").pk,
        },
        method="post",
        data=lambda w: {},
    ),
    "charters:sign": Sample(kwargs=_sign_token),
    "agreements:agreement_detail": Sample(
        kwargs=lambda w: {"agreement_id": _partner_agreement(w).pk}
    ),
    "agreements:agreement_pdf": Sample(kwargs=lambda w: {"agreement_id": _partner_agreement(w).pk}),
    "agreements:signed_add": Sample(
        kwargs=lambda w: {"agreement_id": _partner_agreement(w).pk},
        method="post",
        data=lambda w: {},
    ),
    "agreements:signed_download": Sample(
        kwargs=lambda w: {"agreement_id": _partner_agreement(w, signed=True).pk}
    ),
    "api:partner-agreement-detail": Sample(kwargs=lambda w: {"pk": _partner_agreement(w).pk}),
    "api:partner-agreement-pdf": Sample(kwargs=lambda w: {"pk": _partner_agreement(w).pk}),
    "api:partner-agreement-signed": Sample(
        kwargs=lambda w: {"pk": _partner_agreement(w, signed=True).pk}
    ),
    "programs:program_network": Sample(
        kwargs=lambda w: {"program_id": _contact(w).participant.program_id}
    ),
    "programs:contact_add": Sample(
        kwargs=lambda w: {
            "program_id": (c := _contact(w)).participant.program_id,
            "participant_id": c.participant_id,
        },
        method="post",
        data=lambda w: {},
    ),
    "programs:contact_end": Sample(
        kwargs=lambda w: {
            "program_id": (c := _contact(w)).participant.program_id,
            "contact_id": c.pk,
        },
        method="post",
        data=lambda w: {},
    ),
    "api:program-contact-detail": Sample(kwargs=lambda w: {"pk": _contact(w).pk}),
    "api:program-contact-end": Sample(
        kwargs=lambda w: {"pk": _contact(w).pk}, method="post", data=lambda w: {}
    ),
    "committees:committee_detail": Sample(
        kwargs=lambda w: {"committee_id": _decision(w).meeting.committee_id}
    ),
    **{
        f"committees:{name}": Sample(
            kwargs=lambda w: {"committee_id": _decision(w).meeting.committee_id},
            method="post",
            data=lambda w: {},
        )
        for name in ("member_add", "meeting_create")
    },
    "committees:member_leave": Sample(
        kwargs=lambda w: {
            "committee_id": (d := _decision(w)).meeting.committee_id,
            "member_id": d.owner_id,
        },
        method="post",
        data=lambda w: {},
    ),
    "committees:meeting_detail": Sample(kwargs=lambda w: {"meeting_id": _decision(w).meeting_id}),
    **{
        f"committees:{name}": Sample(
            kwargs=lambda w: {"meeting_id": _decision(w).meeting_id},
            method="post",
            data=lambda w: {},
        )
        for name in ("meeting_update", "decision_add")
    },
    "committees:decision_done": Sample(
        kwargs=lambda w: {"decision_id": _decision(w).pk}, method="post", data=lambda w: {}
    ),
    "api:committee-detail": Sample(kwargs=lambda w: {"pk": _decision(w).meeting.committee_id}),
    "api:committee-members": Sample(
        kwargs=lambda w: {"pk": _decision(w).meeting.committee_id},
        method="post",
        data=lambda w: {},
    ),
    "api:meeting-detail": Sample(kwargs=lambda w: {"pk": _decision(w).meeting_id}),
    "api:decision-detail": Sample(kwargs=lambda w: {"pk": _decision(w).pk}),
    "api:decision-done": Sample(
        kwargs=lambda w: {"pk": _decision(w).pk}, method="post", data=lambda w: {}
    ),
    "api:charter-template-detail": Sample(kwargs=lambda w: {"pk": _charter(w).template_id}),
    "api:charter-detail": Sample(kwargs=lambda w: {"pk": _charter(w).pk}),
    "api:charter-document": Sample(kwargs=lambda w: {"pk": _charter(w).pk}),
    **{
        f"api:charter-{name}": Sample(
            kwargs=lambda w: {"pk": _charter(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("revoke", "resend")
    },
    "api:service-import": Sample(method="post", data=lambda w: {"mode": "dry_run", "services": []}),
    "activities:activity_detail": ACTIVITY,
    "activities:session_add": Sample(
        kwargs=ACTIVITY.kwargs, method="post", data=lambda w: {"place": ""}
    ),
    "activities:session_detail": SESSION,
    "activities:attendance_add": Sample(
        kwargs=SESSION.kwargs, method="post", data=lambda w: {"person": ""}
    ),
    "activities:attendance_remove": Sample(kwargs=_attendance, method="post"),
    "activities:attendances_add": Sample(
        kwargs=SESSION.kwargs, method="post", data=lambda w: {"persons": ""}
    ),
    "activities:session_head_count": Sample(
        kwargs=SESSION.kwargs, method="post", data=lambda w: {"anonymous_count": "4"}
    ),
    "activities:registration_add": Sample(kwargs=SESSION.kwargs, method="post", data=lambda w: {}),
    "activities:registration_remove": Sample(
        kwargs=lambda w: (lambda r: {"session_id": r.session_id, "registration_id": r.pk})(
            RegistrationFactory(session__activity__organization=w.org)
        ),
        method="post",
    ),
    "activities:session_cancel": Sample(kwargs=SESSION.kwargs, method="post"),
    "indicators:dashboard": Sample(data=lambda w: {"structure": w.org.pk}),
    "indicators:open_data": Sample(data=lambda w: {"structure": w.org.pk}),
    "indicators:period_report": Sample(
        kwargs=lambda w: {"organization_id": w.org.pk},
        data=lambda w: {"first_month": "2025-01", "last_month": "2025-12"},
    ),
    **{
        f"indicators:period_report_{kind}": Sample(
            kwargs=_computed_period,
            data=lambda w: {"first_month": "2025-01", "last_month": "2025-12"},
        )
        for kind in ("xlsx", "pdf")
    },
    "calls:public_detail": Sample(kwargs=lambda w: {"call_id": _call(w).pk}),
    "calls:application_start": Sample(
        kwargs=lambda w: {"call_id": _call(w).pk}, method="post", data=lambda w: {}
    ),
    "calls:call_detail": Sample(kwargs=lambda w: {"call_id": _own_call(w).pk}),
    "calls:call_publish": Sample(
        kwargs=lambda w: {"call_id": _own_call(w).pk}, method="post", data=lambda w: {}
    ),
    "calls:access_request_decide": Sample(
        kwargs=lambda w: {"request_id": _access_request(w).pk},
        method="post",
        data=lambda w: {"decision": "refuse"},
    ),
    "calls:application_detail": Sample(
        kwargs=lambda w: {"application_id": _draft_application(w).pk}
    ),
    **{
        f"calls:{name}": Sample(
            kwargs=lambda w: {"application_id": _draft_application(w).pk},
            method="post",
            data=lambda w: {},
        )
        for name in ("application_save", "application_document_add", "application_submit")
    },
    "calls:application_document_download": Sample(
        kwargs=lambda w: {
            "application_id": (a := _draft_application(w)).pk,
            "document_id": a.documents.get().pk,
        }
    ),
    "calls:application_document_delete": Sample(
        kwargs=lambda w: {
            "application_id": (a := _draft_application(w)).pk,
            "document_id": a.documents.get().pk,
        },
        method="post",
        data=lambda w: {},
    ),
    **{
        f"calls:{name}": Sample(
            kwargs=lambda w: {"application_id": _reviewed_application(w).pk},
            method="post",
            data=lambda w: {},
        )
        for name in ("application_review", "application_decide")
    },
    "calls:application_letter": Sample(
        kwargs=lambda w: {"application_id": _decided_application(w).pk}
    ),
    "api:call-detail": Sample(kwargs=lambda w: {"pk": _own_call(w).pk}),
    "api:call-ranking": Sample(kwargs=lambda w: {"pk": _own_call(w).pk}),
    "api:call-publish": Sample(
        kwargs=lambda w: {"pk": _own_call(w).pk}, method="post", data=lambda w: {}
    ),
    "api:application-detail": Sample(kwargs=lambda w: {"pk": _draft_application(w).pk}),
    "api:application-document": Sample(
        kwargs=lambda w: {
            "pk": (a := _draft_application(w)).pk,
            "document_id": a.documents.get().pk,
        }
    ),
    **{
        f"api:application-{name}": Sample(
            kwargs=lambda w: {"pk": _draft_application(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("documents", "submit")
    },
    "api:application-review": Sample(
        kwargs=lambda w: {"pk": _reviewed_application(w).pk}, method="post", data=lambda w: {}
    ),
    "api:application-reviews": Sample(kwargs=lambda w: {"pk": _reviewed_application(w).pk}),
    "api:application-decide": Sample(
        kwargs=lambda w: {"pk": _reviewed_application(w).pk}, method="post", data=lambda w: {}
    ),
    "api:application-letter": Sample(kwargs=lambda w: {"pk": _decided_application(w).pk}),
    "funding:agreement_detail": Sample(kwargs=lambda w: {"agreement_id": _agreement(w).pk}),
    "funding:agreement_pdf": Sample(kwargs=lambda w: {"agreement_id": _agreement(w).pk}),
    "funding:agreement_signed_add": Sample(
        kwargs=lambda w: {"agreement_id": _agreement(w).pk}, method="post", data=lambda w: {}
    ),
    "funding:agreement_partnership": Sample(
        kwargs=lambda w: {"agreement_id": _agreement(w).pk}, method="post", data=lambda w: {}
    ),
    "api:agreement-partnership": Sample(
        kwargs=lambda w: {"pk": _agreement(w).pk}, method="post", data=lambda w: {}
    ),
    "funding:agreement_signed_download": Sample(
        kwargs=lambda w: {"agreement_id": _signed_agreement(w).pk}
    ),
    "api:agreement-pdf": Sample(kwargs=lambda w: {"pk": _agreement(w).pk}),
    "api:agreement-signed": Sample(kwargs=lambda w: {"pk": _signed_agreement(w).pk}),
    **{
        f"funding:{name}": Sample(
            kwargs=lambda w: {"agreement_id": _agreement(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("objective_set", "installment_add")
    },
    **{
        f"funding:{name}": Sample(
            kwargs=lambda w: {
                "agreement_id": (i := _installment(w)).agreement_id,
                "installment_id": i.pk,
            },
            method="post",
            data=lambda w: {},
        )
        for name in ("installment_request", "installment_pay")
    },
    "api:agreement-detail": Sample(kwargs=lambda w: {"pk": _agreement(w).pk}),
    **{
        f"api:agreement-{name}": Sample(
            kwargs=lambda w: {"pk": _agreement(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("objectives", "installments")
    },
    "api:installment-detail": Sample(kwargs=lambda w: {"pk": _installment(w).pk}),
    **{
        f"api:installment-{name}": Sample(
            kwargs=lambda w: {"pk": _installment(w).pk}, method="post", data=lambda w: {}
        )
        for name in ("ask", "pay")
    },
    "indicators:annual_report": Sample(kwargs=_report),
    "api:annual-report-submit": Sample(method="post", data=lambda w: {}),
    "api:annual-report-detail": Sample(kwargs=lambda w: {"pk": _annual_report(w).pk}),
    "api:annual-report-approve": Sample(
        kwargs=lambda w: {"pk": _annual_report(w).pk}, method="post", data=lambda w: {}
    ),
    "api:annual-report-send-back": Sample(
        kwargs=lambda w: {"pk": _annual_report(w).pk}, method="post", data=lambda w: {}
    ),
    "indicators:report_submit": Sample(kwargs=_report, method="post"),
    "indicators:report_decide": Sample(kwargs=_report, method="post", data=lambda w: {}),
    "indicators:annual_report_pdf": Sample(kwargs=_report),
    "indicators:annual_report_xlsx": Sample(kwargs=_report),
    "indicators:reporting_table": Sample(kwargs=_report),
    "api:indicator-detail": Sample(kwargs=lambda w: {"code": "personnes_recues"}),
    "api:indicator-values": Sample(
        kwargs=lambda w: {"code": "personnes_recues"}, data=lambda w: {"organization": w.org.pk}
    ),
    "api:rights-request-detail": Sample(kwargs=lambda w: {"pk": _rights_request(w)["request_id"]}),
    "api:rights-request-answer": Sample(
        kwargs=lambda w: {"pk": _rights_request(w)["request_id"]}, method="post"
    ),
    "api:rights-request-export": Sample(
        method="post", data=lambda w: {"person": PersonFactory(organization=w.org).pk}
    ),
    "api:rights-request-erase": Sample(
        method="post",
        data=lambda w: {"person": PersonFactory(organization=w.org).pk, "reason": "Demande"},
    ),
    "privacy:request_create": Sample(
        method="post", data=lambda w: {"kind": "access", "received_on": "2026-01-05"}
    ),
    "privacy:request_answer": Sample(kwargs=_rights_request, method="post", data=lambda w: {}),
    "privacy:request_extend": Sample(kwargs=_rights_request, method="post"),
    "privacy:policy_update": Sample(
        method="post",
        data=lambda w: {"archive_after_months": "12", "anonymise_after_months": "48"},
    ),
    "privacy:person_export": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}, method="post"
    ),
    "privacy:person_erase": Sample(
        kwargs=lambda w: {"person_id": PersonFactory(organization=w.org).pk}
    ),
    "privacy:person_restore": Sample(
        kwargs=lambda w: {
            "person_id": PersonFactory(organization=w.org, archived_on=datetime.date(2026, 1, 5)).pk
        },
        method="post",
    ),
    "api:activity-detail": Sample(kwargs=lambda w: {"pk": ActivityFactory(organization=w.org).pk}),
    "api:session-detail": Sample(
        kwargs=lambda w: {"pk": SessionFactory(activity__organization=w.org).pk}
    ),
    **{
        f"api:session-{name}": Sample(
            kwargs=lambda w: {"pk": SessionFactory(activity__organization=w.org).pk},
            method="post",
            data=lambda w: {},
        )
        for name in ("attendances", "attendances-bulk", "head-count", "registrations")
    },
    "api:session-remove-registration": Sample(
        kwargs=lambda w: (lambda r: {"pk": r.session_id, "person_id": r.person_id})(
            RegistrationFactory(session__activity__organization=w.org)
        ),
        method="delete",
    ),
    "api:session-remove-attendance": Sample(kwargs=_api_attendance, method="delete"),
    "imports:mapping": Sample(kwargs=lambda w: {"kind": "personnes"}),
    "support:contact_link_person": Sample(
        kwargs=lambda w: {"contact_id": ContactFactory(organization=w.org).pk}
    ),
    "api:contact-link-person": Sample(
        kwargs=lambda w: {"pk": ContactFactory(organization=w.org).pk},
        method="post",
        data=lambda w: {"person": PersonFactory(organization=w.org).pk},
    ),
    "support:steps_update": Sample(method="post", data=lambda w: {"status": "obtained"}),
    "notifications:open": Sample(kwargs=lambda w: {"notification_id": _notification(w)}),
    "notifications:read_all": Sample(method="post"),
    "notifications:preferences": Sample(method="post", data=lambda w: {"email_mode": "daily"}),
    "api:notification-detail": Sample(kwargs=lambda w: {"pk": _notification(w)}),
    "api:notification-read": Sample(kwargs=lambda w: {"pk": _notification(w)}, method="post"),
    "api:notification-read-all": Sample(method="post"),
    "outreach:list_index": Sample(),
    "outreach:list_detail": Sample(kwargs=lambda w: {"list_id": _outreach_list(w).pk}),
    "outreach:import_create": Sample(kwargs=lambda w: {"list_id": _outreach_list(w).pk}),
    "outreach:targeting": Sample(kwargs=lambda w: {"list_id": _outreach_list(w).pk}),
    "outreach:prospect_list": Sample(kwargs=lambda w: {"list_id": _outreach_list(w).pk}),
    "outreach:mapping": Sample(
        kwargs=lambda w: {"list_id": _outreach_list(w).pk, "landlord_id": _landlord().pk}
    ),
    "outreach:campaign_create": Sample(
        kwargs=lambda w: {"list_id": _outreach_list(w).pk},
        method="post",
        data=lambda w: {"name": "Vague 1", "starts_on": "2026-01-05"},
    ),
    "outreach:import_detail": Sample(kwargs=_prospect_import),
    "outreach:import_report": Sample(kwargs=_prospect_import),
    "outreach:import_confirm": Sample(
        kwargs=_prospect_import, method="post", data=lambda w: {"mode": "valid"}
    ),
    "outreach:rule_delete": Sample(kwargs=lambda w: {"rule_id": _rule(w)}, method="post"),
    "outreach:segment_delete": Sample(kwargs=lambda w: {"segment_id": _segment(w)}, method="post"),
    "outreach:assignment_delete": Sample(kwargs=_assignment, method="post"),
    "outreach:campaign_detail": Sample(kwargs=lambda w: {"campaign_id": _campaign(w)}),
    "outreach:campaign_letters": Sample(kwargs=lambda w: {"campaign_id": _campaign(w)}),
    "outreach:campaign_letters_sent": Sample(
        kwargs=lambda w: {"campaign_id": _campaign(w)},
        method="post",
        data=lambda w: {"sent_on": "2026-01-05"},
    ),
    "outreach:prospect_detail": Sample(kwargs=lambda w: {"prospect_id": _prospect(w).pk}),
    "outreach:prospect_attempt": Sample(
        kwargs=lambda w: {"prospect_id": _prospect(w).pk},
        method="post",
        data=lambda w: {
            "attempt-channel": "call",
            "attempt-outcome": "unreachable",
            "attempt-occurred_on": "2026-01-05",
        },
    ),
    "outreach:prospect_consent": Sample(
        kwargs=lambda w: {"prospect_id": _prospect(w).pk},
        method="post",
        data=lambda w: {"consent-on": "2026-01-05"},
    ),
    "outreach:prospect_convert": Sample(
        kwargs=lambda w: {"prospect_id": _prospect(w, consent_on=datetime.date(2026, 1, 5)).pk},
        method="post",
        data=lambda w: {"convert-pathway": "adaptation"},
    ),
    "api:outreach-list-detail": Sample(kwargs=lambda w: {"pk": _outreach_list(w).pk}),
    "api:outreach-list-mapping": Sample(
        kwargs=lambda w: {"pk": _outreach_list(w).pk},
        method="post",
        data=lambda w: {"landlord": _landlord().pk, "columns": {"nom": "NOM"}},
    ),
    "api:prospect-import-detail": Sample(kwargs=lambda w: {"pk": _prospect_import(w)["job_id"]}),
    "api:prospect-import-report": Sample(kwargs=lambda w: {"pk": _prospect_import(w)["job_id"]}),
    "api:prospect-import-confirm": Sample(
        kwargs=lambda w: {"pk": _prospect_import(w)["job_id"]},
        method="post",
        data=lambda w: {"mode": "valid"},
    ),
    "api:scoring-rule-detail": Sample(kwargs=lambda w: {"pk": _rule(w)}),
    "api:segment-detail": Sample(kwargs=lambda w: {"pk": _segment(w)}),
    "api:assignment-detail": Sample(kwargs=lambda w: {"pk": _assignment(w)["assignment_id"]}),
    "api:campaign-detail": Sample(kwargs=lambda w: {"pk": _campaign(w)}),
    "api:campaign-letters": Sample(kwargs=lambda w: {"pk": _campaign(w)}),
    "api:campaign-letters-sent": Sample(
        kwargs=lambda w: {"pk": _campaign(w)},
        method="post",
        data=lambda w: {"sent_on": "2026-01-05"},
    ),
    "api:prospect-detail": Sample(kwargs=lambda w: {"pk": _prospect(w).pk}),
    "api:prospect-attempts": Sample(
        kwargs=lambda w: {"pk": _prospect(w).pk},
        method="post",
        data=lambda w: {"channel": "call", "outcome": "unreachable", "occurred_on": "2026-01-05"},
    ),
    "api:prospect-consent": Sample(
        kwargs=lambda w: {"pk": _prospect(w).pk},
        method="post",
        data=lambda w: {"on": "2026-01-05"},
    ),
    "api:prospect-convert": Sample(
        kwargs=lambda w: {"pk": _prospect(w, consent_on=datetime.date(2026, 1, 5)).pk},
        method="post",
        data=lambda w: {"pathway": "adaptation"},
    ),
    "imports:job_detail": Sample(kwargs=_import_job),
    "imports:job_report": Sample(kwargs=_import_job),
    "imports:job_confirm": Sample(
        kwargs=_import_job, method="post", data=lambda w: {"mode": "valid"}
    ),
}

PERSONAS = ["owner", "colleague", "outsider", "anonymous"]
ROLES = {"owner": "admin", "colleague": "read_only", "outsider": "admin"}
CHECKED = sorted(name for name in REGISTRY if not name.endswith(":*"))


def expected_outcome(name: str, persona: str) -> str:
    rule = REGISTRY[name]
    if persona == "anonymous":
        if rule.audience == Audience.PUBLIC:
            # Public steps of a flow with nothing in progress send the visitor back to the login page.
            return "login" if SAMPLES.get(name, Sample()).redirects_to_login else "allowed"
        return "login"
    if rule.audience == Audience.PUBLIC:
        return "allowed"
    if persona == "outsider" and rule.scoped:
        if name.startswith("api:") and not rule.allows_role(ROLES[persona]):
            # The API refuses a write the role may take nowhere before looking for the object.
            return "forbidden"
        return "not_found"
    if (
        persona == "colleague"
        and rule.scoped
        and rule.audience == Audience.AUTHENTICATED
        and name.startswith(("accounts:token", "notifications:", "api:notification-"))
    ):
        return "not_found"  # a personal token or notification belongs to its owner only
    if persona == "colleague" and name in ("committees:decision_done", "api:decision-done"):
        return "forbidden"  # a decision is marked done by its owner or the committee's organizers
    return "allowed" if rule.allows_role(ROLES[persona]) else "forbidden"


def outcome_of(response, is_api: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 404:
        return "not_found"
    if status == 403:
        # DRF answers 403 to anonymous session requests that carry no credentials.
        return "login" if is_api and response.wsgi_request.user.is_anonymous else "forbidden"
    if status == 401:
        return "login"
    if status in (301, 302) and "/compte/login/" in response.get("Location", ""):
        return "login"
    if status in (301, 302) and "/compte/2fa/totp/activate" in response.get("Location", ""):
        return "mfa"
    return "allowed"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", CHECKED)
def test_each_registered_url_as_owner_colleague_outsider_and_anonymous(world, name, persona):
    sample = SAMPLES.get(name, Sample())
    url = reverse(name, kwargs=sample.kwargs(world) if sample.kwargs else None)
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    data = sample.data(world) if sample.data else {}
    response = getattr(client, sample.method)(url, data)
    outcome = outcome_of(response, name.startswith("api:"))
    if sample.redirects_to_login and outcome == "login" and persona != "anonymous":
        outcome = "allowed"
    assert outcome == expected_outcome(name, persona), (
        f"{name} as {persona}: HTTP {response.status_code} {response.get('Location', '')}"
    )


def test_operators_admin_is_for_staff_only(world, user_factory):
    client = Client()
    client.force_login(world.owner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/exploitation/login/" in response["Location"]
    operator = user_factory(is_staff=True, is_superuser=True, with_mfa=True)
    client.force_login(operator)
    assert client.get(reverse("admin:index")).status_code == 200
