"""Reads of the outreach app: the access helpers of its pages and API, and the key-paginated
lists of targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import get_for_user, organizations_where, require
from ancrage.core.listing import KeyRows, key_rows
from ancrage.core.secrecy import complete_withholding
from ancrage.outreach.enums import ProspectStatus
from ancrage.outreach.models import (
    Assignment,
    Campaign,
    OutreachList,
    Prospect,
    ProspectImport,
    ScoringRule,
    Segment,
)
from ancrage.support.enums import Pathway
from ancrage.support.queries import pathway_outcomes


def lists_for(user) -> QuerySet[OutreachList]:
    return OutreachList.objects.visible_to(user).select_related("organization", "program")


def get_list_for_user(user, list_id: Any, *, action: str | None = None) -> OutreachList:
    """A list the user sees (its operator's team, or a team it assigned targets to): 404
    otherwise; 403 when ``action`` is not allowed in the operator's organization."""
    return get_for_user(lists_for(user), list_id, user, action=action)


def get_managed_list(user, list_id: Any) -> OutreachList:
    """A list the user's operator team runs: 404 for everyone else (an assignee included),
    403 for a member of the operator without the role."""
    return get_for_user(
        OutreachList.objects.filter(
            organization__in=organizations_where(user, "team.read")
        ).select_related("organization", "program"),
        list_id,
        user,
        action="outreach.manage",
    )


def prospects_for(user) -> QuerySet[Prospect]:
    return Prospect.objects.visible_to(user)


def get_prospect_for_user(user, prospect_id: Any) -> Prospect:
    """A target of the user's operator, or assigned to the user's organization (404 otherwise,
    a local actor outside the assigned territory included)."""
    return get_for_user(
        prospects_for(user).select_related(
            "outreach_list__organization",
            "outreach_list__program",
            "landlord",
            "commune",
            "segment",
            "assignee",
            "person",
        ),
        prospect_id,
        user,
    )


def _of_lists_read_by(model, user) -> QuerySet:
    """Rows of the lists whose operator's files the user reads (its team)."""
    return model.objects.filter(
        outreach_list__organization__in=organizations_where(user, "team.read")
    )


def _managed(queryset: QuerySet, pk: Any, user) -> Any:
    """A row of a list the user's team runs: 404 for anyone else, 403 without the role."""
    row = get_for_user(queryset, pk, user)
    require(user, "outreach.manage", row.outreach_list.organization_id)
    return row


def get_import_for_user(user, job_id: Any) -> ProspectImport:
    return _managed(
        _of_lists_read_by(ProspectImport, user).select_related(
            "outreach_list", "landlord", "created_by"
        ),
        job_id,
        user,
    )


def get_rule_for_user(user, rule_id: Any) -> ScoringRule:
    return _managed(
        _of_lists_read_by(ScoringRule, user).select_related("outreach_list"), rule_id, user
    )


def get_segment_for_user(user, segment_id: Any) -> Segment:
    return _managed(
        _of_lists_read_by(Segment, user).select_related("outreach_list"), segment_id, user
    )


def get_assignment_for_user(user, assignment_id: Any) -> Assignment:
    return _managed(
        _of_lists_read_by(Assignment, user).select_related("outreach_list"), assignment_id, user
    )


def get_campaign_for_user(user, campaign_id: Any) -> Campaign:
    return _managed(
        _of_lists_read_by(Campaign, user).select_related(
            "outreach_list__organization", "outreach_list__program", "segment"
        ),
        campaign_id,
        user,
    )


def targets_page(targets: QuerySet[Prospect], *, after: str | None, size: int) -> KeyRows:
    """One page of targets by score (highest first), after the key of the last one of the previous
    page (``core.listing.key_rows``): the same cost on page 1 and page 100 (the indexes
    ``outreach_prospect_by_score`` and ``outreach_prospect_assigned`` serve it)."""
    return key_rows(targets.order_by("-score", "id"), after=after, size=size)


@dataclass
class LandlordFigures:
    """One list's figures for the landlord whose tenants it targets: counts only, each below the
    small-cell threshold withheld (« moins de 11 »)."""

    outreach_list: OutreachList
    by_status: list[tuple[str, str]]
    total: str
    outcomes: list[tuple[str, str]]


def _cells(counts: list[int], threshold: int) -> list[str]:
    """One breakdown's counts as shown: 1 to ``threshold - 1`` withheld, and with a single such
    cell the smallest other one too (``core.secrecy``)."""
    hidden = complete_withholding([0 < n < threshold for n in counts], counts)
    return [f"moins de {threshold}" if h else str(n) for n, h in zip(counts, hidden, strict=True)]


def landlord_figures(landlord: Organization) -> list[LandlordFigures]:
    """What became of the tenants ``landlord`` gave in its files, per outreach list: how many
    were reached by status, and of those who were followed, the pathways opened, the homes adapted
    and the exits — counted, never named, never the counsellors' notes."""
    threshold = settings.ANCRAGE_SMALL_CELL_THRESHOLD
    tenants = Prospect.objects.filter(landlord=landlord)
    counts: dict[int, dict[str, int]] = {}
    for list_id, status, n in (
        tenants.values_list("outreach_list_id", "status").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(list_id, {})[status] = n
    people: dict[int, list[int]] = {}
    for list_id, person_id in tenants.filter(person__isnull=False).values_list(
        "outreach_list_id", "person_id"
    ):
        people.setdefault(list_id, []).append(person_id)
    lists = OutreachList.objects.filter(pk__in=counts).select_related("organization", "program")
    found = pathway_outcomes({list_id: people.get(list_id, []) for list_id in counts})
    figures = []
    for outreach_list in lists.order_by("name"):
        by_status = counts[outreach_list.pk]
        outcomes = found[outreach_list.pk]
        statuses = [by_status.get(value, 0) for value, _label in ProspectStatus.choices]
        pathways = [outcomes.pathways.get(value, 0) for value, _label in Pathway.choices]
        others = [outcomes.adapted_homes, outcomes.employment_exits, outcomes.kept_home_exits]
        figures.append(
            LandlordFigures(
                outreach_list=outreach_list,
                by_status=list(
                    zip(
                        (str(label) for _value, label in ProspectStatus.choices),
                        _cells(statuses, threshold),
                        strict=True,
                    )
                ),
                total=_cells([sum(statuses)], threshold)[0],
                outcomes=list(
                    zip(
                        [
                            *(f"Parcours « {label} » ouverts" for _value, label in Pathway.choices),
                            "Logements adaptés",
                            "Sorties vers l'emploi ou la formation",
                            "Sorties avec maintien dans le logement",
                        ],
                        # The pathways share a total (the tenants followed): one breakdown.
                        [
                            *_cells(pathways, threshold),
                            *(_cells([n], threshold)[0] for n in others),
                        ],
                        strict=True,
                    )
                ),
            )
        )
    return figures
