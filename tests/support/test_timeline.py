"""The person's timeline, what every source says of the person, exactly (texts, days or times,
links, order) — read in one query for support's sources."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ancrage.casefile.queries import person_timeline
from ancrage.support import services as support
from tests.activities.factories import AttendanceFactory
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory, DeskFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


@time_machine.travel(datetime.datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False)
def test_every_source_of_the_timeline_in_order(world):
    person = PersonFactory(organization=world.org)
    other = PersonFactory(organization=world.org)
    ContactFactory(organization=world.org, person=other)  # someone else's: not shown
    ContactFactory(
        organization=world.org,
        person=person,
        channel="email",
        subjects=["housing", "mobility"],
        outcome="referral",
        occurred_at=_at(2, 23, 30),  # late at night in Paris: still 2 March
    )
    with time_machine.travel(_at(3, 10), tick=False):
        enrollment = support.open_enrollment(
            person=person,
            referent=world.owner,
            requested_on=datetime.date(2026, 3, 3),
            actor=world.owner,
        )
        step = support.add_step(enrollment=enrollment, kind="visale", actor=world.owner)
    support.set_step_status(
        step=step, status="obtained", actor=world.owner, on=datetime.date(2026, 3, 10)
    )
    support.schedule_appointment(
        person=person,
        counsellor=world.owner,
        starts_at=datetime.datetime(2027, 3, 5, 14, 30, tzinfo=PARIS),
        desk=DeskFactory(organization=world.org, name="Permanence de Lens"),
        place="bureau 2",
        actor=world.owner,
    )
    support.start_assessment(enrollment=enrollment, on=datetime.date(2026, 3, 4), actor=world.owner)
    support.start_support(enrollment=enrollment, on=datetime.date(2026, 3, 5), actor=world.owner)
    support.close_enrollment(
        enrollment=enrollment,
        outcome="social_housing",
        on=datetime.date(2026, 3, 12),
        note="relogée à Lens",
        actor=world.owner,
    )
    enrollment.refresh_from_db()
    follow_ups = list(enrollment.exit.follow_ups.order_by("due_on"))
    support.record_follow_up(
        follow_up=follow_ups[0],
        reached=True,
        housing="same_home",
        activity="employment",
        on=datetime.date(2026, 9, 18),
        actor=world.owner,
    )
    support.record_follow_up(
        follow_up=follow_ups[1], reached=False, on=datetime.date(2027, 2, 20), actor=world.owner
    )
    attendance = AttendanceFactory(
        session__activity__organization=world.org,
        session__activity__title="Trouver son logement",
        session__activity__kind="housing_workshop",
        session__starts_at=_at(8, 14),
        person=person,
    )
    detail = reverse("support:enrollment_detail", args=[enrollment.pk])
    session = reverse("activities:session_detail", args=[attendance.session_id])
    entries = [
        (
            e.when.astimezone(PARIS).strftime("%Y-%m-%d %H:%M"),
            str(e.kind),
            e.text,
            e.url,
            e.has_time,
        )
        for e in person_timeline(person)
    ]
    assert entries == [
        (
            "2027-03-05 14:30",
            "Rendez-vous",
            "avec Propriétaire Testeur, Permanence de Lens — bureau 2 (prévu)",
            "",
            True,
        ),
        (
            "2027-02-20 00:00",
            "Suivi après sortie",
            "12 mois après la sortie : personne non jointe",
            detail,
            False,
        ),
        (
            "2026-09-18 00:00",
            "Suivi après sortie",
            "6 mois après la sortie : Toujours dans le logement obtenu à la sortie ; en emploi",
            detail,
            False,
        ),
        ("2026-03-12 00:00", "Accompagnement", "Sorti·e — relogée à Lens", detail, False),
        ("2026-03-10 00:00", "Démarche", "Visale : obtenu", detail, False),
        (
            "2026-03-08 14:00",
            "Action collective",
            "Trouver son logement (atelier recherche logement)",
            session,
            True,
        ),
        ("2026-03-05 00:00", "Accompagnement", "Accompagnement", detail, False),
        ("2026-03-04 00:00", "Accompagnement", "Diagnostic", detail, False),
        ("2026-03-03 10:00", "Démarche", "Visale engagée", detail, True),
        ("2026-03-03 00:00", "Accompagnement", "Demande", detail, False),
        (
            "2026-03-02 23:30",
            "Contact",
            "E-mail — logement, mobilité ; suite : orientation",
            "",
            True,
        ),
    ]
