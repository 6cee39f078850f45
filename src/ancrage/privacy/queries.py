"""Reads on the RGPD lifecycle for views, the API and other apps."""

from __future__ import annotations

from django.utils import timezone

from ancrage.accounts.permissions import get_for_user
from ancrage.people.models import Person
from ancrage.privacy.enums import RequestStatus
from ancrage.privacy.models import (
    ANONYMISE_AFTER_MONTHS,
    ARCHIVE_AFTER_MONTHS,
    RetentionPolicy,
    RightsRequest,
)

ARCHIVE_SHOWN = 200


def get_request_for_user(user, request_id) -> RightsRequest:
    return get_for_user(
        RightsRequest.objects.visible_to(user).select_related("person", "organization"),
        request_id,
        user,
        action="privacy.manage",
    )


def policy_of(organization) -> RetentionPolicy:
    """The organization's durations (the defaults, unsaved, when it set none)."""
    return RetentionPolicy.objects.filter(organization=organization).first() or RetentionPolicy(
        organization=organization,
        archive_after_months=ARCHIVE_AFTER_MONTHS[2],
        anonymise_after_months=ANONYMISE_AFTER_MONTHS[2],
    )


def open_requests(organization) -> list[RightsRequest]:
    return list(
        RightsRequest.objects.filter(organization=organization, status=RequestStatus.OPEN)
        .select_related("person", "received_by")
        .order_by("due_on", "pk")
    )


def closed_requests(organization, limit: int = 50) -> list[RightsRequest]:
    return list(
        RightsRequest.objects.filter(organization=organization)
        .exclude(status=RequestStatus.OPEN)
        .select_related("person", "answered_by")
        .order_by("-answered_on", "-pk")[:limit]
    )


def late_request_count(organization) -> int:
    return RightsRequest.objects.filter(
        organization=organization, status=RequestStatus.OPEN, due_on__lt=timezone.localdate()
    ).count()


def archived_people(organization):
    """The archived files of the organization (most recently archived first), and their number."""
    archived = Person.objects.filter(
        organization=organization, archived_on__isnull=False, anonymised_on__isnull=True
    )
    return list(
        archived.order_by("-archived_on", "last_name", "pk")[:ARCHIVE_SHOWN]
    ), archived.count()


def requests_of(person: Person) -> list[RightsRequest]:
    return list(RightsRequest.objects.filter(person=person).order_by("-received_on", "-pk"))
