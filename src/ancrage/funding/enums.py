from django.db import models
from django.utils.translation import gettext_lazy as _

# The advance of a year is at most this share of the year's amount (seed 003: « jusqu'à 80 % »).
MAX_ADVANCE_PERCENT = 80


class InstallmentKind(models.TextChoices):
    ADVANCE = "advance", _("Avance")
    BALANCE = "balance", _("Solde")


class InstallmentStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    REQUESTED = "requested", _("Demandé")
    PAID = "paid", _("Versé")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    SELECTED = "selected", _("Retenue")
    REJECTED = "rejected", _("Non retenue")


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("À traiter")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
