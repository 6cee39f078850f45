from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramKind(models.TextChoices):
    APPRENTICE_HOUSING = "apprentice_housing", _("Logement des alternant·es")
    THEMATIC_RESIDENCES = "thematic_residences", _("Résidences thématiques")
    EMPLOYEE_HOUSING = "employee_housing", _("Salarié·es en difficulté de logement")
    YOUTH_HOUSING_DESK = (
        "youth_housing_desk",
        _("Comité local pour le logement autonome des jeunes"),
    )
    SENIORS_AND_INSERTION = "seniors_insertion", _("Seniors et insertion (parcours individuels)")
    OTHER = "other", _("Autre")


class ParticipantRole(models.TextChoices):
    OPERATOR = "operator", _("Porteur")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
    # Who steers and funds a program (a Département, a foundation), and the partners each seed
    # names: the apprentices' schools and employers, the providers of services.
    PILOT = "pilot", _("Pilote (financement et pilotage)")
    SCHOOL = "school", _("École ou CFA")
    EMPLOYER = "employer", _("Employeur")
    SERVICE_PROVIDER = "provider", _("Prestataire de services")
    # A national program's local networks (1000 LIANES): who runs it on a territory, the
    # associations that reach and follow people, the landlords whose tenants it serves, the
    # tenants' federations.
    TERRITORIAL_OPERATOR = "territory", _("Opérateur territorial")
    RELAY = "relay", _("Relais associatif")
    LANDLORD = "landlord", _("Bailleur")
    TENANT_FEDERATION = "tenants", _("Fédération de locataires")


# Roles whose organizations follow people within the program (open enrollments in it).
SUPPORTING_ROLES = (
    ParticipantRole.OPERATOR,
    ParticipantRole.PARTNER,
    ParticipantRole.TERRITORIAL_OPERATOR,
    ParticipantRole.RELAY,
)
