"""Reads of the imports app for its pages."""

from __future__ import annotations

from ancrage.accounts.permissions import get_for_user, organizations_where
from ancrage.imports.models import ImportJob


def get_job_for_user(user, job_id) -> ImportJob:
    """A job of one of ``user``'s organizations (404 otherwise; 403 without the role to import)."""
    return get_for_user(
        ImportJob.objects.filter(organization__in=organizations_where(user, "organization.view"))
        .select_related("organization", "created_by")
        .defer("data"),
        job_id,
        user,
        action="imports.run",
    )


def recent_jobs(organization, limit: int = 20) -> list[ImportJob]:
    return list(
        ImportJob.objects.filter(organization=organization)
        .select_related("created_by")
        .defer("data", "problems")[:limit]
    )
