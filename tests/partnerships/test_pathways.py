"""The citizen pathway: modules offered only on the weeks an apprentice is present, a school
opened with consent notes attendance (first name and initial only, reads audited), completion and
the certificate follow."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ancrage.accounts.enums import Role
from ancrage.activities import services as activities_services
from ancrage.activities.models import Attendance, Registration, Session
from ancrage.audit.models import AuditEvent
from ancrage.housing.models.calendars import iso_week_label, monday_of
from ancrage.housing.services import book_weeks
from ancrage.partnerships import pathway_queries as queries
from ancrage.partnerships.models import Pathway, PathwayModule, PathwayOpening, PathwayTemplate
from ancrage.partnerships.services import pathways as services
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Clea:
    template: PathwayTemplate
    pathway: Pathway
    school: object
    teacher: object
    present_week: datetime.date
    away_week: datetime.date


def at(monday: datetime.date, weekday: int, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        monday + datetime.timedelta(days=weekday), datetime.time(hour), tzinfo=PARIS
    )


@pytest.fixture
def clea(world) -> Clea:
    participant = ParticipantFactory(organization=world.org, program__name="CLEA")
    school = OrganizationFactory(name="CFA du Forez", kind="school")
    teacher = MembershipFactory(
        organization=school, role=Role.PARTNER, user__email="prof@cfa-forez.fr"
    ).user
    residence = ResidenceFactory(organization=world.org, name="Résidence des Alternants")
    bed = BedFactory(unit__residence=residence)
    person = PersonFactory(organization=world.org, first_name="Élodie", last_name="Roux")
    present_week = monday_of(timezone.localdate()) + datetime.timedelta(weeks=2)
    book_weeks(person=person, bed=bed, weeks=[present_week], actor=world.owner)
    template = services.create_template(
        organization=world.org,
        program=participant.program,
        title="Parcours citoyen CLEA",
        residence=residence,
        clea_partner=school,
        actor=world.owner,
    )
    pathway = services.open_pathway(template=template, person=person, actor=world.owner)
    return Clea(
        template,
        pathway,
        school,
        teacher,
        present_week,
        present_week + datetime.timedelta(weeks=1),
    )


def module(clea: Clea, position: int = 1) -> PathwayModule:
    return clea.template.modules.get(position=position)


def schedule(world, clea, start, *, position=1, minutes=120) -> Session:
    return activities_services.schedule_session(
        activity=module(clea, position).activity,
        starts_at=start,
        duration_minutes=minutes,
        place="Salle du CFA",
        actor=world.owner,
    )


def test_a_new_template_has_the_five_clea_modules_delivered_by_the_school(clea):
    modules = list(clea.template.modules.order_by("position"))
    assert [m.title for m in modules] == [
        "Premiers secours",
        "Posture professionnelle",
        "Droits et devoirs",
        "Prévention",
        "Engagement",
    ]
    assert {m.delivered_by for m in modules} == {clea.school}
    assert all(m.is_required and m.expected_hours == 2 for m in modules)
    assert {m.activity.kind for m in modules} == {"citizen_pathway"}


def test_sessions_are_offered_and_taken_only_on_weeks_at_the_residence(world, clea):
    present = schedule(world, clea, at(clea.present_week, 1, 14))
    away = schedule(world, clea, at(clea.away_week, 1, 14))
    offers = queries.offers_for(clea.pathway)
    assert offers[0].offered == [present]
    person = clea.pathway.person
    with pytest.raises(ValidationError) as exc:
        activities_services.register(session=away, person=person, actor=world.owner)
    message = exc.value.message_dict["person"][0]
    assert iso_week_label(clea.away_week) in message
    assert "Élodie ne loge pas à la résidence" in message
    assert not Registration.objects.exists()
    activities_services.register(session=present, person=person, actor=world.owner)
    assert Registration.objects.filter(session=present, person=person).exists()


def test_the_same_rule_holds_on_the_pathway_page_and_nothing_is_written(world, clea, client):
    away = schedule(world, clea, at(clea.away_week, 2, 10))
    client.force_login(world.owner)
    url = reverse("pathways:pathway_register", args=[clea.pathway.pk])
    response = client.post(url, {"session": away.pk})
    assert response.status_code == 400
    assert iso_week_label(clea.away_week) in response.content.decode()
    assert not Registration.objects.exists()
    assert client.post(url, {"session": "abc"}).status_code == 400
    assert client.post(url, {"session": 10**30}).status_code == 400


def test_school_weeks_follow_the_rhythm(world, clea):
    from ancrage.housing.services import create_rhythm

    clea.template.presence = "school"
    clea.template.save()
    create_rhythm(
        person=clea.pathway.person,
        name="BTS 2026",
        template="1/1",
        first_school_week=clea.present_week,
        ends_on=clea.present_week + datetime.timedelta(weeks=20),
        actor=world.owner,
    )
    at_school = schedule(world, clea, at(clea.present_week, 3, 9))
    at_work = schedule(world, clea, at(clea.away_week, 3, 9))
    person = clea.pathway.person
    with pytest.raises(ValidationError, match="n'est pas à l'école"):
        activities_services.register(session=at_work, person=person, actor=world.owner)
    activities_services.register(session=at_school, person=person, actor=world.owner)


def test_someone_without_the_pathway_is_not_signed_up(world, clea):
    session = schedule(world, clea, at(clea.present_week, 1, 14))
    stranger = PersonFactory(organization=world.org, first_name="Jean")
    with pytest.raises(ValidationError, match="n'a pas de parcours"):
        activities_services.register(session=session, person=stranger, actor=world.owner)


def _attend(world, clea, *, position=1, weekday=1, minutes=120) -> Session:
    session = schedule(
        world, clea, at(clea.present_week, weekday, 14), position=position, minutes=minutes
    )
    activities_services.register(session=session, person=clea.pathway.person, actor=world.owner)
    return session


def test_the_school_notes_attendance_only_once_opened_with_consent(world, clea):
    session = _attend(world, clea)
    person = clea.pathway.person
    with time_machine.travel(at(clea.present_week, 1, 17)):
        with pytest.raises(PermissionDenied):
            activities_services.record_attendance(
                session=session, person=person, actor=clea.teacher
            )
        opening = services.open_to_partner(
            pathway=clea.pathway,
            partner=clea.school,
            consent_on=timezone.localdate(),
            actor=world.owner,
        )
        activities_services.record_attendance(session=session, person=person, actor=clea.teacher)
        assert Attendance.objects.filter(session=session, person=person).exists()
        services.close_opening(opening=opening, actor=world.owner)
        with pytest.raises(PermissionDenied):
            activities_services.remove_attendance(
                attendance=Attendance.objects.get(), actor=clea.teacher
            )


def test_an_outsider_cannot_open_or_close_and_a_stranger_school_is_refused(world, clea):
    with pytest.raises(PermissionDenied):
        services.open_to_partner(
            pathway=clea.pathway,
            partner=clea.school,
            consent_on=timezone.localdate(),
            actor=world.outsider,
        )
    other = OrganizationFactory(name="Lycée Voisin", kind="school")
    with pytest.raises(ValidationError, match="n'anime aucun module"):
        services.open_to_partner(
            pathway=clea.pathway,
            partner=other,
            consent_on=timezone.localdate(),
            actor=world.owner,
        )
    with pytest.raises(ValidationError) as exc:
        services.open_to_partner(
            pathway=clea.pathway,
            partner=clea.school,
            consent_on=timezone.localdate() + datetime.timedelta(days=3),
            actor=world.owner,
        )
    assert "consent_on" in exc.value.message_dict
    assert not PathwayOpening.objects.exists()


def test_completion_counts_required_modules_done_by_hours(world, clea):
    progress = queries.progress_of([clea.pathway])[clea.pathway.pk]
    assert progress.completion == 0 and len(progress.to_remind) == 5
    sessions = [_attend(world, clea, position=p, weekday=p % 5) for p in range(1, 6)]
    # A one-hour session is half of a two-hour module.
    short = schedule(world, clea, at(clea.present_week, 0, 9), position=5, minutes=60)
    with time_machine.travel(at(clea.present_week, 6, 9)):
        for session in sessions[:4]:
            activities_services.record_attendance(
                session=session, person=clea.pathway.person, actor=world.owner
            )
    progress = queries.progress_of([clea.pathway])[clea.pathway.pk]
    assert progress.completion == 80
    assert [m.module.title for m in progress.to_remind] == ["Engagement"]
    assert short.pk  # scheduled, not attended
    with time_machine.travel(at(clea.present_week, 6, 9)):
        activities_services.record_attendance(
            session=sessions[4], person=clea.pathway.person, actor=world.owner
        )
    progress = queries.progress_of([clea.pathway])[clea.pathway.pk]
    assert progress.completion == 100 and not progress.to_remind


def test_pages_as_owner_colleague_outsider_and_school(world, clea, client):
    session = _attend(world, clea)
    opening = services.open_to_partner(
        pathway=clea.pathway,
        partner=clea.school,
        consent_on=timezone.localdate(),
        actor=world.owner,
    )
    detail = reverse("pathways:pathway_detail", args=[clea.pathway.pk])
    partner = reverse("pathways:partner_detail", args=[opening.pk])
    client.force_login(world.owner)
    page = client.get(detail).content.decode()
    assert "Élodie Roux" in page or "ROUX" in page.upper()
    assert "Parcours réalisé à <strong>0 %</strong>" in page
    client.force_login(world.colleague)
    assert client.get(detail).status_code == 200
    assert client.post(reverse("pathways:pathway_close", args=[clea.pathway.pk])).status_code == 403
    client.force_login(world.outsider)
    assert client.get(detail).status_code == 404
    assert client.get(partner).status_code == 404
    client.force_login(clea.teacher)
    assert client.get(detail).status_code in (403, 404)
    listing = client.get(reverse("pathways:partner_list")).content.decode()
    assert "Élodie R." in listing and "Roux" not in listing
    page = client.get(partner).content.decode()
    assert "Élodie R." in page and "Roux" not in page
    assert AuditEvent.objects.filter(actor=clea.teacher, action="view").exists()
    with time_machine.travel(at(clea.present_week, 1, 18)):
        client.force_login(clea.teacher)
        response = client.post(partner, {"session": session.pk, "present": "1"})
        assert response.status_code == 302
    assert Attendance.objects.filter(session=session, recorded_by=clea.teacher).exists()
    client.logout()
    assert client.get(detail).status_code == 302


def test_the_certificate_names_the_modules_and_the_completion(world, clea, client):
    session = _attend(world, clea)
    with time_machine.travel(at(clea.present_week, 1, 18)):
        activities_services.record_attendance(
            session=session, person=clea.pathway.person, actor=world.owner
        )
    client.force_login(world.owner)
    response = client.get(reverse("pathways:pathway_certificate", args=[clea.pathway.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Élodie Roux" in text
    assert "Premiers secours" in text and "CFA du Forez" in text
    assert "20 %" in text


def test_a_module_with_sessions_is_not_removed(world, clea):
    schedule(world, clea, at(clea.present_week, 1, 14))
    with pytest.raises(ValidationError, match="annulez-les"):
        services.delete_module(module=module(clea), actor=world.owner)
    services.delete_module(module=module(clea, 2), actor=world.owner)
    assert clea.template.modules.count() == 4


def test_the_pathway_list_keeps_a_constant_query_count(world, clea, client, count_queries):
    client.force_login(world.owner)
    url = reverse("pathways:pathway_list")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for i in range(5):
        person = PersonFactory(organization=world.org, first_name=f"P{i}")
        services.open_pathway(template=clea.template, person=person, actor=world.owner)
    assert count_queries(lambda: client.get(url)) == few


def test_the_team_is_reminded_once_a_week_of_modules_neither_done_nor_scheduled(world, clea):
    from ancrage.notifications.models import Notification

    today = timezone.localdate()
    assert services.remind_modules_to_do(today) == 1  # the owner (the colleague reads only)
    notification = Notification.objects.get()
    assert notification.recipient == world.owner
    assert "1 alternant·e(s)" in notification.message and "Roux" not in notification.message
    assert services.remind_modules_to_do(today) == 0  # told once this week
    # Every required module scheduled: nobody to remind next week.
    for position in range(1, 6):
        _attend(world, clea, position=position, weekday=position % 5)
    assert services.remind_modules_to_do(today + datetime.timedelta(weeks=1)) == 0
