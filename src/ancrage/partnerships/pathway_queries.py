"""Reads of the citizen pathway: templates, an apprentice's progress, the sessions offered on the
weeks they are present, and what a school or partner sees of the apprentices opened to it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ancrage.accounts.permissions import get_for_user, require
from ancrage.activities import queries as activities_queries
from ancrage.partnerships.models import Pathway, PathwayModule, PathwayOpening, PathwayTemplate
from ancrage.partnerships.services.pathways import present_days

# How far ahead the pathway page offers sessions.
OFFER_DAYS = 183


def templates_visible_to(user) -> QuerySet[PathwayTemplate]:
    return PathwayTemplate.objects.visible_to(user).select_related(
        "program", "residence", "organization"
    )


def get_template_for_user(user, template_id, *, write: bool = False) -> PathwayTemplate:
    return get_for_user(
        templates_visible_to(user),
        template_id,
        user,
        action="partnerships.pathways" if write else None,
    )


def templates_of(organization) -> QuerySet[PathwayTemplate]:
    return PathwayTemplate.objects.filter(organization=organization).select_related(
        "program", "residence"
    )


def modules_of(template: PathwayTemplate) -> list[PathwayModule]:
    return list(template.modules.select_related("delivered_by", "activity"))


def get_module_for_user(user, module_id, *, write: bool = False) -> PathwayModule:
    modules = PathwayModule.objects.filter(
        template__in=PathwayTemplate.objects.visible_to(user)
    ).select_related("template", "delivered_by", "activity")
    module = get_for_user(modules, module_id, user)
    if write:
        require(user, "partnerships.pathways", module.template.organization_id)
    return module


def pathways_visible_to(user) -> QuerySet[Pathway]:
    return Pathway.objects.visible_to(user).select_related(
        "person", "template", "template__program", "template__residence", "organization"
    )


def get_pathway_for_user(user, pathway_id, *, write: bool = False) -> Pathway:
    return get_for_user(
        pathways_visible_to(user), pathway_id, user, action="people.change" if write else None
    )


def pathways_of(organization, *, template_id: int | None = None) -> QuerySet[Pathway]:
    rows = Pathway.objects.filter(organization=organization).select_related("person", "template")
    if template_id is not None:
        rows = rows.filter(template_id=template_id)
    return rows.order_by("person__last_name", "person__first_name", "pk")


def get_opening_for_user(user, opening_id) -> PathwayOpening:
    """An opening of the organization's pathway, for its team (to close it)."""
    openings = PathwayOpening.objects.visible_to(user).select_related("pathway", "partner")
    return get_for_user(openings, opening_id, user, action="people.change")


def openings_of(pathway: Pathway) -> list[PathwayOpening]:
    return list(pathway.openings.select_related("partner", "opened_by").order_by("-created_at"))


# --- Progress ----------------------------------------------------------------------------------


@dataclass
class ModuleProgress:
    module: PathwayModule
    attended_minutes: int = 0
    attended_on: list[datetime.datetime] = field(default_factory=list)

    @property
    def expected_minutes(self) -> int:
        return self.module.expected_hours * 60

    @property
    def done(self) -> bool:
        return self.attended_minutes >= self.expected_minutes

    @property
    def percent(self) -> int:
        return min(100, self.attended_minutes * 100 // self.expected_minutes)

    @property
    def attended_hours(self) -> str:
        hours, minutes = divmod(self.attended_minutes, 60)
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


@dataclass
class Progress:
    pathway: Pathway
    modules: list[ModuleProgress]

    @property
    def counted(self) -> list[ModuleProgress]:
        """The modules completion counts: the required ones (all when none is)."""
        required = [m for m in self.modules if m.module.is_required]
        return required or self.modules

    @property
    def completion(self) -> int:
        """Percentage of the counted modules done (rounded down: 100 means all done)."""
        counted = self.counted
        if not counted:
            return 0
        return sum(m.done for m in counted) * 100 // len(counted)

    @property
    def to_remind(self) -> list[ModuleProgress]:
        """Required modules not done yet."""
        return [m for m in self.counted if not m.done]


def progress_of(pathways: Iterable[Pathway]) -> dict[int, Progress]:
    """Each pathway's progress: three queries whatever the number of pathways."""
    pathways = list(pathways)
    template_ids = {p.template_id for p in pathways}
    modules_by_template: dict[int, list[PathwayModule]] = {}
    for module in PathwayModule.objects.filter(template_id__in=template_ids).select_related(
        "delivered_by"
    ):
        modules_by_template.setdefault(module.template_id, []).append(module)
    activity_ids = [m.activity_id for ms in modules_by_template.values() for m in ms]
    person_ids = {p.person_id for p in pathways}
    came: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in activities_queries.attendances_in(activity_ids, person_ids):
        came.setdefault((row["person_id"], row["activity_id"]), []).append(row)
    out: dict[int, Progress] = {}
    for pathway in pathways:
        rows = []
        for module in modules_by_template.get(pathway.template_id, []):
            found = came.get((pathway.person_id, module.activity_id), [])
            rows.append(
                ModuleProgress(
                    module=module,
                    attended_minutes=sum(r["minutes"] for r in found),
                    attended_on=[r["starts_at"] for r in found],
                )
            )
        out[pathway.pk] = Progress(pathway=pathway, modules=rows)
    return out


@dataclass
class Offer:
    module: PathwayModule
    registered: list[Any]  # the person's registrations to the module's sessions to come
    offered: list[Any]  # sessions to come on days they are present, not yet signed up for


def offers_for(pathway: Pathway, *, now: datetime.datetime | None = None) -> list[Offer]:
    """Per module: the sessions the apprentice is signed up for, and those they could join — on
    the days the template says they are present, within six months."""
    now = now or timezone.now()
    modules = list(pathway.template.modules.select_related("delivered_by"))
    activity_ids = [m.activity_id for m in modules]
    sessions = activities_queries.sessions_between(
        activity_ids, now, now + datetime.timedelta(days=OFFER_DAYS)
    )
    registrations = [
        r
        for r in activities_queries.registrations_in(activity_ids, [pathway.person_id])
        if r.session.starts_at >= now
    ]
    signed = {r.session_id for r in registrations}
    days = {timezone.localtime(s.starts_at).date() for s in sessions}
    present = present_days(pathway.template, pathway.person_id, days) if days else set()
    out = []
    for module in modules:
        out.append(
            Offer(
                module=module,
                registered=[
                    r for r in registrations if r.session.activity_id == module.activity_id
                ],
                offered=[
                    s
                    for s in sessions
                    if s.activity_id == module.activity_id
                    and s.pk not in signed
                    and timezone.localtime(s.starts_at).date() in present
                ],
            )
        )
    return out


# --- What a school or partner sees -------------------------------------------------------------


def partner_openings(organization) -> QuerySet[PathwayOpening]:
    """The apprentices opened to ``organization`` (open openings of pathways in progress)."""
    return (
        PathwayOpening.objects.filter(
            partner=organization,
            closed_at__isnull=True,
            pathway__closed_on__isnull=True,
            pathway__person__archived_on__isnull=True,
        )
        .select_related("pathway__person", "pathway__template", "organization")
        .order_by("pathway__person__first_name", "pathway__person__last_name", "pk")
    )


def get_partner_opening_for_user(user, opening_id) -> PathwayOpening:
    """An open opening to one of the user's organizations: 404 for anyone else, 403 when their
    role there may not note attendance."""
    from ancrage.accounts.queries import organizations_where

    openings = PathwayOpening.objects.filter(
        partner_id__in=organizations_where(user, "organization.view"),
        closed_at__isnull=True,
        pathway__closed_on__isnull=True,
        pathway__person__archived_on__isnull=True,
    ).select_related("pathway__person", "pathway__template", "partner", "organization")
    opening = get_for_user(openings, opening_id, user)
    require(user, "partnerships.attend", opening.partner_id)
    return opening


@dataclass
class PartnerSession:
    session: Any
    module: PathwayModule
    present: bool
    attendance_id: int | None


def partner_sessions(opening: PathwayOpening) -> list[PartnerSession]:
    """The sessions of the modules the partner delivers that the apprentice is signed up for,
    with whether they came."""
    modules = {
        m.activity_id: m
        for m in PathwayModule.objects.filter(
            template_id=opening.pathway.template_id, delivered_by_id=opening.partner_id
        )
    }
    person_id = opening.pathway.person_id
    registrations = activities_queries.registrations_in(list(modules), [person_id])
    came = {
        row["session_id"]: row["pk"]
        for row in activities_queries.attendances_in(list(modules), [person_id])
    }
    return [
        PartnerSession(
            session=r.session,
            module=modules[r.session.activity_id],
            present=r.session_id in came,
            attendance_id=came.get(r.session_id),
        )
        for r in registrations
    ]
