from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent


def consultations_of(instance, limit: int = 50):
    """Who consulted this record, most recent first."""
    return list(
        AuditEvent.objects.for_object(instance)
        .filter(action=AuditAction.VIEW)
        .select_related("actor")[:limit]
    )


def history_of(*instances, limit: int = 50):
    """Creations, changes and deletions of these records (a person and their membership, say),
    most recent first."""
    condition = Q()
    for instance in instances:
        condition |= Q(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )
    return list(
        AuditEvent.objects.filter(condition)
        .exclude(action=AuditAction.VIEW)
        .select_related("actor", "content_type")[:limit]
    )


def changed_field_labels(event: AuditEvent) -> list[str]:
    """The French labels of the fields an event changed (secrets by name, never by value)."""
    model = event.content_type.model_class()
    labels = {}
    if model is not None:
        labels = {field.attname: str(field.verbose_name) for field in model._meta.concrete_fields}
    return [labels.get(attname, attname) for attname in event.changes]
