"""A charter ready to sign: a program run by the world's organization, its template, an
apprentice's contract, and the tokens of each party read back from the test mailbox."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core import mail

from ancrage.partnerships.models import Apprenticeship, Charter, CharterTemplate
from ancrage.partnerships.services import charters, create_apprenticeship
from tests.accounts.factories import OrganizationFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory

BODY = (
    "## Article 1 — Objet\n{apprenti} prépare « {diplome} » avec {ecole} et {employeur}.\n\n"
    "## Article 2 — Engagements\nChacun respecte la charte du dispositif {dispositif}."
)
LINK = re.compile(r"/chartes/signer/([A-Za-z0-9_-]+)/")
CODE = re.compile(r"\b(\d{6})\b")


@dataclass
class Ready:
    template: CharterTemplate
    apprenticeship: Apprenticeship
    parties: dict[str, tuple[str, str]]


def ready(world, *, birth_date=datetime.date(2000, 5, 4)) -> Ready:
    participant = ParticipantFactory(
        organization=world.org, program__name="Logement des alternants"
    )
    template = charters.create_template(
        program=participant.program, title="Charte CLEA", body=BODY, actor=world.owner
    )
    school = OrganizationFactory(name="CFA du Forez", kind="school")
    employer = OrganizationFactory(name="Boulangerie Vidal", kind="employer")
    person = PersonFactory(
        organization=world.org, first_name="Léa", last_name="Martin", birth_date=birth_date
    )
    apprenticeship = create_apprenticeship(
        person=person,
        school=school,
        employer=employer,
        diploma="CAP Boulanger",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2028, 8, 31),
        actor=world.owner,
    )
    parties = {
        "apprentice": ("Léa Martin", "lea.martin@exemple.fr"),
        "school": ("Paul Girard", "p.girard@cfa-forez.fr"),
        "employer": ("Anne Vidal", "anne@boulangerie-vidal.fr"),
    }
    return Ready(template, apprenticeship, parties)


def prepare(world, r: Ready, **changes) -> Charter:
    return charters.prepare_charter(
        apprenticeship=r.apprenticeship,
        template=r.template,
        consent_on=datetime.date(2026, 9, 2),
        parties=changes.pop("parties", r.parties),
        actor=world.owner,
        **changes,
    )


def links_by_email() -> dict[str, str]:
    """The latest signing token e-mailed to each address."""
    found: dict[str, str] = {}
    for message in mail.outbox:
        match = LINK.search(message.body)
        if match:
            found[message.to[0]] = match.group(1)
    return found


def last_code(email: str) -> str:
    for message in reversed(mail.outbox):
        if message.to == [email] and "code" in message.subject.lower():
            match = CODE.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no code e-mailed to {email}")
