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


# --- Organization pickers ----------------------------------------------------------------------
# Nationally there are thousands of organizations: a field naming one is a text box with
# suggestions (``accounts:organization_suggest``), never a <select> of all of them.

HOMONYM_SUFFIX = " · n° "


def partner_organizations(current: Organization | None, *, module: str = "", kind: str = ""):
    """Active organizations a member of ``current`` may name in a form (a partner, a receiver, a
    landlord…): all but ``current``, those using ``module`` or of ``kind`` if given; the ones of
    ``current``'s département first, then by name."""
    from django.db.models import Case, IntegerField, Subquery, Value, When

    from ancrage.core.models import Territory

    if module:
        organizations = organizations_using(module)
    else:
        organizations = Organization.objects.filter(is_active=True)
    if kind:
        organizations = organizations.filter(kind=kind)
    if current is not None:
        organizations = organizations.exclude(pk=current.pk)
    commune_id = current.commune_id if current is not None else None
    # The département read by the query that lists the organizations, if it ever runs: a page
    # that only shows the field does not pay a query for it.
    nearby = (
        Case(
            When(
                commune__departement_id=Subquery(
                    Territory.objects.filter(pk=commune_id).values("departement_id")[:1]
                ),
                then=Value(0),
            ),
            default=Value(1),
            output_field=IntegerField(),
        )
        if commune_id
        else Value(1, output_field=IntegerField())
    )
    return (
        organizations.select_related("commune__departement")
        .annotate(elsewhere=nearby)
        .order_by("elsewhere", "name", "pk")
    )


def organization_label(organization: Organization) -> str:
    """« Toit Partagé Rhône — Association, Lyon (69) »: enough to tell most homonyms apart."""
    where = ""
    commune = organization.commune
    if commune is not None:
        departement = commune.departement
        where = f", {commune.name}" + (f" ({departement.code})" if departement else "")
    return f"{organization.name} — {organization.get_kind_display()}{where}"


def organization_labels(organizations) -> list[str]:
    """Labels of a suggestion list; two organizations with the same label get their number."""
    organizations = list(organizations)
    labels = [organization_label(o) for o in organizations]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        label + (f"{HOMONYM_SUFFIX}{o.pk}" if seen[label] > 1 else "")
        for o, label in zip(organizations, labels, strict=True)
    ]


def search_organizations(organizations, text: str):
    """The organizations of a queryset whose name holds every word of ``text`` (accents and case
    ignored on every database: the names are few, one per organization), in its order."""
    words = fold(text).split()
    if not words:
        return organizations.none()
    names = organizations.values_list("pk", "name")
    return organizations.filter(
        pk__in=[pk for pk, name in names if all(w in fold(name) for w in words)]
    )


def resolve_organization(organizations, text: str) -> list:
    """The organizations of a queryset a typed text may designate: by number (a homonym's
    suggestion, « · n° 12 »), by its full suggestion label, by its exact name, else by the words
    of its name. One element: found; none or several: the person must say more."""
    text = (text or "").strip()
    if not text:
        return []
    if HOMONYM_SUFFIX in text:
        number = text.rsplit(HOMONYM_SUFFIX, 1)[1].strip()
        return list(organizations.filter(pk=int(number))) if number.isdigit() else []
    name = text.split(" — ", 1)[0].strip()
    candidates = list(search_organizations(organizations, name))
    if len(candidates) > 1:
        labelled = [o for o in candidates if organization_label(o) == text]
        named = [o for o in candidates if fold(o.name) == fold(name)]
        return labelled or named or candidates
    return candidates
