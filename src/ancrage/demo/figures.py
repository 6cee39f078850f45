"""Demo data that the dashboards need: housing partners of the CLLAJ, the regional antennas of the
national network with two years of pathways, targets, a draft annual report; then the first refresh
of the rollup tables."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from ancrage.accounts.models import Organization, User
from ancrage.core.actor import acting_as
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.indicators.models import AnnualReport, Target
from ancrage.indicators.rollup import refresh_periods, refresh_year
from ancrage.people.services import create_person
from ancrage.programs.models import Program
from ancrage.support import services
from ancrage.support.enums import Channel, Direction, ExitOutcome, Outcome, Subject
from ancrage.support.models import Contact, Enrollment

# (organization key, first names of the people it follows, commune of each person)
ANTENNAS = {
    "antenna_hdf": 26,
    "antenna_ara": 18,
    "antenna_occitanie": 14,
    "antenna_bretagne": 9,
}
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
]
FIRST_NAMES = [
    "Annie",
    "Gérard",
    "Martine",
    "Alain",
    "Sylvie",
    "Patrick",
    "Nadine",
    "Bernard",
    "Christine",
    "Jean-Luc",
    "Brigitte",
    "Daniel",
]


def load_figures(organizations: dict[str, Organization]) -> None:
    _load_partner_contacts(organizations)
    _load_antennas(organizations)
    _load_targets_and_report(organizations)

    year = timezone.localdate().year
    refresh_year(year - 1)
    refresh_year(year)
    _load_agreement(organizations)
    _load_call(organizations)
    refresh_periods()  # the agreement's period, for its final report


def _load_agreement(organizations) -> None:
    """The Département's agreement with the CLLAJ (seed 003): €25,000 a year over last year and
    this one, this year's objectives, last year's 80 % advance paid, and last year's report handed
    in, waiting for the funder's decision (its balance blocked until then)."""
    from ancrage.funding import services as funding
    from ancrage.funding.models import Agreement
    from ancrage.indicators import services as reports

    cllaj, funder = organizations["cllaj"], organizations["cllaj_funder"]
    if Agreement.objects.filter(funder=funder, beneficiary=cllaj).exists():
        return
    year = timezone.localdate().year
    program = Program.objects.get(name="CLLAJ (Pas-de-Calais)")
    decider = User.objects.get(email="financeur@demo.ancrage.fr")
    coordinator = User.objects.get(email="admin@demo.ancrage.fr")  # the CLLAJ's administrator
    agreement = funding.create_agreement(
        funder=funder,
        beneficiary=cllaj,
        program=program,
        subject=(
            "Accueil, information, orientation et accompagnement des jeunes de 16 à 30 ans vers "
            "un logement autonome ; observatoire local des besoins."
        ),
        starts_on=datetime.date(year - 1, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        amounts={year - 1: 2_500_000, year: 2_500_000},
        actor=decider,
    )
    for code, value in (
        ("contacts_telephone_mail", 300),
        ("personnes_recues", 80),
        ("personnes_accompagnees", 40),
        ("acces_logement", 20),
    ):
        # This year's only: the demo's history of last year is too thin for a year's objectives.
        funding.set_objective(
            agreement=agreement, year=year, indicator=code, value=value, actor=decider
        )
    _tie_to_partnership(organizations, agreement, coordinator, decider)
    for installment_year in (year - 1, year):
        advance = funding.plan_installment(
            agreement=agreement,
            year=installment_year,
            kind="advance",
            amount_cents=2_000_000,
            planned_on=datetime.date(installment_year, 3, 1),
            actor=decider,
        )
        funding.pay_installment(
            installment=advance,
            on=min(datetime.date(installment_year, 3, 15), timezone.localdate()),
            actor=decider,
        )
    funding.plan_installment(
        agreement=agreement,
        year=year - 1,
        kind="balance",
        amount_cents=500_000,
        planned_on=datetime.date(year, 4, 1),
        actor=decider,
    )
    reports.save_annual_report(
        organization=cllaj,
        year=year - 1,
        obstacles=(
            "Peu de petits logements dans le parc social du bassin minier ; les jeunes sans "
            "garant restent écartés du parc privé."
        ),
        analysis="Deux permanences nouvelles ont amené un public qui ne venait pas au siège.",
        actor=coordinator,
    )
    reports.submit_report(organization=cllaj, year=year - 1, actor=coordinator)


def _load_call(organizations) -> None:
    """The Département's call for new desks in the rural west of the Pas-de-Calais, open for a
    month, reviewed by the funder's member; the CLLAJ has handed in its application."""
    from django.core.files.base import ContentFile
    from reportlab.platypus import Paragraph

    from ancrage.core import pdf
    from ancrage.funding import services as funding
    from ancrage.funding.models import Call

    funder, cllaj = organizations["cllaj_funder"], organizations["cllaj"]
    if Call.objects.filter(funder=funder).exists():
        return
    program = Program.objects.get(name="CLLAJ (Pas-de-Calais)")
    decider = User.objects.get(email="financeur@demo.ancrage.fr")
    applicant = User.objects.get(email="admin@demo.ancrage.fr")
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    call = funding.create_call(
        funder=funder,
        program=program,
        title="Permanences logement jeunes dans le Ternois et le Montreuillois",
        text=(
            "Le Département soutient l'ouverture de permanences d'information logement pour les "
            "jeunes de 16 à 30 ans dans les communes rurales de l'ouest du département : au moins "
            "une demi-journée par semaine et par bassin, en lien avec les missions locales.\n\n"
            "Les candidatures décrivent les lieux, l'équipe, le budget et les partenaires."
        ),
        envelope_cents=6_000_000,
        opens_at=datetime.datetime.combine(
            today - datetime.timedelta(days=10), datetime.time(9), zone
        ),
        closes_at=datetime.datetime.combine(
            today + datetime.timedelta(days=30), datetime.time(18), zone
        ),
        criteria=[
            ("Connaissance des besoins du territoire", 40, 5),
            ("Partenariats locaux", 30, 5),
            ("Coût et cofinancements", 30, 10),
        ],
        eligible_kinds=["cllaj", "association"],
        territory=cllaj.commune.departement if cllaj.commune else None,
        required_documents=["Budget prévisionnel"],
        reviewers=[decider],
        actor=decider,
    )
    funding.publish_call(call=call, actor=decider)
    application = funding.start_application(call=call, applicant=cllaj, actor=applicant)
    funding.save_application(
        application=application,
        project=(
            "Deux permanences hebdomadaires à Saint-Pol-sur-Ternoise et Montreuil-sur-Mer, tenues "
            "par une conseillère du CLLAJ, avec les missions locales et les bailleurs du secteur."
        ),
        amount_cents=1_800_000,
        actor=applicant,
    )
    budget = pdf.build(
        "Budget prévisionnel",
        [
            Paragraph(
                "Budget prévisionnel : 0,5 ETP de conseillère, déplacements, locaux.",
                pdf.styles()["BodyText"],
            )
        ],
    )
    funding.add_application_document(
        application=application,
        label="Budget prévisionnel",
        upload=ContentFile(budget, name="budget.pdf"),
        actor=applicant,
    )
    funding.submit_application(application=application, actor=applicant)


def _load_partner_contacts(organizations) -> None:
    """The CLLAJ's exchanges with the landlords and residences it works with."""

    cllaj = organizations["cllaj"]
    partners = [organizations["cllaj_landlord"], organizations["cllaj_residence"]]
    if Contact.objects.filter(organization=cllaj, partner__in=partners).exists():
        return
    counsellor = User.objects.get(email="conseiller@demo.ancrage.fr")
    rng = random.Random(6262)  # noqa: S311 — demo data
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    with acting_as(counsellor):
        for index in range(14):
            day = today - datetime.timedelta(days=rng.randint(1, 330))
            Contact.objects.create(
                organization=cllaj,
                direction=rng.choice([Direction.INCOMING, Direction.OUTGOING]),
                channel=rng.choice([Channel.PHONE, Channel.EMAIL]),
                occurred_at=datetime.datetime.combine(day, datetime.time(10 + index % 6), zone),
                subjects=[Subject.HOUSING],
                partner=partners[index % 2],
                outcome=Outcome.INFORMATION,
                recorded_by=counsellor,
            )


def _load_antennas(organizations) -> None:
    """Two years of individual pathways in the regional antennas of the national network."""

    program = Program.objects.get(name="Réseau national seniors et insertion")
    coordinator = User.objects.get(email="coordination@demo.ancrage.fr")
    outcomes = [
        ExitOutcome.EMPLOYMENT,
        ExitOutcome.EMPLOYMENT,
        ExitOutcome.KEPT_HOME,
        ExitOutcome.KEPT_HOME,
        ExitOutcome.SOCIAL_HOUSING,
        ExitOutcome.DROPPED,
        ExitOutcome.OTHER,
    ]
    today = timezone.localdate()
    first_day = program.starts_on
    for key, count in ANTENNAS.items():
        antenna = organizations[key]
        if Enrollment.objects.filter(organization=antenna).exists():
            continue
        rng = random.Random(key)  # noqa: S311 — demo data
        departement = antenna.commune.departement if antenna.commune else None
        communes = list(
            Territory.objects.filter(kind=TerritoryKind.COMMUNE, departement=departement)
            .exclude(population=None)
            .order_by("-population")[:8]
        )
        for index in range(count):
            birth = datetime.date(rng.randint(1950, 1966), rng.randint(1, 12), rng.randint(1, 28))
            person = create_person(
                organization=antenna,
                **{
                    "last_name": rng.choice(LAST_NAMES),
                    "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
                    "birth_date": birth,
                    "commune": rng.choice(communes) if communes else None,
                    "situation": rng.choice(["retired", "job_seeker", "job_seeker", "inactive"]),
                },
                actor=coordinator,
                confirmed_not_duplicate=True,
            )
            span = (today - first_day).days - 30
            requested = first_day + datetime.timedelta(days=rng.randint(0, max(span, 1)))
            enrollment = services.open_enrollment(
                person=person,
                referent=coordinator,
                requested_on=requested,
                program=program,
                actor=coordinator,
            )
            started = min(requested + datetime.timedelta(days=rng.randint(5, 25)), today)
            services.start_support(enrollment=enrollment, on=started, actor=coordinator)
            ends = started + datetime.timedelta(days=rng.randint(90, 300))
            if ends < today and rng.random() < 0.8:
                services.close_enrollment(
                    enrollment=enrollment,
                    outcome=rng.choice(outcomes),
                    on=ends,
                    ready_for_housing=rng.random() < 0.3,
                    actor=coordinator,
                )


def _load_targets_and_report(organizations) -> None:

    year = timezone.localdate().year
    cllaj_program = Program.objects.get(name="CLLAJ (Pas-de-Calais)")
    network = Program.objects.get(name="Réseau national seniors et insertion")
    admin = User.objects.get(email="admin@demo.ancrage.fr")
    targets = [
        (cllaj_program, "contacts_telephone_mail", 300),
        (cllaj_program, "personnes_recues", 80),
        (cllaj_program, "personnes_accompagnees", 40),
        (cllaj_program, "acces_logement", 20),
        (cllaj_program, "participants_actions", 350),
        (cllaj_program, "partenaires_logement", 4),
        (network, "parcours_engages", 60),
        (network, "taux_sorties_emploi", 30),
    ]
    with acting_as(admin):
        for program, code, value in targets:
            Target.objects.get_or_create(
                indicator=code,
                program=program,
                organization=None,
                year=year,
                defaults={"value": value},
            )
        AnnualReport.objects.get_or_create(
            organization=organizations["cllaj"],
            year=year,
            defaults={
                "obstacles": (
                    "Le parc social du bassin minier reste très demandé pour les petites typologies "
                    "(T1, T2) : les délais d'attribution dépassent souvent six mois.\n\n"
                    "Les jeunes sans garant ni CDI restent écartés du parc privé ; la garantie Visale "
                    "est encore mal connue des propriétaires."
                ),
                "analysis": (
                    "Les permanences de Lens et Liévin amènent un public qui ne venait pas au siège. "
                    "Les ateliers recherche logement, plus fréquents cette année, expliquent la "
                    "hausse des participants.\n\nPerspective : une convention avec deux bailleurs "
                    "pour des T1 réservés aux jeunes accompagnés."
                ),
                "updated_by": admin,
            },
        )


def _tie_to_partnership(organizations, grant, coordinator: User, decider: User) -> None:
    """The CLLAJ's partnership with the landlord and the Département (seed 002's three-party
    agreement): the Département's amount is not typed there, the grant is tied to it."""
    from ancrage.funding import services as funding
    from ancrage.partnerships.services import agreements

    partnership = agreements.create_agreement(
        organization=organizations["cllaj"],
        program=grant.program,
        title="Logement des jeunes de l'Artois",
        purpose="Orienter les jeunes accompagnés par le CLLAJ vers les logements réservés par le "
        "bailleur ; le Département finance l'accompagnement.",
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        parties=[
            agreements.Party(organizations["cllaj"], "operator", "Accompagner les jeunes logés"),
            agreements.Party(
                organizations["cllaj_landlord"], "landlord", "Réserver 15 logements par an"
            ),
            agreements.Party(organizations["cllaj_funder"], "funder", "Financer l'accompagnement"),
        ],
        actor=coordinator,
    )
    funding.link_partner_agreement(agreement=grant, partner_agreement=partnership, actor=decider)
