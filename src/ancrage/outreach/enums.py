from django.db import models
from django.utils.translation import gettext_lazy as _


class ProspectStatus(models.TextChoices):
    """Where the outreach to one identified tenant stands (set by the last attempt)."""

    TO_CONTACT = "to_contact", _("À contacter")
    CONTACTED = "contacted", _("Contacté·e")
    INTERESTED = "interested", _("Intéressé·e")
    REFUSED = "refused", _("Refus")
    UNREACHABLE = "unreachable", _("Injoignable")
    DO_NOT_CONTACT = "do_not_contact", _("Ne plus contacter")
    CONVERTED = "converted", _("Accompagné·e")


# Statuses an attempt may set (conversion is its own action, after consent).
ATTEMPT_OUTCOMES = tuple(s for s in ProspectStatus if s != ProspectStatus.CONVERTED)
ATTEMPT_OUTCOME_CHOICES = [(s.value, s.label) for s in ATTEMPT_OUTCOMES]


class AttemptChannel(models.TextChoices):
    LETTER = "letter", _("Courrier")
    CALL = "call", _("Appel")
    VISIT = "visit", _("Visite")


class RuleField(models.TextChoices):
    """The imported fields a targeting rule can test."""

    AGE = "age", _("Âge (atteint dans l'année)")
    LIVES_ALONE = "lives_alone", _("Vit seul·e")
    FLOOR = "floor", _("Étage")
    NO_LIFT = "no_lift", _("Sans ascenseur")
    UNIT_NOT_ADAPTED = "unit_not_adapted", _("Logement non adapté")
    JOB_SEEKER = "job_seeker", _("Demandeur·se d'emploi")
    ARREARS = "arrears", _("Impayés (€)")


# Fields compared to a number (« 75 et plus »); the others are true or not.
NUMERIC_FIELDS = (RuleField.AGE, RuleField.FLOOR, RuleField.ARREARS)


class RuleOperator(models.TextChoices):
    AT_LEAST = "gte", _("au moins")
    AT_MOST = "lte", _("au plus")
    IS_TRUE = "true", _("oui")
