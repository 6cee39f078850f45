"""Fictional organizations and users modelled on the five programs of the seeds.

Every name here is invented. ``load_demo()`` is idempotent: running it twice changes nothing.
Later modules add their own section (people, residences, bookings…) to ``load_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from stdnum import luhn

from ancrage.accounts.enums import OrganizationKind as Kind
from ancrage.accounts.enums import Role
from ancrage.accounts.models import Membership, Organization, User
from ancrage.accounts.models import User as AccountUser
from ancrage.activities import services as activities_services
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity
from ancrage.audit import recorder as audit
from ancrage.core.actor import acting_as
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.demo.figures import load_figures
from ancrage.housing import services as housing_services
from ancrage.housing.models import HousingApplication, Residence, monday_of
from ancrage.indicators.signals import refresh_paused
from ancrage.people.enums import HousingSituation, ResourceKind, Situation
from ancrage.people.models import Person, Resource
from ancrage.people.services import record_sharing_objection
from ancrage.programs.models import Program, ProgramParticipant
from ancrage.support import services as support_services
from ancrage.support.enums import (
    AgeBand,
    Channel,
    Direction,
    ExitOutcome,
    Outcome,
    StepKind,
    Subject,
)
from ancrage.support.models import Appointment, Contact, Desk, Enrollment, Referral, Step

DEMO_PASSWORD = "demo-ancrage-2026"  # noqa: S105 — published on purpose, demo instance only
DOMAIN = "demo.ancrage.fr"


def demo_siret(seed: int) -> str:
    """A SIRET that passes the checksum, built from a SIREN starting with 9 (never allocated to a real body)."""
    siren_base = f"9{seed:07d}"
    siren = siren_base + luhn.calc_check_digit(siren_base)
    nic_base = siren + "0001"
    return nic_base + luhn.calc_check_digit(nic_base)


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    name: str
    kind: str
    commune: str  # INSEE code
    address: str
    program: str


ORGANIZATIONS = [
    # CLEA-like apprentice housing in the Loire (seed 000)
    DemoOrganization(
        "loire_landlord",
        "Habitat Loire Sud",
        Kind.SOCIAL_LANDLORD,
        "42218",
        "12 rue des Aciéries",
        "Logement des alternants (Loire)",
    ),
    DemoOrganization(
        "loire_manager",
        "Résidences Alternance Loire",
        Kind.RESIDENCE_MANAGER,
        "42218",
        "4 place Jean-Jaurès",
        "Logement des alternants (Loire)",
    ),
    DemoOrganization(
        "loire_school",
        "CFA des Métiers du Forez",
        Kind.SCHOOL,
        "42218",
        "30 avenue de la Libération",
        "Logement des alternants (Loire)",
    ),
    DemoOrganization(
        "loire_provider",
        "Forez Mobilité Sport Santé",
        Kind.SERVICE_PROVIDER,
        "42218",
        "21 rue de la Résistance",
        "Logement des alternants (Loire)",
    ),
    DemoOrganization(
        "loire_funder",
        "Fondation Entreprendre en Loire",
        Kind.FUNDER,
        "42218",
        "8 cours Fauriel",
        "Logement des alternants (Loire)",
    ),
    # Intergenerational residence (seed 001)
    DemoOrganization(
        "intergen_manager",
        "Maisons du Lien",
        Kind.RESIDENCE_MANAGER,
        "80021",
        "5 rue des Jardins",
        "Résidence intergénérationnelle (Amiens)",
    ),
    # Employer / association partnership in Lyon (seed 002)
    DemoOrganization(
        "lyon_social_service",
        "Service social Salariés Rhône",
        Kind.CORPORATE_SOCIAL_SERVICE,
        "69123",
        "20 quai du Rhône",
        "Salariés en difficulté de logement (Lyon)",
    ),
    DemoOrganization(
        "lyon_association",
        "Toit Partagé Rhône",
        Kind.ASSOCIATION,
        "69123",
        "7 rue de la Charité",
        "Salariés en difficulté de logement (Lyon)",
    ),
    DemoOrganization(
        "lyon_landlord",
        "Rhône Habitat Solidaire",
        Kind.SOCIAL_LANDLORD,
        "69123",
        "15 boulevard des Brotteaux",
        "Salariés en difficulté de logement (Lyon)",
    ),
    # CLLAJ in the Pas-de-Calais (seed 003)
    DemoOrganization(
        "cllaj", "CLLAJ de l'Artois", Kind.CLLAJ, "62041", "3 rue Gambetta", "CLLAJ (Pas-de-Calais)"
    ),
    DemoOrganization(
        "cllaj_funder",
        "Département du Pas-de-Calais (démo)",
        Kind.LOCAL_AUTHORITY,
        "62041",
        "Rue Ferdinand Buisson",
        "CLLAJ (Pas-de-Calais)",
    ),
    DemoOrganization(
        "cllaj_landlord",
        "Artois Habitat (démo)",
        Kind.SOCIAL_LANDLORD,
        "62041",
        "1 place de la Préfecture",
        "CLLAJ (Pas-de-Calais)",
    ),
    DemoOrganization(
        "cllaj_residence",
        "Résidence Habitat Jeunes d'Arras (démo)",
        Kind.RESIDENCE_MANAGER,
        "62041",
        "9 rue Saint-Aubert",
        "CLLAJ (Pas-de-Calais)",
    ),
    # National seniors-and-insertion network (seed 004)
    DemoOrganization(
        "national_network",
        "Réseau Liens Seniors Emploi",
        Kind.ASSOCIATION,
        "75056",
        "40 rue de Rivoli",
        "Réseau national seniors et insertion",
    ),
    DemoOrganization(
        "antenna_hdf",
        "Liens Seniors Emploi — Hauts-de-France",
        Kind.ASSOCIATION,
        "59350",
        "12 rue Nationale",
        "Réseau national seniors et insertion",
    ),
    DemoOrganization(
        "antenna_ara",
        "Liens Seniors Emploi — Auvergne-Rhône-Alpes",
        Kind.ASSOCIATION,
        "69123",
        "3 rue Garibaldi",
        "Réseau national seniors et insertion",
    ),
    DemoOrganization(
        "antenna_occitanie",
        "Liens Seniors Emploi — Occitanie",
        Kind.ASSOCIATION,
        "31555",
        "18 allée Jean-Jaurès",
        "Réseau national seniors et insertion",
    ),
    DemoOrganization(
        "antenna_bretagne",
        "Liens Seniors Emploi — Bretagne",
        Kind.ASSOCIATION,
        "35238",
        "6 quai Lamartine",
        "Réseau national seniors et insertion",
    ),
    DemoOrganization(
        "national_funder",
        "Fonds national Logement Solidaire (démo)",
        Kind.FUNDER,
        "75056",
        "2 place de la Bourse",
        "Réseau national seniors et insertion",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...]  # (organization key, role)
    is_staff: bool = False


USERS = [
    DemoUser("admin", "Nadia", "Benali", (("cllaj", Role.ADMIN), ("loire_manager", Role.ADMIN))),
    DemoUser(
        "coordination",
        "Julien",
        "Marchand",
        (
            ("national_network", Role.COORDINATOR),
            ("antenna_hdf", Role.COORDINATOR),
            ("antenna_ara", Role.COORDINATOR),
            ("antenna_occitanie", Role.COORDINATOR),
            ("antenna_bretagne", Role.COORDINATOR),
        ),
    ),
    DemoUser(
        "conseiller",
        "Élodie",
        "Lefèvre",
        (("cllaj", Role.COUNSELLOR), ("lyon_association", Role.COUNSELLOR)),
    ),
    DemoUser("lecture", "Thomas", "Garnier", (("cllaj", Role.READ_ONLY),)),
    DemoUser("partenaire", "Sophie", "Moreau", (("loire_school", Role.PARTNER),)),
    DemoUser(
        "financeur",
        "Marc",
        "Dubois",
        (("cllaj_funder", Role.FUNDER), ("national_funder", Role.FUNDER)),
    ),
    DemoUser(
        "gestion",
        "Claire",
        "Fontaine",
        (("intergen_manager", Role.ADMIN), ("lyon_landlord", Role.ADMIN)),
    ),
    DemoUser("social", "Karima", "Haddad", (("lyon_social_service", Role.COUNSELLOR),)),
    # The landlord whose tenants 1000 LIANES targets: its outcomes as figures only.
    DemoUser("bailleur", "Laurent", "Vidal", (("cllaj_landlord", Role.READ_ONLY),)),
    # The provider of the apprentices' services pack (seed 000): its catalogue of services.
    DemoUser("prestataire", "Hugo", "Lambert", (("loire_provider", Role.ADMIN),)),
    DemoUser("exploitation", "Alex", "Martin", (), is_staff=True),
]


# One program per seed: its operator, the funders (keys ending in "_funder"), the others partners.
PROGRAMS = {
    "Logement des alternants (Loire)": ("apprentice_housing", "loire_manager", True),
    "Résidence intergénérationnelle (Amiens)": ("thematic_residences", "intergen_manager", True),
    "Salariés en difficulté de logement (Lyon)": ("employee_housing", "lyon_association", True),
    "CLLAJ (Pas-de-Calais)": ("youth_housing_desk", "cllaj", True),
    "Réseau national seniors et insertion": ("seniors_insertion", "national_network", False),
}


def _load_programs(organizations: dict[str, Organization]) -> None:
    """The five programs of the seeds, running since the start of last year."""
    import datetime

    from django.utils import timezone

    start = datetime.date(timezone.localdate().year - 1, 1, 1)
    for label, (kind, operator_key, local) in PROGRAMS.items():
        operator = organizations[operator_key]
        program, _ = Program.objects.get_or_create(
            name=label,
            defaults={
                "kind": kind,
                "starts_on": start,
                "territory": operator.commune.departement if local and operator.commune else None,
            },
        )
        for spec in ORGANIZATIONS:
            if spec.program != label:
                continue
            role = (
                "operator"
                if spec.key == operator_key
                else "funder"
                if spec.key.endswith("_funder")
                else "partner"
            )
            ProgramParticipant.objects.get_or_create(
                program=program, organization=organizations[spec.key], defaults={"role": role}
            )


def _commune(code: str) -> Territory | None:
    return Territory.objects.filter(kind=TerritoryKind.COMMUNE, code=code).first()


FIRST_NAMES = [
    "Élodie",
    "Lucas",
    "Inès",
    "Noah",
    "Chloé",
    "Yanis",
    "Léa",
    "Mathis",
    "Manon",
    "Adam",
    "Camille",
    "Hugo",
    "Sarah",
    "Nathan",
    "Jade",
    "Rayan",
    "Lina",
    "Théo",
    "Zoé",
    "Enzo",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
]
PEOPLE = 100
CONTACTS = 640
ENROLLED = 40
PAS_DE_CALAIS_COMMUNES = ["62041", "62119", "62498", "62510", "62765", "62427", "62160"]


def _load_cllaj_people(organization: Organization, creator: User) -> int:
    """A hundred young people of the demo CLLAJ, the same ones at every run (seeded)."""
    import datetime
    import random
    from decimal import Decimal

    if Person.objects.filter(organization=organization).exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    communes = list(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, code__in=PAS_DE_CALAIS_COMMUNES)
    )
    situations = [
        Situation.APPRENTICE,
        Situation.STUDENT,
        Situation.JOB_SEEKER,
        Situation.EMPLOYEE_FIXED_TERM,
        Situation.CARE_LEAVER,
        Situation.TEMP_WORKER,
    ]
    housing = [
        HousingSituation.HOSTED_BY_THIRD_PARTY,
        HousingSituation.PARENTS,
        HousingSituation.NO_HOUSING,
        HousingSituation.EMERGENCY_SHELTER,
        HousingSituation.TENANT,
    ]
    for index in range(PEOPLE):
        person = Person(
            organization=organization,
            first_name=FIRST_NAMES[index % 20],
            # Every (first, last) pair differs: the last name shifts once per round of first names.
            last_name=LAST_NAMES[(index + index // 20 * 3) % 20],
            birth_date=datetime.date(
                1996 + rng.randint(0, 12), rng.randint(1, 12), rng.randint(1, 28)
            ),
            phone=f"+3361{rng.randint(1000000, 9999999)}",
            commune=rng.choice(communes) if communes else None,
            situation=rng.choice(situations),
            housing_situation=rng.choice(housing),
            informed_on=datetime.date(2026, rng.randint(1, 10), rng.randint(1, 28)),
            created_by=creator,
        )
        person.save()
        Resource.objects.create(
            person=person,
            kind=rng.choice(
                [ResourceKind.APPRENTICE_WAGES, ResourceKind.YOUTH_GUARANTEE, ResourceKind.WAGES]
            ),
            monthly_amount=Decimal(rng.randint(45, 130) * 10),
        )
    return PEOPLE


def _load_cllaj_contacts(organization: Organization, counsellor: User) -> int:
    """A year of contacts at the demo CLLAJ: calls, e-mails, walk-ins, two decentralised desks."""
    import datetime
    import random

    from django.utils import timezone

    if Contact.objects.filter(organization=organization).exists():
        return 0
    rng = random.Random(62041)  # noqa: S311 — demo data, not security
    desks = [
        Desk.objects.get_or_create(
            organization=organization,
            name=name,
            defaults={"commune": _commune(code), "schedule": schedule},
        )[0]
        for name, code, schedule in (
            ("Permanence de Lens", "62498", "mardi 9 h – 12 h"),
            ("Permanence de Liévin", "62510", "jeudi 14 h – 17 h"),
        )
    ]
    people = list(Person.objects.filter(organization=organization))
    communes = list(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, code__in=PAS_DE_CALAIS_COMMUNES)
    )
    channels = (
        [Channel.PHONE] * 5
        + [Channel.EMAIL] * 3
        + [Channel.WALK_IN] * 3
        + [Channel.OUTREACH_DESK] * 2
        + [
            Channel.WORKSHOP,
            Channel.ONLINE_FORM,
            Channel.MAIL,
        ]
    )
    zone = timezone.get_current_timezone()
    end = timezone.localdate() - datetime.timedelta(days=1)  # nothing in the future
    for _ in range(CONTACTS):
        day = end - datetime.timedelta(days=rng.randint(0, 364))
        if day.weekday() >= 5:
            day -= datetime.timedelta(days=day.weekday() - 4)
        channel = rng.choice(channels)
        known = people and rng.random() < 0.45
        contact = Contact(
            organization=organization,
            direction=Direction.OUTGOING if rng.random() < 0.15 else Direction.INCOMING,
            channel=channel,
            desk=rng.choice(desks) if channel == Channel.OUTREACH_DESK else None,
            occurred_at=datetime.datetime.combine(
                day, datetime.time(rng.randint(9, 17), rng.choice([0, 15, 30, 45])), zone
            ),
            subjects=rng.sample(Subject.values, k=rng.choice([1, 1, 2])),
            person=rng.choice(people) if known else None,
            age_band="" if known else rng.choice(AgeBand.values[1:4]),
            commune=None if known else rng.choice(communes) if communes else None,
            outcome=rng.choice(Outcome.values),
            recorded_by=counsellor,
        )
        contact.save()
    return CONTACTS


def _load_cllaj_enrollments(organization: Organization, counsellor: User) -> None:
    """Enrollments at every step for forty of the CLLAJ's young people, with steps, exits and checks."""
    import datetime
    import random

    from django.utils import timezone

    if Enrollment.objects.filter(organization=organization).exists():
        return
    rng = random.Random(42)  # noqa: S311 — demo data, not security
    today = timezone.localdate()
    people = list(Person.objects.filter(organization=organization).order_by("id")[:ENROLLED])
    program = Program.objects.get(name="CLLAJ (Pas-de-Calais)")
    outcomes = [
        ExitOutcome.SOCIAL_HOUSING,
        ExitOutcome.PRIVATE_HOUSING,
        ExitOutcome.RESIDENCE,
        ExitOutcome.EMPLOYMENT,
    ]
    for index, person in enumerate(people):
        requested = today - datetime.timedelta(days=rng.randint(40, 300))
        enrollment = support_services.open_enrollment(
            person=person,
            referent=counsellor,
            requested_on=requested,
            program=program,
            actor=counsellor,
        )
        if index % 6 == 5:
            continue  # still a request
        support_services.start_assessment(
            enrollment=enrollment, on=requested + datetime.timedelta(days=7), actor=counsellor
        )
        support_services.record_assessment(
            enrollment=enrollment,
            assessed_on=requested + datetime.timedelta(days=7),
            priorities={
                "housing": "high",
                "budget": rng.choice(["medium", "high"]),
                "mobility": rng.choice(["low", "none"]),
            },
            housing_cost=rng.randint(20, 45) * 10,
            fixed_charges=rng.randint(8, 20) * 10,
            actor=counsellor,
        )
        if index % 6 == 4:
            continue  # assessment under way
        support_services.start_support(
            enrollment=enrollment, on=requested + datetime.timedelta(days=14), actor=counsellor
        )
        step = support_services.add_step(
            enrollment=enrollment,
            kind=StepKind.SOCIAL_HOUSING_REQUEST,
            reference=f"0620417{index:08d}",
            due_on=requested + datetime.timedelta(days=30),
            actor=counsellor,
        )
        allowance = support_services.add_step(
            enrollment=enrollment,
            kind=StepKind.HOUSING_ALLOWANCE,
            due_on=today + datetime.timedelta(days=rng.randint(-10, 20)),
            actor=counsellor,
        )
        # Steps were taken on at the start of support, not on the day the demo was loaded.
        started = datetime.datetime.combine(
            requested + datetime.timedelta(days=14),
            datetime.time(10),
            timezone.get_current_timezone(),
        )
        Step.objects.filter(pk__in=[step.pk, allowance.pk]).update(created_at=started)
        if index % 3 != 0:
            support_services.set_step_status(step=step, status="in_progress", actor=counsellor)
        if index % 3 == 0:
            support_services.set_step_status(
                step=step,
                status="obtained",
                on=requested + datetime.timedelta(days=35),
                actor=counsellor,
            )
            closed = support_services.close_enrollment(
                enrollment=enrollment,
                outcome=rng.choice(outcomes),
                on=requested + datetime.timedelta(days=36),
                ready_for_housing=True,
                actor=counsellor,
            )
            for follow_up in closed.exit.follow_ups.filter(due_on__lte=today):
                if rng.random() < 0.75:  # a quarter of the checks are still to do
                    reached = rng.random() < 0.85
                    support_services.record_follow_up(
                        follow_up=follow_up,
                        reached=reached,
                        housing=rng.choice(
                            ["same_home", "same_home", "other_autonomous", "temporary"]
                        ),
                        activity=rng.choice(["employment", "training", "job_seeking"]),
                        on=min(
                            today, follow_up.due_on + datetime.timedelta(days=rng.randint(0, 10))
                        ),
                        actor=counsellor,
                    )


def _load_cllaj_activities(organization: Organization, counsellor: User) -> None:
    """A year of collective actions: a monthly housing workshop, information sessions at the desks,
    a fair and a highlight, with named attendance and head counts; one workshop still to come."""
    import datetime
    import random

    from django.utils import timezone

    if Activity.objects.filter(organization=organization).exists():
        return
    rng = random.Random(7)  # noqa: S311 — demo data, not security
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    people = list(Person.objects.filter(organization=organization).order_by("id"))
    desks = list(Desk.objects.filter(organization=organization).order_by("name"))

    def at(day, hour):
        return datetime.datetime.combine(day, datetime.time(hour, 0), zone)

    def weekday(day):
        return day - datetime.timedelta(days=max(0, day.weekday() - 4))

    workshop = activities_services.create_activity(
        organization=organization,
        kind=ActivityKind.HOUSING_WORKSHOP,
        title="Atelier recherche logement",
        description="Chaque mois : lire une annonce, monter son dossier, connaître ses aides (APL, Visale, Loca-Pass).",
        actor=counsellor,
    )
    for month in range(11, -1, -1):
        day = weekday(today - datetime.timedelta(days=30 * month + 9))
        session = activities_services.schedule_session(
            activity=workshop,
            starts_at=at(day, 14),
            duration_minutes=120,
            place="Salle de réunion du CLLAJ, Arras",
            actor=counsellor,
        )
        for person in rng.sample(people, k=rng.randint(4, 9)):
            activities_services.record_attendance(session=session, person=person, actor=counsellor)
        activities_services.set_anonymous_count(
            session=session, count=rng.randint(0, 3), actor=counsellor
        )
    activities_services.schedule_session(
        activity=workshop,
        starts_at=at(weekday(today + datetime.timedelta(days=12)), 14),
        place="Salle de réunion du CLLAJ, Arras",
        actor=counsellor,
    )
    information = activities_services.create_activity(
        organization=organization,
        kind=ActivityKind.INFO_SESSION,
        title="Information collective : louer son premier logement",
        actor=counsellor,
    )
    for index in range(6):
        day = weekday(today - datetime.timedelta(days=55 * index + 20))
        session = activities_services.schedule_session(
            activity=information,
            starts_at=at(day, 10),
            duration_minutes=90,
            desk=desks[index % len(desks)] if desks else None,
            place="" if desks else "Mairie",
            actor=counsellor,
        )
        for person in rng.sample(people, k=rng.randint(1, 3)):
            activities_services.record_attendance(session=session, person=person, actor=counsellor)
        activities_services.set_anonymous_count(
            session=session, count=rng.randint(6, 18), actor=counsellor
        )
    fair = activities_services.create_activity(
        organization=organization,
        kind=ActivityKind.FAIR,
        title="Salon de l'alternance et du logement des jeunes",
        actor=counsellor,
    )
    session = activities_services.schedule_session(
        activity=fair,
        starts_at=at(weekday(today - datetime.timedelta(days=150)), 9),
        duration_minutes=480,
        place="Parc des expositions, Arras",
        actor=counsellor,
    )
    for person in rng.sample(people, k=5):
        activities_services.record_attendance(session=session, person=person, actor=counsellor)
    activities_services.set_anonymous_count(session=session, count=143, actor=counsellor)
    highlight = activities_services.create_activity(
        organization=organization,
        kind=ActivityKind.HIGHLIGHT,
        title="Semaine du logement des jeunes",
        actor=counsellor,
    )
    session = activities_services.schedule_session(
        activity=highlight,
        starts_at=at(weekday(today - datetime.timedelta(days=60)), 10),
        duration_minutes=360,
        place="Place des Héros, Arras",
        actor=counsellor,
    )
    activities_services.set_anonymous_count(session=session, count=64, actor=counsellor)


def _load_cllaj_appointments(organization: Organization, counsellor: User) -> None:
    """The counsellor's agenda: appointments honoured or missed, two to record, the coming fortnight."""
    import datetime
    import random

    from django.utils import timezone

    if Appointment.objects.filter(organization=organization).exists():
        return
    rng = random.Random(11)  # noqa: S311 — demo data, not security
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    people = list(Person.objects.filter(organization=organization).order_by("id")[:ENROLLED])
    desks = list(Desk.objects.filter(organization=organization).order_by("name"))
    purposes = [
        "Dossier Visale",
        "Demande de logement social",
        "Budget",
        "Point d'étape",
        "Dossier FSL",
    ]
    for offset in [-40, -33, -26, -19, -12, -5, -2, -1, 1, 2, 3, 6, 8, 9, 13]:
        day = today + datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            day += datetime.timedelta(days=7 - day.weekday())
        appointment = support_services.schedule_appointment(
            person=rng.choice(people),
            counsellor=counsellor,
            starts_at=datetime.datetime.combine(
                day, datetime.time(rng.choice([9, 10, 11, 14, 15, 16]), rng.choice([0, 30])), zone
            ),
            desk=rng.choice(desks) if desks and rng.random() < 0.3 else None,
            place="CLLAJ, Arras" if rng.random() < 0.7 else "",
            purpose=rng.choice(purposes),
            actor=counsellor,
        )
        if offset < -2:
            support_services.set_appointment_status(
                appointment=appointment,
                status="honoured" if rng.random() < 0.8 else "missed",
                actor=counsellor,
            )


def _load_lyon_referral(
    social_service: Organization, association: Organization, landlord: Organization, sender: User
) -> None:
    """The employer's social service refers an employee in housing difficulty to the association."""
    import datetime

    from django.utils import timezone

    if Referral.objects.filter(sender=social_service).exists():
        return

    receiver_counsellor = AccountUser.objects.get(email=f"conseiller@{DOMAIN}")
    accepted = Person(
        organization=social_service,
        last_name="Durand",
        first_name="Nicolas",
        birth_date=datetime.date(1979, 9, 14),
        phone="+33478000222",
        commune=_commune("69123"),
        situation=Situation.EMPLOYEE_FIXED_TERM,
        housing_situation=HousingSituation.NO_HOUSING,
        created_by=sender,
    )
    accepted.save()
    earlier = support_services.send_referral(
        person=accepted,
        receiver=association,
        purpose="Salarié sans logement après une séparation : hébergement temporaire puis bail glissant.",
        shared_fields=["last_name", "first_name", "birth_date", "phone", "situation"],
        consent_on=timezone.localdate() - datetime.timedelta(days=20),
        actor=sender,
    )
    earlier = support_services.accept_referral(
        referral=earlier, actor=receiver_counsellor, joint_assessment=True
    )
    support_services.record_assessment(
        enrollment=earlier.receiver_enrollment,
        assessed_on=timezone.localdate(),
        priorities={"housing": "high", "budget": "medium", "rights": "low"},
        housing_cost=0,
        fixed_charges=180,
        joint_with=social_service,
        actor=receiver_counsellor,
    )
    person = Person(
        organization=social_service,
        last_name="Benoît",
        first_name="Samir",
        birth_date=datetime.date(1988, 2, 3),
        phone="+33478000111",
        commune=_commune("69123"),
        situation=Situation.EMPLOYEE_PERMANENT,
        housing_situation=HousingSituation.HOSTED_BY_THIRD_PARTY,
        created_by=sender,
    )
    person.save()
    # He objects to his file going to the landlord; the referral to the association is consented.
    record_sharing_objection(person=person, partner=landlord, actor=sender)
    support_services.send_referral(
        person=person,
        receiver=association,
        purpose="Salarié en rupture d'hébergement : accès à une place en pension de famille, puis sous-location.",
        shared_fields=["last_name", "first_name", "phone", "situation", "housing_situation"],
        consent_on=timezone.localdate() - datetime.timedelta(days=3),
        actor=sender,
    )


APPRENTICES = [
    ("Mathéo", "Perrin", "2/2", 0),
    ("Anaïs", "Robert", "2/2", 2),
    ("Kylian", "Faure", "1/1", 0),
    ("Louna", "Chevalier", "1/1", 1),
    ("Nolan", "Gauthier", "1/3", 0),
    ("Maëlys", "Blanc", "1/3", 1),
    ("Ethan", "Guerin", "1/3", 2),
    ("Clara", "Boyer", "1/3", 3),
    ("Timéo", "Garnier", "3/1", 0),
    ("Lola", "Rousseau", "2/2", 0),
    ("Sacha", "Henry", "2/2", 2),
    ("Alicia", "Masson", "2/4", 0),
    ("Bastien", "Colin", "2/4", 2),
    ("Romane", "Lemaire", "2/4", 4),
]

JACQUARD_APPLICANTS = [
    # first name, last name, rhythm, phase (weeks), would also take Carnot
    ("Maxence", "Lacroix", "2/2", 0, False),
    ("Élise", "Renaud", "2/2", 2, False),
    ("Noé", "Picard", "1/1", 0, True),
    ("Capucine", "Marchal", "1/1", 1, True),
    ("Gabin", "Leroux", "3/1", 1, False),
]


def _load_housing(organizations: dict[str, Organization], manager: User) -> None:
    """The Loire apprentice residence (ten furnished T1 shared by apprentices on complementary
    rhythms over the school year), an intergenerational residence, a pension de famille in Lyon."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    loire = organizations["loire_manager"]
    if Residence.objects.filter(organization=loire).exists():
        return
    today = timezone.localdate()
    # The school year that is running (or starts next), from the first Monday of September.
    year = today.year if today.month >= 8 else today.year - 1
    september = monday_of(datetime.date(year, 9, 1) + datetime.timedelta(days=6))
    june = datetime.date(year + 1, 6, 30)
    residence = housing_services.create_residence(
        organization=loire,
        **{
            "name": "Résidence Alternance Carnot",
            "kind": "apprentices",
            "landlord": organizations["loire_landlord"],
            "address": "18 boulevard Karl-Marx",
            "commune": _commune("42218"),
            "common_spaces": ["laundry", "bike_storage", "study_room"],
            "staff_presence": "lundi, mercredi et vendredi, 8 h 30 – 12 h",
        },
        actor=manager,
    )
    units = [
        housing_services.create_unit(
            residence=residence,
            **{
                "reference": f"T1-{index:02d}",
                "typology": "t1",
                "surface": Decimal("19.5") + index % 3,
                "floor": index // 4,
                "furnished": True,
                "monthly_rent": Decimal("390"),
                "monthly_charges": Decimal("45"),
                "weekly_price": Decimal("105"),
                "deposit": Decimal("390"),
                "accessibility": ["wheelchair", "level_shower"] if index == 1 else [],
            },
            actor=manager,
        )
        for index in range(1, 11)
    ]
    # Apprentices sharing a studio: their school weeks never overlap.
    studio_of = [0, 0, 1, 1, 2, 2, 2, 2, 3, 4, 4, 5, 5, 5]
    for (first, last, template, offset), unit_index in zip(APPRENTICES, studio_of, strict=True):
        person = Person(
            organization=loire,
            first_name=first,
            last_name=last,
            birth_date=datetime.date(2005 + len(first) % 3, 1 + len(last) % 12, 10 + offset),
            situation=Situation.APPRENTICE,
            created_by=manager,
        )
        person.save()
        rhythm = housing_services.create_rhythm(
            person=person,
            name=f"Alternance {year}-{year + 1}",
            template=template,
            first_school_week=september + datetime.timedelta(weeks=offset),
            ends_on=june,
            actor=manager,
        )
        booking = housing_services.book_rhythm(
            person=person,
            bed=units[unit_index].beds.get(),
            rhythm=rhythm,
            start=september,
            end=june,
            actor=manager,
        )
        # Charges up to this month; Mobili-Jeune for most; payments for all but two (arrears).
        housing_services.generate_charges(booking=booking, through=today, actor=manager)
        month = september.replace(day=1)
        while month <= today.replace(day=1):
            if offset != 3:
                housing_services.record_allowance(
                    person=person,
                    source="mobili_jeune",
                    month=month,
                    amount=Decimal("100"),
                    actor=manager,
                )
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        due = sum(c.amount for c in booking.charges.all()) - sum(
            a.amount for a in person.third_party_payments.all()
        )
        if due > 0 and first not in ("Clara", "Ethan"):
            housing_services.record_payment(
                person=person,
                amount=due,
                paid_on=min(today, september + datetime.timedelta(days=60)),
                method="transfer",
                actor=manager,
            )
    # Two apprentices by the month, for the year.
    for unit, (first, last) in zip(
        units[6:8], [("Inès", "Morel"), ("Yanis", "Carré")], strict=True
    ):
        person = Person(
            organization=loire,
            first_name=first,
            last_name=last,
            situation=Situation.APPRENTICE,
            created_by=manager,
        )
        person.save()
        housing_services.book_months(
            person=person, bed=unit.beds.get(), first_month=september, months=10, actor=manager
        )

    # The waiting list: rules set by the admin, four applicants for next term.
    housing_services.set_waiting_list_rules(
        residence=residence,
        rules={
            "apprentice": (20, False),
            "without_home": (10, False),
            "seniority": (2, False),
            "has_resources": (0, True),
        },
        actor=manager,
    )
    for index, (first, last, situation, housing, wage) in enumerate(
        [
            ("Théo", "Vidal", Situation.APPRENTICE, "hosted", Decimal("780")),
            ("Jade", "Brun", Situation.APPRENTICE, "parents", Decimal("850")),
            ("Lucas", "Fabre", Situation.STUDENT, "no_housing", Decimal("0")),
            ("Zoé", "Roche", Situation.JOB_SEEKER, "no_housing", Decimal("540")),
        ]
    ):
        applicant = Person(
            organization=loire,
            first_name=first,
            last_name=last,
            situation=situation,
            housing_situation=housing,
            created_by=manager,
        )
        applicant.save()
        if wage:
            Resource.objects.create(
                person=applicant,
                kind="apprentice_wages" if situation == Situation.APPRENTICE else "other",
                monthly_amount=wage,
            )
        application = housing_services.submit_application(
            residence=residence,
            person=applicant,
            wished_from=max(today, datetime.date(year + 1, 1, 4)),
            actor=manager,
        )
        audit.bulk_update(
            "demo.backdating",
            HousingApplication.objects.filter(pk=application.pk),
            on=application,
            submitted_on=today - datetime.timedelta(days=25 + 40 * index),
        )

    # A second apprentices' residence in the same city, and applicants with a rhythm for it (two of
    # them would take either residence): what an allocation over Saint-Étienne packs together.
    jacquard = housing_services.create_residence(
        organization=loire,
        **{
            "name": "Résidence Alternance Jacquard",
            "kind": "apprentices",
            "address": "4 rue Jacquard",
            "commune": _commune("42218"),
            "common_spaces": ["laundry"],
            "staff_presence": "mardi et jeudi, 14 h – 18 h",
        },
        actor=manager,
    )
    for index in range(1, 5):
        housing_services.create_unit(
            residence=jacquard,
            **{
                "reference": f"J-{index:02d}",
                "typology": "t1",
                "surface": Decimal("18"),
                "floor": 1,
                "furnished": True,
                "monthly_rent": Decimal("360"),
                "monthly_charges": Decimal("40"),
                "weekly_price": Decimal("95") + index,
                "deposit": Decimal("360"),
            },
            actor=manager,
        )
    for first, last, template, offset, both in JACQUARD_APPLICANTS:
        person = Person(
            organization=loire,
            first_name=first,
            last_name=last,
            situation=Situation.APPRENTICE,
            housing_situation="parents",
            created_by=manager,
        )
        person.save()
        Resource.objects.create(
            person=person, kind="apprentice_wages", monthly_amount=Decimal("820")
        )
        rhythm = housing_services.create_rhythm(
            person=person,
            name=f"Alternance {year}-{year + 1}",
            template=template,
            first_school_week=september + datetime.timedelta(weeks=offset),
            ends_on=june,
            actor=manager,
        )
        for wanted in (jacquard, residence) if both else (jacquard,):
            housing_services.submit_application(
                residence=wanted,
                person=person,
                wished_from=september,
                granularity="weeks",
                rhythm=rhythm,
                actor=manager,
            )

    intergen = organizations["intergen_manager"]
    gestion = User.objects.get(email=f"gestion@{DOMAIN}")
    lien = housing_services.create_residence(
        organization=intergen,
        **{
            "name": "Maison du Lien — Saint-Acheul",
            "kind": "intergenerational",
            "address": "5 rue des Jardins",
            "commune": _commune("80021"),
            "common_spaces": ["common_room", "shared_garden", "laundry"],
            "staff_presence": "mardi et jeudi, 9 h – 17 h",
            "house_rules": "Salle commune ouverte de 8 h à 22 h. Jardin partagé : planning d'arrosage affiché dans l'entrée.",
        },
        actor=gestion,
    )
    residents = [
        ("Jeanne", "Lefort", Situation.RETIRED),
        ("Marcel", "Dumont", Situation.RETIRED),
        ("Sofia", "Haddad", Situation.STUDENT),
        ("Hugo", "Marchal", Situation.APPRENTICE),
    ]
    for index, (first, last, situation) in enumerate(residents, start=1):
        unit = housing_services.create_unit(
            residence=lien,
            **{
                "reference": f"L{index}",
                "typology": "t2" if situation == Situation.RETIRED else "t1",
                "floor": 0 if situation == Situation.RETIRED else 1,
                "furnished": situation != Situation.RETIRED,
                "monthly_rent": Decimal("360")
                if situation == Situation.RETIRED
                else Decimal("310"),
                "monthly_charges": Decimal("55"),
                "deposit": Decimal("360"),
                "accessibility": ["senior", "level_shower"]
                if situation == Situation.RETIRED
                else [],
            },
            actor=gestion,
        )
        person = Person(
            organization=intergen,
            first_name=first,
            last_name=last,
            situation=situation,
            created_by=gestion,
        )
        person.save()
        housing_services.book_open_ended(
            person=person,
            bed=unit.beds.get(),
            starts_on=today - datetime.timedelta(days=90 * index),
            actor=gestion,
        )
    jeanne = Person.objects.get(organization=intergen, first_name="Jeanne", last_name="Lefort")
    _common_room_week(lien, gestion, resident=jeanne)
    housing_services.create_unit(
        residence=lien,
        **{
            "reference": "L5",
            "typology": "t1",
            "floor": 1,
            "monthly_rent": Decimal("310"),
            "monthly_charges": Decimal("55"),
            "deposit": Decimal("310"),
        },
        actor=gestion,
    )

    association = organizations["lyon_association"]
    counsellor = User.objects.get(email=f"conseiller@{DOMAIN}")
    pension = housing_services.create_residence(
        organization=association,
        **{
            "name": "Pension de famille des Pentes",
            "kind": "boarding_house",
            "landlord": organizations["lyon_landlord"],
            "address": "12 montée de la Grande-Côte",
            "commune": _commune("69123"),
            "common_spaces": ["common_room", "shared_kitchen"],
            "staff_presence": "du lundi au vendredi, 9 h – 18 h (hôtes)",
        },
        actor=counsellor,
    )
    rooms = [
        housing_services.create_unit(
            residence=pension,
            **{
                "reference": f"Ch-{index}",
                "typology": "room",
                "furnished": True,
                "monthly_rent": Decimal("280"),
                "monthly_charges": Decimal("40"),
                "deposit": Decimal("0"),
            },
            actor=counsellor,
        )
        for index in range(1, 7)
    ]
    employee = Person.objects.filter(organization=association, last_name="Durand").first()
    if employee is not None:
        housing_services.book_open_ended(
            person=employee,
            bed=rooms[0].beds.get(),
            starts_on=today,
            actor=counsellor,
            note="Hébergement temporaire avant une sous-location en bail glissant.",
        )
    # A household in the pension's bridge flat on a sliding sub-let, two conditions of four met.
    flat = housing_services.create_unit(
        residence=pension,
        **{
            "reference": "CR-3B",
            "typology": "t2",
            "surface": Decimal("41"),
            "floor": 3,
            "furnished": False,
            "monthly_rent": Decimal("455"),
            "monthly_charges": Decimal("70"),
            "deposit": Decimal("455"),
        },
        actor=counsellor,
    )
    tenant = Person(
        organization=association,
        first_name="Fatou",
        last_name="Camara",
        situation=Situation.EMPLOYEE_PERMANENT,
        created_by=counsellor,
    )
    tenant.save()
    start = today - datetime.timedelta(days=240)
    booking = housing_services.book_open_ended(
        person=tenant, bed=flat.beds.get(), starts_on=start, actor=counsellor
    )
    lease = housing_services.prepare_lease(
        person=tenant,
        unit=flat,
        kind="sublet",
        starts_on=start,
        is_sliding=True,
        planned_slide_on=start + datetime.timedelta(days=365),
        bookings=[booking],
        actor=counsellor,
    )
    housing_services.sign_lease(lease=lease, signed_on=start, actor=counsellor)
    for condition in list(lease.conditions.order_by("id"))[:2]:
        housing_services.set_slide_condition(
            condition=condition, met_on=today - datetime.timedelta(days=20), actor=counsellor
        )


def _common_room_week(residence, manager, *, resident) -> None:
    """The life of the Maison du Lien: weekly workshops in its common room (six held, with the
    residents who came; two to come, one resident signed up), a resident's family lunch, and the
    year's satisfaction survey with twelve answers."""
    import datetime

    from django.utils import timezone

    room = residence.spaces.get(kind="common_room")
    residents = list(
        Person.objects.filter(organization_id=residence.organization_id).order_by("pk")[:4]
    )
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    monday = monday_of(today)
    workshop = activities_services.create_activity(
        organization=residence.organization,
        kind=ActivityKind.RESIDENCE_LIFE,
        title="Atelier mémoire et jeux",
        description="Chaque mardi après-midi, jeunes et aîné·es autour de jeux de mémoire.",
        residence=residence,
        actor=manager,
    )
    for weeks_ago in range(6, -2, -1):  # six Tuesdays held, this week's and next week's
        day = monday - datetime.timedelta(weeks=weeks_ago) + datetime.timedelta(days=1)
        session = activities_services.schedule_session(
            activity=workshop,
            starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=zone),
            duration_minutes=120,
            space=room,
            actor=manager,
        )
        if session.has_started:
            came = residents[: 2 + weeks_ago % 2]
            activities_services.record_attendances(session=session, people=came, actor=manager)
        else:
            activities_services.register(session=session, person=resident, actor=manager)
    saturday = monday + datetime.timedelta(days=5)
    housing_services.book_space(
        space=room,
        actor=manager,
        starts_at=datetime.datetime.combine(saturday, datetime.time(12), tzinfo=zone),
        ends_at=datetime.datetime.combine(saturday, datetime.time(15), tzinfo=zone),
        purpose="Repas de famille",
        person=resident,
    )
    hugo = Person.objects.get(organization_id=residence.organization_id, first_name="Hugo")
    housing_services.create_pairing(
        residence=residence,
        actor=manager,
        senior=resident,
        junior=hugo,
        started_on=today - datetime.timedelta(days=30),
        commitments="Un dîner partagé le jeudi ; Hugo aide Jeanne au numérique, Jeanne lui "
        "apprend la cuisine de saison.",
    )
    for weekday in (2, 4):  # the staff member on site two days a week (seed 001)
        housing_services.add_staff_slot(
            residence=residence,
            actor=manager,
            weekday=weekday,
            starts=datetime.time(9),
            ends=datetime.time(17),
            who="Claire, coordinatrice de la vie de la maison",
        )
    fixed = housing_services.log_request(
        residence=residence,
        actor=manager,
        kind="incident",
        occurred_on=today - datetime.timedelta(days=9),
        summary="Fuite sous l'évier de la salle commune.",
    )
    housing_services.set_request_status(
        request=fixed, status="done", actor=manager, on=today - datetime.timedelta(days=7)
    )
    housing_services.log_request(
        residence=residence,
        actor=manager,
        kind="request",
        occurred_on=today - datetime.timedelta(days=2),
        summary="Demande d'un second bac au jardin partagé pour les aromates.",
        person=resident,
    )
    survey = housing_services.create_survey(
        residence=residence,
        actor=manager,
        year=today.year,
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=14),
    )
    questions = list(survey.questions.all())
    for n in range(12):
        housing_services.submit_answers(
            survey=survey,
            answers={
                questions[0].pk: 4 if n % 3 else 3,
                questions[1].pk: 3 if n % 4 else 2,
                questions[2].pk: 4 if n < 8 else 3,
                questions[3].pk: 4,
                questions[5].pk: 1 if n < 9 else 0,
            },
            today=today,
        )


def load_demo() -> list[tuple[str, str]]:
    """Create or refresh the demo organizations and users; returns (e-mail, description) per login.

    Indicators are not refreshed row by row while loading: once, at the end. Nobody is e-mailed
    (the demo's addresses are invented): messages stay in memory."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _load_demo_at_once()


@transaction.atomic
def _load_demo_at_once() -> list[tuple[str, str]]:
    with refresh_paused():
        return _load_demo()


def _load_demo() -> list[tuple[str, str]]:
    organizations: dict[str, Organization] = {}
    for index, spec in enumerate(ORGANIZATIONS, start=1):
        org, _ = Organization.objects.get_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "siret": demo_siret(index),
                "address": spec.address,
                "commune": _commune(spec.commune),
            },
        )
        organizations[spec.key] = org

    logins = []
    for spec in USERS:
        email = f"{spec.email}@{DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=spec.first_name, last_name=spec.last_name)
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = spec.is_staff
            user.save()
        for key, role in spec.memberships:
            membership, created = Membership.objects.get_or_create(
                user=user, organization=organizations[key], defaults={"role": role}
            )
            if not created and (membership.role != role or not membership.is_active):
                membership.role, membership.is_active = role, True
                membership.save()
        if spec.is_staff:
            description = "exploitant·e de la plateforme (/exploitation/)"
        else:
            description = " ; ".join(
                f"{Role(role).label} — {organizations[key].name}" for key, role in spec.memberships
            )
        logins.append((email, description))
    _load_programs(organizations)
    counsellor = User.objects.get(email=f"conseiller@{DOMAIN}")
    _load_cllaj_people(organizations["cllaj"], counsellor)
    _load_cllaj_contacts(organizations["cllaj"], counsellor)
    with acting_as(counsellor):
        _load_cllaj_enrollments(organizations["cllaj"], counsellor)
        _load_cllaj_activities(organizations["cllaj"], counsellor)
        _load_cllaj_appointments(organizations["cllaj"], counsellor)
    social = User.objects.get(email=f"social@{DOMAIN}")
    _load_lyon_referral(
        organizations["lyon_social_service"],
        organizations["lyon_association"],
        organizations["lyon_landlord"],
        social,
    )
    admin = User.objects.get(email=f"admin@{DOMAIN}")
    with acting_as(admin):
        _load_housing(organizations, admin)

    with acting_as(admin):
        _load_privacy(organizations["cllaj"], admin, counsellor)
    from ancrage.demo.outreach import load_outreach

    load_outreach(organizations)
    from ancrage.demo.catalogue import load_catalogue, load_packs

    load_catalogue(organizations)
    load_packs(organizations)
    from ancrage.demo.partnerships import (
        load_apprenticeships,
        load_charters,
        load_committees,
        load_network,
        load_partner_agreements,
        load_pathways,
    )

    load_apprenticeships(organizations)
    load_charters(organizations)
    load_committees(organizations)
    load_network(organizations)
    load_partner_agreements(organizations)
    load_pathways(organizations)

    load_figures(organizations)
    return logins


def _load_privacy(organization: Organization, admin: User, counsellor: User) -> None:
    """Three files without contact since 2023 (archived by the retention run) and three rights
    requests: one due soon, one late, one answered."""
    import datetime

    from django.utils import timezone

    from ancrage.people.services import create_person
    from ancrage.privacy import retention
    from ancrage.privacy import services as privacy_services
    from ancrage.privacy.models import RightsRequest

    if RightsRequest.objects.filter(organization=organization).exists():
        return
    today = timezone.localdate()
    for index, (last, first) in enumerate(
        [("Vasseur", "Kévin"), ("Lemaire", "Océane"), ("Delattre", "Mathis")]
    ):
        when = datetime.datetime(2023, 3 + 2 * index, 14, 10, tzinfo=datetime.UTC)
        person = create_person(
            organization=organization,
            actor=counsellor,
            last_name=last,
            first_name=first,
            birth_date=datetime.date(2003, 5 + index, 9),
            situation=Situation.JOB_SEEKER,
            housing_situation=HousingSituation.PARENTS,
            confirmed_not_duplicate=True,
        )
        support_services.record_contact(
            organization=organization,
            actor=counsellor,
            channel=Channel.PHONE,
            subjects=[Subject.HOUSING],
            outcome=Outcome.INFORMATION,
            person=person,
            occurred_at=when,
        )
        audit.bulk_update(
            "demo.backdating",
            Person.objects.filter(pk=person.pk),
            on=person,
            created_at=when,
            updated_at=when,
        )
    retention.apply(today)
    people = list(Person.objects.filter(organization=organization, archived_on=None)[:3])
    requests = [
        ("access", today - datetime.timedelta(days=12), people[0]),
        ("rectification", today - datetime.timedelta(days=35), people[1]),
        ("objection", today - datetime.timedelta(days=60), people[2]),
    ]
    for kind, received_on, person in requests:
        request = privacy_services.record_request(
            organization=organization,
            kind=kind,
            received_on=received_on,
            person=person,
            actor=admin,
        )
        if kind == "objection":
            privacy_services.answer_request(
                request=request, actor=admin, on=received_on + datetime.timedelta(days=9)
            )
