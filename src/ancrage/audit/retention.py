"""Audit events expire: consultations after ``ANCRAGE_AUDIT_VIEW_RETENTION_DAYS`` (one year by
default, CNIL's recommendation for access logs), writes after ``ANCRAGE_AUDIT_RETENTION_DAYS`` (six
years: the five-year civil limitation period of a dispute about a file, and a margin).

Only this module deletes audit rows, and only rows older than both floors; on PostgreSQL a trigger
refuses to delete anything younger than ``KEEP_AT_LEAST_DAYS`` whatever the caller.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent

KEEP_AT_LEAST_DAYS = 180  # as the PostgreSQL trigger (migration 0003)


def retention_days() -> tuple[int, int]:
    """(consultations, writes), never under the floor."""
    return (
        max(settings.ANCRAGE_AUDIT_VIEW_RETENTION_DAYS, KEEP_AT_LEAST_DAYS),
        max(settings.ANCRAGE_AUDIT_RETENTION_DAYS, KEEP_AT_LEAST_DAYS),
    )


def expired_events(now: datetime.datetime | None = None):
    now = now or timezone.now()
    views, writes = retention_days()
    return AuditEvent.objects.filter(
        Q(action=AuditAction.VIEW, at__lt=now - datetime.timedelta(days=views))
        | Q(at__lt=now - datetime.timedelta(days=writes))
    )


def purge_expired(now: datetime.datetime | None = None, *, dry_run: bool = False) -> int:
    """Delete the expired events; returns how many (would be) deleted."""
    expired = expired_events(now)
    if dry_run:
        return expired.count()
    # AuditEventQuerySet.delete() refuses: this is the one sanctioned path.
    return expired._raw_delete(expired.db)
