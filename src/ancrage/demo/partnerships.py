"""The demo's apprenticeship contracts: four Loire apprentices, their CFA, their employer (the
landlord's maintenance team takes apprentices) and their rhythm, written through
``partnerships.services`` as the residence manager would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ancrage.accounts.models import Organization, User
from ancrage.demo.data import DOMAIN

DIPLOMAS = (
    "CAP Maintenance de bâtiments de collectivités",
    "BTS Management commercial opérationnel",
    "Bac pro Technicien du froid et du conditionnement d'air",
    "CAP Cuisine",
)


def load_apprenticeships(organizations: dict[str, Organization]) -> None:
    from ancrage.housing.models import Rhythm
    from ancrage.partnerships.models import Apprenticeship
    from ancrage.partnerships.services import create_apprenticeship

    manager_org = organizations["loire_manager"]
    if Apprenticeship.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    _load_school_calendar(manager_org, organizations["loire_school"], manager, year)
    rhythms = Rhythm.objects.filter(person__organization=manager_org).select_related("person")
    for rhythm, diploma in zip(
        rhythms.order_by("person__last_name", "pk")[:4], DIPLOMAS, strict=False
    ):
        create_apprenticeship(
            person=rhythm.person,
            school=organizations["loire_school"],
            employer=organizations["loire_landlord"],
            diploma=diploma,
            starts_on=datetime.date(year, 9, 1),
            ends_on=datetime.date(year + 2, 8, 31),
            rhythm=rhythm,
            actor=manager,
        )


def _load_school_calendar(manager_org: Organization, school: Organization, manager, year) -> None:
    """The CFA's calendar of its CAP first-year class, imported as the school sends it (CSV, one
    line per week at school: one week in three, September to June)."""
    from ancrage.housing.services import import_school_calendar

    monday = datetime.date(year, 9, 1)
    monday += datetime.timedelta(days=(7 - monday.weekday()) % 7)
    lines = ["début;fin"]
    while monday < datetime.date(year + 1, 7, 1):
        lines.append(f"{monday:%d/%m/%Y};{monday + datetime.timedelta(days=4):%d/%m/%Y}")
        monday += datetime.timedelta(weeks=3)
    import_school_calendar(
        organization=manager_org,
        school=school,
        name=f"CAP 1re année {year}-{year + 1}",
        filename="calendrier-cfa.csv",
        content="\n".join(lines).encode(),
        actor=manager,
    )


SCHOOL_SIGNER = ("Claire Fontaine", "c.fontaine@cfa-loire.exemple.fr")
EMPLOYER_SIGNER = ("Marc Delorme", "m.delorme@loire-habitat.exemple.fr")


def load_charters(organizations: dict[str, Organization]) -> None:
    """The program's charter (version 1) and the first three apprentices' charters: one
    complete, one signed by the apprentice only, one just sent. The parties sign with the code
    they were sent (the demo's messages stay in memory: ``load_demo``)."""
    import re

    from django.core import mail
    from django.utils.text import slugify

    from ancrage.partnerships.charter_views import DEFAULT_BODY, DEFAULT_TITLE
    from ancrage.partnerships.models import Apprenticeship, Charter
    from ancrage.partnerships.services import charters
    from ancrage.programs.models import Program

    manager_org = organizations["loire_manager"]
    if Charter.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    program = Program.objects.get(name="Logement des alternants (Loire)")
    template = charters.create_template(
        program=program, title=DEFAULT_TITLE, body=DEFAULT_BODY, actor=manager
    )
    today = timezone.localdate()
    contracts = Apprenticeship.objects.filter(organization=manager_org).select_related("person")
    for signed, contract in zip((3, 1, 0), contracts.order_by("pk")[:3], strict=False):
        person = contract.person
        email = slugify(f"{person.first_name} {person.last_name}").replace("-", ".") + "@exemple.fr"
        charter = charters.prepare_charter(
            apprenticeship=contract,
            template=template,
            consent_on=min(contract.starts_on, today),
            parties={
                "apprentice": (str(person), email),
                "school": SCHOOL_SIGNER,
                "employer": EMPLOYER_SIGNER,
            },
            actor=manager,
        )
        for signatory in charter.signatories.order_by("pk")[:signed]:
            charters.send_code(signatory=signatory)
            code = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
            if code is not None:
                charters.sign(signatory=signatory, code=code.group(1), ip="192.0.2.10")


def load_committees(organizations: dict[str, Organization]) -> None:
    """The Loire program's steering committee: the manager, the CFA's partner, someone of the
    Département without an account; last year's evaluation and a recent meeting, with decisions
    (one carried by the CFA's partner, on her home page)."""
    from ancrage.partnerships.models import Committee
    from ancrage.partnerships.services import committees
    from ancrage.programs.models import Program

    manager_org = organizations["loire_manager"]
    if Committee.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    partner = User.objects.get(email=f"partenaire@{DOMAIN}")
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 5)
    committee = committees.create_committee(
        organization=manager_org,
        program=Program.objects.get(name="Logement des alternants (Loire)"),
        name="Comité de pilotage du logement des alternants",
        kind="steering",
        actor=manager,
    )
    seats = [
        committees.add_member(committee=committee, user=manager, joined_on=start, actor=manager),
        committees.add_member(committee=committee, user=partner, joined_on=start, actor=manager),
        committees.add_member(
            committee=committee,
            name="Jacques Perrin",
            represents="Département de la Loire",
            joined_on=start,
            actor=manager,
        ),
    ]
    evaluation = committees.create_meeting(
        committee=committee,
        kind="evaluation",
        held_on=min(datetime.date(today.year, 3, 12), today),
        evaluated_year=today.year - 1,
        agenda="Bilan de l'année écoulée, indicateurs, perspectives de duplication.",
        actor=manager,
    )
    committees.record_minutes(
        meeting=evaluation,
        minutes="Le comité approuve le bilan. Taux d'occupation conforme à l'objectif ; le "
        "parcours citoyen est à renforcer avec le CFA.",
        present=seats,
        actor=manager,
    )
    done = committees.add_decision(
        meeting=evaluation,
        text="Présenter le bilan au conseil d'administration",
        owner=seats[0],
        due_on=evaluation.held_on + datetime.timedelta(days=30),
        actor=manager,
    )
    committees.set_decision_done(decision=done, done_on=min(done.due_on, today), actor=manager)
    recent = committees.create_meeting(
        committee=committee,
        held_on=today - datetime.timedelta(days=10),
        agenda="Rentrée des alternant·es, calendrier 2027, chartes tripartites.",
        actor=manager,
    )
    committees.record_minutes(
        meeting=recent,
        minutes="Rentrée réussie ; trois chartes préparées, une signée par toutes les parties.",
        present=seats[:2],
        actor=manager,
    )
    committees.add_decision(
        meeting=recent,
        text="Transmettre le calendrier d'alternance 2027 du CFA",
        owner=seats[1],
        due_on=today + datetime.timedelta(days=14),
        actor=manager,
    )


def load_network(organizations: dict[str, Organization]) -> None:
    """Contact people of the Loire program's organizations; the CFA's previous contact handed
    over last summer (the network's history)."""
    from ancrage.programs.models import Program, ProgramContact, ProgramParticipant
    from ancrage.programs.services import add_contact, end_contact

    program = Program.objects.get(name="Logement des alternants (Loire)")
    if ProgramContact.objects.filter(participant__program=program).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    today = timezone.localdate()
    participants = {
        p.organization_id: p for p in ProgramParticipant.objects.filter(program=program)
    }
    school = participants[organizations["loire_school"].pk]
    previous = add_contact(
        participant=school,
        name="Bernard Laurent",
        function="Responsable pédagogique",
        since=datetime.date(today.year - 2, 9, 1),
        actor=manager,
    )
    end_contact(contact=previous, until=datetime.date(today.year, 7, 31), actor=manager)
    add_contact(
        participant=school,
        name=SCHOOL_SIGNER[0],
        function="Responsable pédagogique",
        email=SCHOOL_SIGNER[1],
        phone="04 77 30 12 45",
        since=datetime.date(today.year, 8, 1),
        actor=manager,
    )
    add_contact(
        participant=participants[organizations["loire_landlord"].pk],
        name=EMPLOYER_SIGNER[0],
        function="Chef du service maintenance, tuteur des apprentis",
        email=EMPLOYER_SIGNER[1],
        since=datetime.date(today.year - 1, 9, 1),
        actor=manager,
    )


def load_partner_agreements(organizations: dict[str, Organization]) -> None:
    """The Loire program's three-year partnership: the residence manager, the landlord, the CFA;
    signed in January (the signed copy is the printed PDF, for the demo)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.partnerships.agreement_pdf import agreement_pdf
    from ancrage.partnerships.models import PartnerAgreement
    from ancrage.partnerships.services import agreements
    from ancrage.programs.models import Program

    manager_org = organizations["loire_manager"]
    if PartnerAgreement.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    today = timezone.localdate()
    agreement = agreements.create_agreement(
        organization=manager_org,
        program=Program.objects.get(name="Logement des alternants (Loire)"),
        title="Convention de partenariat pour le logement des alternants",
        purpose="Loger les apprentis du CFA au rythme de leur alternance dans les résidences "
        "du gestionnaire, sur des logements réservés par le bailleur, et les accompagner.",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year + 2, 12, 31),
        parties=[
            agreements.Party(manager_org, "operator", "Gérer les résidences et accompagner"),
            agreements.Party(
                organizations["loire_landlord"], "landlord", "Réserver 24 logements meublés"
            ),
            agreements.Party(
                organizations["loire_school"],
                "school",
                "Transmettre les calendriers d'alternance et leurs changements",
            ),
        ],
        actor=manager,
    )
    content = agreement_pdf(agreement)
    agreements.attach_signed(
        agreement=agreement,
        upload=SimpleUploadedFile("convention.pdf", io.BytesIO(content).getvalue()),
        signed_on=min(datetime.date(today.year, 1, 15), today),
        actor=manager,
    )


def load_pathways(organizations: dict[str, Organization]) -> None:
    """The CLEA citizen pathway of the Loire residence: the five modules, delivered by the CFA,
    opened for the four apprentices. The first two modules were held these last weeks (each
    apprentice came on a week they were housed); the next three are scheduled, the apprentices
    signed up on their weeks at the residence; three of them are opened to the CFA, whose
    member (partenaire@) notes attendance."""
    from ancrage.activities import services as activities
    from ancrage.housing.models import Residence
    from ancrage.partnerships.models import Apprenticeship, PathwayTemplate
    from ancrage.partnerships.services import pathways
    from ancrage.programs.models import Program

    manager_org = organizations["loire_manager"]
    if PathwayTemplate.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    residence = Residence.objects.filter(organization=manager_org, kind="apprentices").first()
    if residence is None:
        return
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    template = pathways.create_template(
        organization=manager_org,
        program=Program.objects.get(name="Logement des alternants (Loire)"),
        title=f"Parcours citoyen CLEA {year}-{year + 1}",
        residence=residence,
        clea_partner=organizations["loire_school"],
        actor=manager,
    )
    people = [
        a.person
        for a in Apprenticeship.objects.filter(organization=manager_org)
        .select_related("person")
        .order_by("pk")
    ]
    opened = []
    for person in people:
        opened.append(
            pathways.open_pathway(
                template=template,
                person=person,
                opened_on=min(datetime.date(year, 9, 15), today),
                actor=manager,
            )
        )
    monday = today - datetime.timedelta(days=today.weekday())
    paris = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=paris)

    modules = list(template.modules.order_by("position"))
    for index, module in enumerate(modules):
        past = index < 2
        weeks = range(-6, 0) if past else range(1, 9)
        days = [monday + datetime.timedelta(weeks=w, days=1 + index % 3) for w in weeks]
        sessions = [
            activities.schedule_session(
                activity=module.activity,
                starts_at=at(day, 14),
                place=f"Salle commune — {residence.name}",
                actor=manager,
            )
            for day in days
        ]
        for person in people:
            present = pathways.present_days(template, person.pk, days)
            session = next((s for s, d in zip(sessions, days, strict=True) if d in present), None)
            if session is None:
                continue
            if past:
                activities.record_attendance(session=session, person=person, actor=manager)
            else:
                activities.register(session=session, person=person, actor=manager)
    for pathway in opened[:3]:
        pathways.open_to_partner(
            pathway=pathway,
            partner=organizations["loire_school"],
            consent_on=today,
            actor=manager,
        )
