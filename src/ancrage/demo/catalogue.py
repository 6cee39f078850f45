"""The demo's services catalogue: the Loire provider's well-being services for the apprentices
(seed 000: mobility, sport, health) and the CLLAJ's own housing desk (seed 003), written through
``catalogue.services`` as their coordinators would."""

from __future__ import annotations

from ancrage.accounts.models import Organization, User
from ancrage.catalogue.models import Service
from ancrage.catalogue.services import create_service
from ancrage.demo.data import DOMAIN

SERVICES = {
    ("loire_provider", "prestataire"): [
        {
            "name": "Pass mobilité des apprentis",
            "description": (
                "Un abonnement mensuel aux bus et tramways de Saint-Étienne Métropole pour les "
                "apprentis logés dans les résidences du programme, remis à l'arrivée."
            ),
            "kind": "aide-materielle",
            "themes": ["mobilite--financer-ma-mobilite"],
            "publics": ["jeunes"],
            "fees": "gratuit",
            "eligibility_zone": ["42"],
            "commune_name": "Saint-Étienne",
            "postal_code": "42000",
            "insee_code": "42218",
            "address": "21 rue de la Résistance",
            "reception_modes": ["en-presentiel"],
            "mobilisable_by": ["professionnels"],
            "opening_hours": "Mo-Fr 09:00-12:30,13:30-17:00",
        },
        {
            "name": "Séances de sport encadrées",
            "description": (
                "Dix séances par an de sport collectif ou de remise en forme, encadrées par un "
                "éducateur sportif, le soir après l'école ou le travail."
            ),
            "kind": "atelier",
            "themes": ["remobilisation--activites-sportives-et-culturelles"],
            "publics": ["jeunes", "etudiants"],
            "fees": "gratuit",
            "eligibility_zone": ["42218"],
            "commune_name": "Saint-Étienne",
            "postal_code": "42000",
            "insee_code": "42218",
            "address": "Gymnase Jean-Jaurès",
            "reception_modes": ["en-presentiel"],
            "mobilisation_modes": ["telephoner"],
            "mobilisable_by": ["usagers", "professionnels"],
            "phone": "+33477000000",
            "opening_hours": "Mo,We 18:00-20:00; Sa 10:00-12:00",
        },
        {
            "name": "Bilan de santé jeunes",
            "description": (
                "Un bilan de santé complet et gratuit avec un médecin, une fois pendant le séjour, "
                "et l'aide pour ouvrir ses droits à l'assurance maladie."
            ),
            "kind": "accompagnement",
            "themes": ["sante--acces-aux-soins"],
            "publics": ["jeunes"],
            "fees": "gratuit",
            "eligibility_zone": ["42"],
            "reception_modes": ["en-presentiel"],
            "mobilisable_by": ["professionnels"],
        },
    ],
    ("cllaj", "admin"): [
        {
            "name": "Permanence logement des jeunes",
            "description": (
                "Information sur l'accès au logement, aide à la demande de logement social et aux "
                "aides (APL, Visale, Loca-Pass), sans rendez-vous ou sur rendez-vous."
            ),
            "kind": "information",
            "themes": [
                "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
                "logement-hebergement--louer-un-logement",
            ],
            "publics": ["jeunes"],
            "fees": "gratuit",
            "eligibility_zone": ["62"],
            "commune_name": "Arras",
            "postal_code": "62000",
            "insee_code": "62041",
            "address": "3 rue Gambetta",
            "reception_modes": ["en-presentiel", "a-distance"],
            "mobilisation_modes": ["se-presenter", "telephoner"],
            "mobilisable_by": ["usagers", "professionnels"],
            "opening_hours": "Mo-Fr 09:00-12:00; Tu,Th 14:00-17:30",
        },
    ],
}


def load_catalogue(organizations: dict[str, Organization]) -> None:
    for (key, login), services in SERVICES.items():
        organization = organizations[key]
        actor = User.objects.get(email=f"{login}@{DOMAIN}")
        for fields in services:
            if not Service.objects.filter(organization=organization, name=fields["name"]).exists():
                create_service(organization=organization, actor=actor, **fields)


def load_packs(organizations: dict[str, Organization]) -> None:
    """The Loire residences' well-being pack (seed 000): transport by week present, sport,
    a health check, meals; three apprentices opened to the provider, with their consent, and
    the services delivered since the start of the school year."""
    import datetime

    from django.utils import timezone

    from ancrage.catalogue import packs
    from ancrage.catalogue.models import Pack
    from ancrage.catalogue.services import (
        add_entitlement,
        create_pack,
        open_to_provider,
        record_delivery,
    )
    from ancrage.housing.models import Residence
    from ancrage.people.models import Person
    from ancrage.programs.queries import programs_of

    manager_org, provider = organizations["loire_manager"], organizations["loire_provider"]
    if Pack.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    hugo = User.objects.get(email=f"prestataire@{DOMAIN}")
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    residences = list(Residence.objects.filter(organization=manager_org, kind="apprentices"))
    pack = create_pack(
        organization=manager_org,
        residences=residences,
        name="Pack bien-être des apprentis",
        program=programs_of(manager_org).first(),
        starts_on=datetime.date(year, 9, 1),
        actor=manager,
    )
    offered = {s.name: s for s in Service.objects.filter(organization=provider)}
    for category, label, quantity, period, service in (
        ("mobility", "Pass transport", 1, "week", "Pass mobilité des apprentis"),
        ("sport", "Séances de sport", 10, "year", "Séances de sport encadrées"),
        ("health", "Bilan de santé", 1, "stay", "Bilan de santé jeunes"),
        ("catering", "Repas au restaurant d'entreprise", 20, "month", ""),
    ):
        add_entitlement(
            pack=pack,
            category=category,
            label=label,
            quantity=quantity,
            period=period,
            service=offered.get(service) if service else None,
            actor=manager,
        )
    housed = packs.housed(pack, pack.starts_on, today + datetime.timedelta(days=1))
    people = list(Person.objects.filter(pk__in=housed).order_by("last_name", "pk"))
    costs = {
        "Pass transport": 850,
        "Séances de sport": 800,
        "Bilan de santé": 0,
        "Repas au restaurant d'entreprise": 450,
    }
    for index, person in enumerate(people[:6]):
        opened = index < 3
        if opened:
            open_to_provider(
                pack=pack,
                person=person,
                provider=provider,
                consent_on=pack.starts_on + datetime.timedelta(days=7),
                actor=manager,
            )
        month = pack.starts_on
        while month <= today:
            day = min(today, month + datetime.timedelta(days=14))
            start, end = packs.month_of(day)
            if person.pk not in packs.housed(pack, start, end, person_ids=[person.pk]):
                month = end
                continue
            for balance in packs.balances(pack, person.pk, day):
                entitlement = balance.entitlement
                by_provider = entitlement.service is not None
                if (by_provider and not opened) or balance.left == 0:
                    continue
                quantity = 1 if entitlement.period in ("year", "stay") else balance.left
                if entitlement.label == "Repas au restaurant d'entreprise":
                    quantity = max(1, balance.left // 2)
                record_delivery(
                    entitlement=entitlement,
                    person=person,
                    delivered_on=day,
                    quantity=quantity,
                    unit_cost_cents=costs[entitlement.label],
                    payer="pack",
                    actor=hugo if by_provider else manager,
                )
            month = packs.month_of(month)[1]
