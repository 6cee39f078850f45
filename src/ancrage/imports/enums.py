from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetKind(models.TextChoices):
    """The kinds of sheets, in the order they are imported (a sheet refers to earlier ones)."""

    PERSONS = "personnes", _("Personnes")
    ACTIVITIES = "actions", _("Actions collectives")
    CONTACTS = "contacts", _("Contacts")
    ENROLLMENTS = "accompagnements", _("Accompagnements")
    EXITS = "sorties", _("Sorties")
    SESSIONS = "seances", _("Séances")
    ATTENDANCE = "presences", _("Présences")


class Mode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("Tout ou rien : rien n'est écrit si une ligne est refusée")
    VALID_ONLY = "valid", _("Lignes valides seulement : les lignes refusées sont laissées de côté")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
