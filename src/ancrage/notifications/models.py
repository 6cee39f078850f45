"""What a member is told: in the application (the bell) and, by their choice, by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.notifications.enums import EmailMode, NotificationKind


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing to tell one member. The message names a person by first name at most; the link
    leads to a page that checks access again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("destinataire"),
    )
    organization = models.ForeignKey(
        "accounts.Organization", models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    kind = models.CharField(_("type"), max_length=24, choices=NotificationKind.choices)
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("lien"), max_length=300)
    # What the notification is about, so that a daily scan does not tell the same thing twice.
    key = models.CharField(_("clé"), max_length=100)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message=_("Cette notification a déjà été envoyée."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de notification inconnu."),
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.recipient}"


class Preference(models.Model):
    """How a member wants to be told by e-mail (no row: the daily summary)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("compte"),
    )
    email_mode = models.CharField(
        _("e-mails"), max_length=10, choices=EmailMode.choices, default=EmailMode.DAILY
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_mode__in=EmailMode.values),
                name="%(app_label)s_%(class)s_mode_valid",
                violation_error_message=_("Mode d'envoi inconnu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} : {self.get_email_mode_display()}"
