from __future__ import annotations

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent


def consultations_of(instance, limit: int = 50):
    """Who consulted this record, most recent first."""
    return list(
        AuditEvent.objects.for_object(instance)
        .filter(action=AuditAction.VIEW)
        .select_related("actor")[:limit]
    )


def history_of(instance, limit: int = 50):
    """Creations, changes and deletions of this record, most recent first."""
    return list(
        AuditEvent.objects.for_object(instance)
        .exclude(action=AuditAction.VIEW)
        .select_related("actor")[:limit]
    )
