from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.enums import ImportMode, ImportStatus


class SheetKind(models.TextChoices):
    """The kinds of sheets, in the order they are imported (a sheet refers to earlier ones)."""

    PERSONS = "personnes", _("Personnes")
    ACTIVITIES = "actions", _("Actions collectives")
    CONTACTS = "contacts", _("Contacts")
    ENROLLMENTS = "accompagnements", _("Accompagnements")
    EXITS = "sorties", _("Sorties")
    SESSIONS = "seances", _("Séances")
    ATTENDANCE = "presences", _("Présences")


# Shared with the outreach app's imports of landlords' files.
Mode = ImportMode
JobStatus = ImportStatus
