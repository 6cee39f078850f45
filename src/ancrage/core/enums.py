from django.db import models
from django.utils.translation import gettext_lazy as _


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")


class ImportMode(models.TextChoices):
    """What an import does with the lines it refuses."""

    ALL_OR_NOTHING = "all", _("Tout ou rien : rien n'est écrit si une ligne est refusée")
    VALID_ONLY = "valid", _("Lignes valides seulement : les lignes refusées sont laissées de côté")


class ImportStatus(models.TextChoices):
    """Where a file sent to be imported (run in the background) stands."""

    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
