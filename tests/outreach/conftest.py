"""An operator (the world's organization, running a LIANES-like program), a landlord whose files
it imports, a local association it assigns targets to, and three communes in two EPCI."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.accounts.models import Organization, User
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.outreach import services
from ancrage.outreach.models import OutreachList, ProspectImport
from ancrage.programs.enums import ParticipantRole, ProgramKind
from ancrage.programs.models import Program
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.core.factories import TerritoryFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory

HEADER = "reference;nom;prenom;naissance;adresse;commune;telephone;seul;etage;ascenseur;logement_adapte;demandeur_emploi;impayes"


@dataclass
class Outreach:
    world: object
    program: Program
    landlord: Organization
    association: Organization
    volunteer: User  # a counsellor of the association
    outreach_list: OutreachList
    arras: Territory  # commune of the first EPCI
    achicourt: Territory  # commune of the first EPCI
    lens: Territory  # commune of the second EPCI
    epci: Territory

    def load(self, text: str | bytes, *, mode="all", dry_run=False, filename="extrait.csv"):
        data = text.encode("utf-8") if isinstance(text, str) else text
        job = services.submit_import(
            outreach_list=self.outreach_list,
            landlord=self.landlord,
            actor=self.world.owner,
            filename=filename,
            data=data,
            mode=mode,
            dry_run=dry_run,
            enqueue=False,
        )
        return services.run_import(job.pk)


def line(ref, nom="Martin", prenom="Jeanne", naissance="1948", commune="62041", **cells):
    values = {
        "adresse": "3 rue des Lilas",
        "telephone": "",
        "seul": "oui",
        "etage": "3",
        "ascenseur": "non",
        "logement_adapte": "non",
        "demandeur_emploi": "non",
        "impayes": "",
    }
    values.update(cells)
    return ";".join(
        [
            ref,
            nom,
            prenom,
            naissance,
            values["adresse"],
            commune,
            values["telephone"],
            values["seul"],
            values["etage"],
            values["ascenseur"],
            values["logement_adapte"],
            values["demandeur_emploi"],
            values["impayes"],
        ]
    )


def csv_of(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


@pytest.fixture
def outreach(world) -> Outreach:
    epci = TerritoryFactory(kind=TerritoryKind.EPCI, code="200033579", name="CU d'Arras")
    other_epci = TerritoryFactory(kind=TerritoryKind.EPCI, code="200039659", name="CA de Lens")
    arras = TerritoryFactory(code="62041", name="Arras", epci=epci)
    achicourt = TerritoryFactory(code="62004", name="Achicourt", epci=epci)
    lens = TerritoryFactory(code="62498", name="Lens", epci=other_epci)
    program = ProgramFactory(
        name="1000 LIANES",
        kind=ProgramKind.SENIORS_AND_INSERTION,
        starts_on=datetime.date(2025, 1, 1),
    )
    ParticipantFactory(program=program, organization=world.org, role=ParticipantRole.OPERATOR)
    landlord = OrganizationFactory(
        name="Pas-de-Calais Habitat", kind=OrganizationKind.SOCIAL_LANDLORD
    )
    association = OrganizationFactory(
        name="Relais seniors d'Arras", kind=OrganizationKind.ASSOCIATION
    )
    ParticipantFactory(program=program, organization=association, role=ParticipantRole.PARTNER)
    volunteer = MembershipFactory(organization=association, role=Role.COUNSELLOR).user
    outreach_list = services.create_list(
        organization=world.org, program=program, name="Seniors 2026", actor=world.owner
    )
    return Outreach(
        world=world,
        program=program,
        landlord=landlord,
        association=association,
        volunteer=volunteer,
        outreach_list=outreach_list,
        arras=arras,
        achicourt=achicourt,
        lens=lens,
        epci=epci,
    )


__all__ = ["HEADER", "Outreach", "ProspectImport", "csv_of", "line"]
