"""A person's file with a bit of everything, dated 2019, for the lifecycle and rights tests."""

from __future__ import annotations

import datetime

import time_machine

from ancrage.people.models import Person
from ancrage.people.services import create_person
from ancrage.support.services import (
    add_note,
    add_step,
    close_enrollment,
    open_enrollment,
    record_contact,
    schedule_appointment,
    send_referral,
    start_support,
)

LAST, FIRST, PHONE, EMAIL = "Zébulonnet", "Aurélie", "0612345678", "aurelie.z@exemple.fr"
BORN = datetime.date(2001, 4, 17)


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC), tick=False
    )


def rich_file(world, counsellor) -> Person:
    """A person followed in 2019: contacts, an enrollment with steps, notes, a referral, an exit."""
    with at(datetime.date(2019, 3, 4)):
        person = create_person(
            organization=world.org,
            actor=counsellor,
            last_name=LAST,
            first_name=FIRST,
            birth_date=BORN,
            phone=PHONE,
            email=EMAIL,
            situation="apprentice",
            household=[{"first_name": "Gédéon", "relationship": "child", "birth_year": 2018}],
        )
        record_contact(
            organization=world.org,
            actor=counsellor,
            channel="phone",
            subjects=["housing"],
            outcome="information",
            person=person,
            outcome_detail=f"{FIRST} rappellera depuis le {PHONE}",
        )
        enrollment = open_enrollment(
            person=person,
            referent=counsellor,
            requested_on=datetime.date(2019, 3, 4),
            actor=counsellor,
        )
        start_support(enrollment=enrollment, on=datetime.date(2019, 3, 4), actor=counsellor)
        add_step(
            enrollment=enrollment,
            kind="social_housing_request",
            reference="062019A01234",
            note=f"Dossier de {LAST}",
            actor=counsellor,
        )
        add_note(
            enrollment=enrollment,
            body=f"{FIRST} {LAST} vit chez sa tante.",
            visibility="team",
            actor=counsellor,
        )
        schedule_appointment(
            person=person,
            counsellor=counsellor,
            starts_at=datetime.datetime(2019, 3, 5, 9, tzinfo=datetime.UTC),
            purpose=f"Point avec {FIRST}",
            place="Bureau 2",
            actor=counsellor,
        )
        send_referral(
            person=person,
            receiver=world.other_org,
            purpose=f"Hébergement pour {FIRST}",
            shared_fields=["last_name", "first_name", "phone", "birth_date"],
            consent_on=datetime.date(2019, 3, 4),
            actor=counsellor,
        )
    with at(datetime.date(2019, 6, 28)):
        close_enrollment(
            enrollment=enrollment,
            outcome="other",
            on=datetime.date(2019, 6, 28),
            note=f"{FIRST} part chez son père",
            actor=counsellor,
        )
    return person
