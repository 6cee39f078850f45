"""Reads on support records for views and other apps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.models import User
from ancrage.accounts.queries import role_in
from ancrage.support.models import Enrollment


def get_enrollment_for_user(user, enrollment_id, *, write: bool = False) -> Enrollment:
    try:
        enrollment = (
            Enrollment.objects.visible_to(user)
            .select_related("person", "referent", "organization")
            .get(pk=int(enrollment_id))
        )
    except (Enrollment.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if write and role_in(user, enrollment.organization_id) not in WRITE_ROLES:
        raise PermissionDenied
    return enrollment


def possible_referents(organization):
    """Team members who can follow someone (admin, coordination, counsellors)."""
    return (
        User.objects.filter(
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__role__in=WRITE_ROLES,
            is_active=True,
        )
        .order_by("last_name", "first_name")
        .distinct()
    )


def active_desks(organization):
    """The organization's decentralised desks still in use, for pickers in other apps."""
    from ancrage.support.models import Desk

    return Desk.objects.filter(organization=organization, is_active=True).order_by("name")
