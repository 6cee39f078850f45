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
