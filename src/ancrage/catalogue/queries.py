"""Reads of the services catalogue, for its pages, its API and the other apps (a person's file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import get_for_user, require
from ancrage.accounts.queries import organizations_where
from ancrage.catalogue.models import (
    Delivery,
    Entitlement,
    Opening,
    Pack,
    Service,
    ServiceTag,
    TagKind,
)
from ancrage.core.models import SEARCH_MAX, Territory
from ancrage.core.text import fold


def get_service_for_user(user, service_id, *, write: bool = False) -> Service:
    """A service of the catalogue (any member reads the services offered); to change one, it must
    belong to one of the user's organizations (404 otherwise) and their role allow it (403)."""
    if write:
        services = Service.objects.of_member(user)
        return get_for_user(services, service_id, user, action="catalogue.manage")
    return get_for_user(Service.objects.visible_to(user), service_id, user)


@dataclass(frozen=True)
class Search:
    """What the search form asks: words, a commune (the services whose zone of eligibility holds
    it, its EPCI, its département or France, or whose address is there), a theme (a category of
    thématiques or one thématique), a public, an organization."""

    text: str = ""
    commune: Territory | None = None
    theme: str = ""
    public: str = ""
    organization_id: int | None = None
    include_closed: bool = False


def zone_codes(commune: Territory) -> list[str]:
    """The codes a zone of eligibility names when it holds ``commune``."""
    codes = [commune.code, "france"]
    codes += [parent.code for parent in (commune.epci, commune.departement) if parent is not None]
    return codes


def search_services(user, search: Search) -> QuerySet[Service]:
    services = Service.objects.visible_to(user).select_related("organization")
    if not search.include_closed:
        services = services.filter(is_active=True)
    if search.organization_id is not None:
        services = services.filter(organization_id=search.organization_id)
    words = fold(search.text[:SEARCH_MAX]).split()
    for word in words[:8]:
        services = services.filter(search_text__contains=word)
    if search.commune is not None:
        in_zone = ServiceTag.objects.filter(
            service=OuterRef("pk"), kind=TagKind.ZONE, code__in=zone_codes(search.commune)
        )
        services = services.filter(Q(Exists(in_zone)) | Q(insee_code=search.commune.code))
    if search.theme:
        themes = ServiceTag.objects.filter(service=OuterRef("pk"), kind=TagKind.THEME)
        if "--" in search.theme:
            themes = themes.filter(code=search.theme)
        else:
            themes = themes.filter(code__startswith=f"{search.theme}--")
        services = services.filter(Exists(themes))
    if search.public:
        publics = ServiceTag.objects.filter(
            service=OuterRef("pk"), kind=TagKind.PUBLIC, code__in=[search.public, "tous-publics"]
        )
        services = services.filter(Exists(publics))
    return services.order_by("name", "id")


def zone_names(codes: list[str]) -> list[str]:
    """A zone of eligibility as people read it: « Arras (62041) », « Pas-de-Calais (62) »,
    « France » (one query)."""
    names = {
        territory.code: territory.name
        for territory in Territory.objects.filter(code__in=[c for c in codes if c != "france"])
    }
    shown = []
    for code in codes:
        if code in ("france", "99100"):
            shown.append("France")
        elif code in names:
            shown.append(f"{names[code]} ({code})")
        else:
            shown.append(code)
    return shown


def services_of(organization: Any) -> QuerySet[Service]:
    """An organization's own services (its export, its management page)."""
    return Service.objects.filter(organization=organization).order_by("name", "id")


# --- Packs ---------------------------------------------------------------------------------


def get_pack_for_user(user, pack_id, *, write: bool = False) -> Pack:
    """A pack of one of the user's organizations (its team reads it; its coordination changes
    it); 404 for anyone else."""
    packs = Pack.objects.visible_to(user).select_related("organization", "program")
    return get_for_user(packs, pack_id, user, action="catalogue.packs" if write else None)


def packs_of(organization) -> QuerySet[Pack]:
    return (
        Pack.objects.filter(organization=organization)
        .select_related("program")
        .prefetch_related("residences")
        .annotate(n_entitlements=Count("entitlements", distinct=True))
    )


def entitlements_of(pack: Pack) -> list[Entitlement]:
    return list(pack.entitlements.select_related("service__organization"))


def get_entitlement_for_user(user, entitlement_id, *, write: bool = False) -> Entitlement:
    entitlements = Entitlement.objects.visible_to(user).select_related("pack", "service")
    return get_for_user(
        entitlements, entitlement_id, user, action="catalogue.packs" if write else None
    )


def get_opening_for_user(user, opening_id) -> Opening:
    """An opening of the manager's pack, for its team (to close it)."""
    openings = Opening.objects.visible_to(user).select_related("pack", "person", "provider")
    return get_for_user(openings, opening_id, user, action="catalogue.residents")


def openings_of(pack: Pack, person_id: int | None = None) -> QuerySet[Opening]:
    openings = Opening.objects.filter(pack=pack).select_related("provider", "opened_by")
    return openings if person_id is None else openings.filter(person_id=person_id)


def deliveries_of(pack: Pack, person_id: int, *, limit: int = 100) -> list[Delivery]:
    return list(
        Delivery.objects.filter(entitlement__pack=pack, person_id=person_id)
        .select_related("entitlement", "provider", "recorded_by")
        .order_by("-delivered_on", "-id")[:limit]
    )


def get_delivery_for_user(user, delivery_id) -> Delivery:
    """A delivery, for the manager's team or for the provider that delivered it (to undo it)."""
    deliveries = Delivery.objects.filter(
        Q(pk__in=Delivery.objects.visible_to(user).values("pk"))
        | Q(provider_id__in=organizations_where(user, "catalogue.deliver"))
    ).select_related("entitlement__pack")
    return get_for_user(deliveries, delivery_id, user)


# --- What a provider sees: the residents opened to it ----------------------------------------


def provider_openings(organization) -> QuerySet[Opening]:
    """The residents opened to ``organization`` (a provider), open ones only."""
    return (
        Opening.objects.filter(
            provider=organization, closed_at__isnull=True, person__archived_on__isnull=True
        )
        .select_related("pack", "person")
        .order_by("person__first_name", "person__last_name", "id")
    )


def get_provider_opening_for_user(user, opening_id) -> Opening:
    """An open opening to one of the user's organizations: 404 for anyone else, 403 when their
    role there does not record deliveries."""
    openings = Opening.objects.filter(
        provider_id__in=organizations_where(user, "organization.view"),
        closed_at__isnull=True,
        person__archived_on__isnull=True,
    ).select_related("pack", "person", "provider")
    opening = get_for_user(openings, opening_id, user)
    require(user, "catalogue.deliver", opening.provider_id)
    return opening


def provider_entitlements(opening: Opening) -> list[Entitlement]:
    """The entitlements of the opening's pack that the provider delivers."""
    return list(
        opening.pack.entitlements.filter(service__organization=opening.provider_id).select_related(
            "service"
        )
    )


def provider_deliveries(opening: Opening, *, limit: int = 100) -> list[Delivery]:
    """What this provider delivered to the resident (never another provider's)."""
    return list(
        Delivery.objects.filter(
            entitlement__pack=opening.pack_id,
            person_id=opening.person_id,
            provider_id=opening.provider_id,
        )
        .select_related("entitlement")
        .order_by("-delivered_on", "-id")[:limit]
    )


def providers_of(pack: Pack):
    """The organizations whose services the pack's entitlements name (other than the manager)."""
    return (
        Organization.objects.filter(services__entitlements__pack=pack)
        .exclude(pk=pack.organization_id)
        .distinct()
        .order_by("name")
    )
