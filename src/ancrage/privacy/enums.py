from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    """The rights of the GDPR a person may exercise (articles 15 to 21)."""

    ACCESS = "access", _("Accès (copie des données)")
    PORTABILITY = "portability", _("Portabilité")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Effacement")
    RESTRICTION = "restriction", _("Limitation")
    OBJECTION = "objection", _("Opposition")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    ANSWERED = "answered", _("Répondue")
    REFUSED = "refused", _("Refusée (motivée)")


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archivée")
    ANONYMISED = "anonymised", _("Anonymisée")
