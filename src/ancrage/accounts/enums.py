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


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur·rice de la structure")
    COORDINATOR = "coordinator", _("Coordinateur·rice")
    COUNSELLOR = "counsellor", _("Conseiller·ère")
    READ_ONLY = "read_only", _("Lecture seule")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
