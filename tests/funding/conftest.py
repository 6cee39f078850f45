"""Shared by the funding tests: a CLLAJ funded by a Département in a program, its members."""

from __future__ import annotations

import datetime

import pytest

from ancrage.accounts.enums import OrganizationKind
from ancrage.funding import services
from ancrage.funding.models import Agreement
from ancrage.indicators import rollup
from ancrage.programs.enums import ParticipantRole
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.support.factories import ContactFactory

D = datetime.date
EUROS = 100  # cents


def member(organization, role):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def desk(db, settings):
    settings.DEMO = True
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois", kind=OrganizationKind.CLLAJ)
    funder = OrganizationFactory(name="Département", kind=OrganizationKind.FUNDER)
    outsider = OrganizationFactory(name="Autre CLLAJ", kind=OrganizationKind.CLLAJ)
    program = ProgramFactory(name="CLLAJ 62", starts_on=D(2025, 1, 1))
    ParticipantFactory(program=program, organization=cllaj, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    for day in (D(2025, 3, 3), D(2025, 6, 2), D(2025, 9, 1)):
        ContactFactory(
            organization=cllaj,
            channel="phone",
            occurred_at=datetime.datetime.combine(day, datetime.time(10), datetime.UTC),
        )
    rollup.refresh_year(2025)
    return {
        "cllaj": cllaj,
        "funder": funder,
        "program": program,
        "decider": member(funder, "funder"),
        "counsellor": member(cllaj, "counsellor"),
        "reader": member(cllaj, "read_only"),
        "stranger": member(outsider, "admin"),
    }


def agreement_of(desk) -> Agreement:
    return services.create_agreement(
        funder=desk["funder"],
        beneficiary=desk["cllaj"],
        program=desk["program"],
        subject="Accueil et accompagnement des jeunes vers le logement",
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 12, 31),
        amounts={2025: 25_000 * EUROS, 2026: 25_000 * EUROS},
        actor=desk["decider"],
    )
