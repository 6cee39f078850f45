"""The audit trail: who created, changed, deleted or consulted which record, and when.

Rows are append-only: the model refuses updates and deletes, the admin is read-only, and the
database refuses UPDATE (and, on PostgreSQL, DELETE) with a trigger (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.audit.enums import AuditAction


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One write or one consultation of a record holding personal data."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    # No database foreign key: deleting a user or an organization must not touch its history.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("auteur·rice"),
    )
    actor_label = models.CharField(
        _("auteur·rice (au moment des faits)"), max_length=300, blank=True
    )
    organization_id = models.BigIntegerField(_("structure"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("type"),
    )
    object_id = models.CharField(_("identifiant"), max_length=64)
    object_repr = models.CharField(_("objet"), max_length=300, blank=True)
    changes = models.JSONField(_("changements"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("événements d'audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_event_object_at"),
            models.Index(fields=["actor", "-at"], name="audit_event_actor_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values),
                name="%(app_label)s_%(class)s_action_valid",
                violation_error_message=_("Action d'audit inconnue."),
            ),
        ]

    def __str__(self) -> str:
        # No object_repr here: this label shows in the operators' admin, which shows no one's name.
        return (
            f"{self.get_action_display()} — {self.content_type.model} n° {self.object_id} "
            f"par {self.actor_label or 'système'}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
