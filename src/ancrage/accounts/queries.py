"""Reads that other apps may call: a user's memberships and roles, and the access helpers."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from ancrage.accounts.models import ApiToken, Membership, Organization, User
from ancrage.core.access import action_roles
from ancrage.core.text import fold

_CACHE_ATTR = "_ancrage_memberships"


def memberships_of(user) -> list[Membership]:
    """The user's active memberships, organization loaded; cached on the user object per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("organization")
            .order_by("organization__name")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_in(user, organization: Organization | int | None) -> str | None:
    """The user's role in the organization, or ``None`` if they are not an active member."""
    if organization is None:
        return None
    membership = membership_in(
        user, organization if isinstance(organization, int) else organization.pk
    )
    return membership.role if membership else None


def membership_in(user, organization_id) -> Membership | None:
    org_id = _as_int(organization_id)
    return next((m for m in memberships_of(user) if m.organization_id == org_id), None)


def get_membership_for_user(user, organization: Organization, membership_id) -> Membership:
    """A membership of ``organization``, which the caller has already checked access to."""
    try:
        return Membership.objects.select_related("user", "organization").get(
            organization=organization, pk=_as_int(membership_id)
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def get_api_token_for_user(user, token_id) -> ApiToken:
    try:
        return ApiToken.objects.visible_to(user).get(pk=_as_int(token_id))
    except ApiToken.DoesNotExist:
        raise Http404 from None


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def mfa_required(user) -> bool:
    """Those who may read an organization's files (action ``team.read``) and the operators must use a
    second factor, for the pages and the API alike, except on a demo instance."""
    if settings.DEMO or not user.is_authenticated:
        return False
    return bool(organizations_where(user, "team.read")) or user.is_staff


def has_mfa(user) -> bool:
    """Whether the user has an active TOTP device (cached on the user object for the request)."""
    # allauth's models: imported when asked, as this module is loaded while apps are set up.
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_ancrage_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._ancrage_has_mfa = cached
    return cached


def organizations_using(module: str):
    """Active organizations whose teams use ``module`` (their administration's choice, else their
    kind's usual modules): who can receive a referral, for instance."""
    from django.db.models import Q

    from ancrage.accounts.enums import DEFAULT_MODULES

    by_default = [kind for kind, modules in DEFAULT_MODULES.items() if module in modules]
    chosen = [
        pk
        for pk, modules in Organization.objects.filter(modules__isnull=False).values_list(
            "pk", "modules"
        )
        if module in (modules or [])
    ]
    return Organization.objects.filter(is_active=True).filter(
        Q(modules__isnull=True, kind__in=by_default) | Q(pk__in=chosen)
    )


def members_allowed(organization, action: str):
    """Active accounts with an active membership in ``organization`` whose role allows ``action``:
    who may follow someone, who is told of a referral received…"""
    return (
        User.objects.filter(
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__role__in=action_roles(action),
            is_active=True,
        )
        .order_by("last_name", "first_name")
        .distinct()
    )


def organizations_where(user, action: str) -> list[int]:
    """Ids of the organizations where ``user`` may take ``action`` (from the request's cache)."""
    roles = action_roles(action)
    return [m.organization_id for m in memberships_of(user) if m.role in roles]


def partner_lookup(*, excluding: Organization) -> dict[str, list[Organization]]:
    """Active organizations other than ``excluding`` by their folded name (case and accents
    aside) and by their number: how a file names its counterparts (imports). Read once."""
    lookup: dict[str, list[Organization]] = {}
    others = Organization.objects.filter(is_active=True).exclude(pk=excluding.pk)
    for organization in others.only("pk", "name", "kind"):
        lookup.setdefault(fold(organization.name), []).append(organization)
        lookup[str(organization.pk)] = [organization]
    return lookup
