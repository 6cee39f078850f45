from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    SOCIAL_LANDLORD = "social_landlord", _("Bailleur social")
    RESIDENCE_MANAGER = "residence_manager", _("Gestionnaire de résidence")
    CLLAJ = "cllaj", _("CLLAJ")
    ASSOCIATION = "association", _("Association")
    SCHOOL = "school", _("École / CFA")
    EMPLOYER = "employer", _("Employeur")
    SERVICE_PROVIDER = "service_provider", _("Prestataire de services")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité")
    FUNDER = "funder", _("Financeur")
    CORPORATE_SOCIAL_SERVICE = "corporate_social_service", _("Service social d'entreprise")


class Module(models.TextChoices):
    """The parts of Ancrage an organization uses: its menu shows them, their pages answer 404
    elsewhere (``ancrage.access_registry.MODULES`` says which URLs belong to which)."""

    SUPPORT = "support", _("Accompagnement : personnes, contacts, orientations, agenda")
    HOUSING = "housing", _("Logement : résidences, réservations, baux, loyers, attribution")
    ACTIVITIES = "activities", _("Actions collectives")
    OUTREACH = "outreach", _("Repérage : fichiers des bailleurs, ciblage, campagnes")


# What each kind of organization uses unless its administration chooses otherwise: an employer's
# social service refers and follows employees but runs no residence; a funder reads indicators.
DEFAULT_MODULES: dict[str, tuple[str, ...]] = {
    OrganizationKind.SOCIAL_LANDLORD: (Module.SUPPORT, Module.HOUSING, Module.OUTREACH),
    OrganizationKind.RESIDENCE_MANAGER: (Module.SUPPORT, Module.HOUSING, Module.ACTIVITIES),
    OrganizationKind.CLLAJ: (Module.SUPPORT, Module.HOUSING, Module.ACTIVITIES, Module.OUTREACH),
    OrganizationKind.ASSOCIATION: (
        Module.SUPPORT,
        Module.HOUSING,
        Module.ACTIVITIES,
        Module.OUTREACH,
    ),
    OrganizationKind.SCHOOL: (Module.ACTIVITIES,),
    OrganizationKind.EMPLOYER: (),
    OrganizationKind.SERVICE_PROVIDER: (Module.ACTIVITIES,),
    OrganizationKind.LOCAL_AUTHORITY: (),
    OrganizationKind.FUNDER: (),
    OrganizationKind.CORPORATE_SOCIAL_SERVICE: (Module.SUPPORT,),
}


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur·rice de la structure")
    COORDINATOR = "coordinator", _("Coordinateur·rice")
    COUNSELLOR = "counsellor", _("Conseiller·ère")
    READ_ONLY = "read_only", _("Lecture seule")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
