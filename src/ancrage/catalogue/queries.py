"""Reads of the services catalogue, for its pages, its API and the other apps (a person's file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ancrage.accounts.permissions import get_for_user
from ancrage.catalogue.models import Service, ServiceTag, TagKind
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
