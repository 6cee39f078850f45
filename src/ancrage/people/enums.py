from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    APPRENTICE = "apprentice", _("Apprenti·e")
    STUDENT = "student", _("Étudiant·e")
    EMPLOYEE_PERMANENT = "employee_permanent", _("Salarié·e en CDI")
    EMPLOYEE_FIXED_TERM = "employee_fixed_term", _("Salarié·e en CDD")
    TEMP_WORKER = "temp_worker", _("Intérimaire")
    JOB_SEEKER = "job_seeker", _("Demandeur·se d'emploi")
    RETIRED = "retired", _("Retraité·e")
    INACTIVE = "inactive", _("Sans activité")
    CARE_LEAVER = "care_leaver", _("Jeune majeur·e sortant de l'ASE")


class HousingSituation(models.TextChoices):
    NO_HOUSING = "no_housing", _("Sans logement")
    HOSTED_BY_THIRD_PARTY = "hosted", _("Hébergé·e chez des tiers")
    PARENTS = "parents", _("Chez ses parents")
    EMERGENCY_SHELTER = "emergency", _("Hébergement d'urgence")
    HOSTEL_OR_RESIDENCE = "residence", _("En foyer ou résidence")
    TENANT = "tenant", _("Locataire")
    SUBTENANT = "subtenant", _("Sous-locataire")
    OWNER = "owner", _("Propriétaire")
    OTHER = "other", _("Autre")


class ResourceKind(models.TextChoices):
    WAGES = "wages", _("Salaire")
    APPRENTICE_WAGES = "apprentice_wages", _("Salaire d'apprenti·e")
    UNEMPLOYMENT = "unemployment", _("Allocation chômage (ARE)")
    RSA = "rsa", _("RSA")
    ACTIVITY_BONUS = "activity_bonus", _("Prime d'activité")
    AAH = "aah", _("AAH")
    YOUTH_GUARANTEE = "youth_guarantee", _("Contrat d'engagement jeune")
    GRANT = "grant", _("Bourse")
    PENSION = "pension", _("Pension de retraite")
    FAMILY_ALLOWANCE = "family", _("Prestations familiales")
    FAMILY_HELP = "family_help", _("Aide de la famille")
    OTHER = "other", _("Autre")


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Conjoint·e")
    CHILD = "child", _("Enfant")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Autre")


class DocumentKind(models.TextChoices):
    """What a document on a person's file is (the types the team is asked for most)."""

    IDENTITY = "identity", _("Pièce d'identité ou titre de séjour")
    PAYSLIP = "payslip", _("Bulletin de salaire")
    INCOME = "income", _("Avis d'imposition ou attestation de ressources")
    HOUSING_APPLICATION = "housing_application", _("Attestation de demande de logement social")
    LEASE = "lease", _("Bail signé")
    CONTRACT = "contract", _("Contrat de travail ou d'apprentissage")
    OTHER = "other", _("Autre")
