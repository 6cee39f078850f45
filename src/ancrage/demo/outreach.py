"""The demo's outreach (seed 004): the national network's list of senior tenants from Artois
Habitat's file (imported through the same path as a real extract), three targeting rules, two
segments given to the CLLAJ de l'Artois around Arras and to the Hauts-de-France antenna around
Lens, a letter campaign, and a few calls by the CLLAJ's counsellor — one of them a file opened
with a home-adaptation pathway."""

from __future__ import annotations

import csv
import datetime
import io
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ancrage.accounts.models import Organization, User
from ancrage.core.actor import acting_as
from ancrage.core.models import Territory
from ancrage.outreach import services
from ancrage.outreach.models import OutreachList, Prospect
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import Program, ProgramParticipant
from ancrage.support import services as support
from ancrage.support.models import Enrollment

PROGRAM = "Réseau national seniors et insertion"
LIST_NAME = "Locataires seniors — Pas-de-Calais"
# The landlord's own headers: the mapping says which is which.
HEADERS = [
    "NUM_LOCATAIRE",
    "NOM",
    "PRENOM",
    "DATE_NAISS",
    "ADRESSE",
    "CODE_INSEE",
    "TEL",
    "PERS_SEULE",
    "ETAGE",
    "ASCENSEUR",
    "LOGT_ADAPTE",
    "DEM_EMPLOI",
    "IMPAYES",
    "LOYER",  # not kept: outreach does not need it
]
MAPPING = {
    "reference": "NUM_LOCATAIRE",
    "nom": "NOM",
    "prenom": "PRENOM",
    "naissance": "DATE_NAISS",
    "adresse": "ADRESSE",
    "commune": "CODE_INSEE",
    "telephone": "TEL",
    "seul": "PERS_SEULE",
    "etage": "ETAGE",
    "ascenseur": "ASCENSEUR",
    "logement_adapte": "LOGT_ADAPTE",
    "demandeur_emploi": "DEM_EMPLOI",
    "impayes": "IMPAYES",
}
COMMUNES = ["62041", "62041", "62041", "62004", "62498", "62498"]  # Arras, Achicourt, Lens
LAST_NAMES = [
    "Lefebvre", "Dupont", "Vasseur", "Delattre", "Caron", "Lemaire", "Duhamel", "Leclercq",
    "Debruyne", "Kowalski", "Nowak", "Benaissa", "Mercier", "Dufour", "Carpentier", "Fontaine",
]  # fmt: skip
FIRST_NAMES = [
    "Jeanine", "Marcel", "Monique", "Roger", "Yvette", "Bernard", "Ginette", "Stanislas",
    "Fatima", "Josiane", "Henri", "Odette", "Karim", "Sandrine", "Ludovic", "Agnès",
]  # fmt: skip


def _extract(today: datetime.date) -> bytes:
    rng = random.Random(4)  # noqa: S311 (demo data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for i in range(48):
        senior = i % 3 != 2
        year = today.year - (rng.randint(72, 92) if senior else rng.randint(35, 58))
        writer.writerow(
            [
                f"AH-{20410 + i}",
                LAST_NAMES[i % len(LAST_NAMES)],
                FIRST_NAMES[(i * 7) % len(FIRST_NAMES)],
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                f"{1 + (i * 13) % 90} rue {('des Tilleuls', 'Victor-Hugo', 'Jean-Jaurès')[i % 3]}",
                COMMUNES[i % len(COMMUNES)],
                f"03 21 {i:02d} {(i * 7) % 100:02d} {(i * 3) % 100:02d}" if i % 4 else "",
                "oui" if senior and rng.random() < 0.6 else "non",
                "RDC" if i % 5 == 0 else str(1 + i % 6),
                "non" if rng.random() < 0.55 else "oui",
                "oui" if rng.random() < 0.15 else "non",
                "non" if senior else ("oui" if rng.random() < 0.7 else "non"),
                f"{rng.randint(100, 1800)},00" if rng.random() < 0.2 else "",
                f"{rng.randint(380, 620)},00",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def load_outreach(organizations: dict[str, Organization]) -> None:
    program = Program.objects.get(name=PROGRAM)
    operator = organizations["national_network"]
    landlord = organizations["cllaj_landlord"]
    relays = (organizations["cllaj"], organizations["antenna_hdf"])
    for organization, role in (
        (landlord, ParticipantRole.LANDLORD),
        (relays[0], ParticipantRole.RELAY),
    ):
        ProgramParticipant.objects.get_or_create(
            program=program, organization=organization, defaults={"role": role}
        )
    if OutreachList.objects.filter(organization=operator, name=LIST_NAME).exists():
        return
    coordinator = User.objects.get(email="coordination@demo.ancrage.fr")
    counsellor = User.objects.get(email="conseiller@demo.ancrage.fr")
    today = timezone.localdate()
    with acting_as(coordinator):
        outreach_list = services.create_list(
            organization=operator, program=program, name=LIST_NAME, actor=coordinator
        )
        services.save_mapping(
            outreach_list=outreach_list, landlord=landlord, columns=MAPPING, actor=coordinator
        )
        job = services.submit_import(
            outreach_list=outreach_list,
            landlord=landlord,
            actor=coordinator,
            filename="extrait-artois-habitat.csv",
            data=_extract(today),
            mode="valid",
            dry_run=False,
            enqueue=False,
        )
        services.run_import(job.pk)
        rules: list[tuple[str, list[dict[str, Any]], int]] = [
            (
                "75 ans et plus, seul·e, étage sans ascenseur",
                [
                    {"field": "age", "operator": "gte", "value": 75},
                    {"field": "lives_alone", "operator": "true"},
                    {"field": "floor", "operator": "gte", "value": 1},
                    {"field": "no_lift", "operator": "true"},
                ],
                40,
            ),
            ("Logement non adapté", [{"field": "unit_not_adapted", "operator": "true"}], 10),
            ("Demandeur·se d'emploi", [{"field": "job_seeker", "operator": "true"}], 25),
        ]
        for name, conditions, weight in rules:
            services.save_rule(
                outreach_list=outreach_list,
                name=name,
                conditions=conditions,
                weight=weight,
                actor=coordinator,
            )
        first = services.save_segment(
            outreach_list=outreach_list, name="Priorité 1", min_score=40, actor=coordinator
        )
        second = services.save_segment(
            outreach_list=outreach_list, name="Priorité 2", min_score=20, actor=coordinator
        )
        arras = Territory.objects.filter(kind="commune", code="62041").first()
        lens = Territory.objects.filter(kind="commune", code="62498").first()
        for segment in (first, second):
            if arras is not None and arras.epci_id:
                services.add_assignment(
                    outreach_list=outreach_list,
                    segment=segment,
                    territory=arras.epci,
                    assignee=relays[0],
                    actor=coordinator,
                )
            if lens is not None and lens.epci_id:
                services.add_assignment(
                    outreach_list=outreach_list,
                    segment=segment,
                    territory=lens.epci,
                    assignee=relays[1],
                    actor=coordinator,
                )
        services.create_campaign(
            outreach_list=outreach_list,
            name="Courrier de printemps",
            segment=first,
            starts_on=today - datetime.timedelta(days=20),
            letter=(
                "Bonjour {prenom} {nom},\n\nArtois Habitat et le réseau {dispositif} proposent "
                "aux locataires qui le souhaitent une visite gratuite pour adapter leur logement "
                "et bien vieillir chez soi. Le CLLAJ de l'Artois vous appellera dans les "
                "prochaines semaines.\n\nVous pouvez refuser ce contact à tout moment : il suffit "
                "de nous le dire."
            ),
            actor=coordinator,
        )
    mine = list(
        Prospect.objects.filter(outreach_list=outreach_list, assignee=relays[0]).order_by(
            "-score", "pk"
        )[:4]
    )
    day = today - datetime.timedelta(days=10)
    outcomes = ("interested", "unreachable", "refused", "contacted")
    with acting_as(counsellor):
        for prospect, outcome in zip(mine, outcomes, strict=False):
            services.record_attempt(
                prospect=prospect,
                channel="call",
                outcome=outcome,
                occurred_on=day,
                actor=counsellor,
            )
        if mine:
            services.record_consent(prospect=mine[0], on=day, actor=counsellor)
            converted = services.convert_prospect(
                prospect=mine[0],
                pathway="adaptation",
                on=day,
                confirmed_not_duplicate=True,
                actor=counsellor,
            )
            _adaptation_pathway(converted.person, counsellor, day)


def _adaptation_pathway(person, counsellor, day: datetime.date) -> None:
    """The converted tenant's pathway: the autonomy assessment, grab bars fitted five days later
    (the home is adapted that day), a walk-in shower still to be done."""
    enrollment = Enrollment.objects.get(person=person)
    support.start_support(enrollment=enrollment, on=day, actor=counsellor)
    support.record_assessment(
        enrollment=enrollment,
        assessed_on=day + datetime.timedelta(days=1),
        priorities={"housing": "high", "daily_life": "medium"},
        kind="autonomy",
        home_works=["grab_bars", "bathroom"],
        actor=counsellor,
    )
    bars = support.plan_work(
        enrollment=enrollment,
        kind="grab_bars",
        planned_on=day + datetime.timedelta(days=3),
        cost=Decimal("420.00"),
        actor=counsellor,
    )
    support.record_work_done(
        work=bars,
        done_on=day + datetime.timedelta(days=5),
        home_adapted=True,
        actor=counsellor,
    )
    support.plan_work(
        enrollment=enrollment,
        kind="bathroom",
        planned_on=day + datetime.timedelta(days=30),
        cost=Decimal("6800.00"),
        note="Douche de plain-pied, devis de l'artisan retenu",
        actor=counsellor,
    )
