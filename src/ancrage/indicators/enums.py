from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    MONTH = "month", _("Mois")
    YEAR = "year", _("Année")
    # Any run of whole months (an agreement's two or three years): ``period`` is its first month,
    # ``last_month`` its last; distinct people are counted once over the whole run.
    PERIOD = "span", _("Période")


class Scope(models.TextChoices):
    """Which slice of the cube a stored figure is: one organization, a program, a territory…"""

    ORGANIZATION = "org", _("Structure")
    ORGANIZATION_PROGRAM = "org_program", _("Structure dans un dispositif")
    PROGRAM = "program", _("Dispositif")
    PROGRAM_TERRITORY = "program_territory", _("Dispositif sur un territoire")
    TERRITORY = "territory", _("Territoire, tous dispositifs")
    NATIONAL = "national", _("France, tous dispositifs")


class Kind(models.TextChoices):
    """How an indicator adds up."""

    DISTINCT = "distinct", _("Nombre de personnes (ou de structures) distinctes")
    SUM = "sum", _("Total")
    RATE = "rate", _("Taux")
    MEAN = "mean", _("Moyenne")


class Unit(models.TextChoices):
    PEOPLE = "people", _("personnes")
    ORGANIZATIONS = "organizations", _("structures")
    EVENTS = "events", _("nombre")
    PERCENT = "percent", _("%")
    DAYS = "days", _("jours")
    BED_WEEKS = "bed_weeks", _("semaines-lits")
    HOMES = "homes", _("logements")
    EUROS = "euros", _("€")


class ReportStatus(models.TextChoices):
    """An annual report's way to the funder: written, handed in (its figures frozen), sent back
    with comments, or approved (then it no longer changes)."""

    DRAFT = "draft", _("En rédaction")
    SUBMITTED = "submitted", _("Remis au financeur")
    RETURNED = "returned", _("Renvoyé pour compléments")
    APPROVED = "approved", _("Approuvé")
