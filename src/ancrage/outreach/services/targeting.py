"""Targeting without a developer: rules on the imported fields give points, the score sorts the
targets into segments, and each segment is given, territory by territory, to a local actor.
Scores, segments and assignments are written set-based (one UPDATE each), only where they change."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import require
from ancrage.audit import recorder
from ancrage.core.actor import acting_as
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.outreach.enums import NUMERIC_FIELDS, ProspectStatus, RuleField, RuleOperator
from ancrage.outreach.models import Assignment, OutreachList, Prospect, ScoringRule, Segment

if TYPE_CHECKING:
    from ancrage.accounts.models import User

MAX_CONDITIONS = 6
LIMITS = {RuleField.AGE: (0, 130), RuleField.FLOOR: (-99, 99), RuleField.ARREARS: (0, 9_999_999)}


def _clean_conditions(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not conditions:
        raise ValidationError({"conditions": _("Ajoutez au moins une condition.")})
    if len(conditions) > MAX_CONDITIONS:
        raise ValidationError(
            {"conditions": _("%(max)s conditions au plus.") % {"max": MAX_CONDITIONS}}
        )
    cleaned = []
    for number, condition in enumerate(conditions, start=1):
        field = condition.get("field")
        operator = condition.get("operator") or RuleOperator.IS_TRUE
        if field not in RuleField.values:
            raise ValidationError(
                {"conditions": _("Condition %(n)s : champ inconnu.") % {"n": number}}
            )
        if field in NUMERIC_FIELDS:
            if operator not in (RuleOperator.AT_LEAST, RuleOperator.AT_MOST):
                raise ValidationError(
                    {
                        "conditions": _("Condition %(n)s : choisissez « au moins » ou « au plus ».")
                        % {"n": number}
                    }
                )
            low, high = LIMITS[field]
            try:
                number_value = Decimal(str(condition.get("value", "")).replace(",", "."))
            except InvalidOperation:
                number_value = None
            if number_value is None or not low <= number_value <= high:
                raise ValidationError(
                    {
                        "conditions": _(
                            "Condition %(n)s : donnez un nombre entre %(low)s et %(high)s."
                        )
                        % {"n": number, "low": low, "high": high}
                    }
                )
            value: Any = int(number_value) if field != RuleField.ARREARS else str(number_value)
            cleaned.append({"field": field, "operator": operator, "value": value})
        else:
            cleaned.append({"field": field, "operator": RuleOperator.IS_TRUE})
    return cleaned


def condition_q(condition: dict[str, Any], this_year: int) -> Q:
    """The targets a condition holds for (an unknown value never matches)."""
    field, operator = condition["field"], condition["operator"]
    value: Any = condition.get("value", 0)
    at_least = operator == RuleOperator.AT_LEAST
    if field == RuleField.AGE:
        # Age reached this year: born in or before (this year - value).
        born = this_year - int(value)
        return Q(birth_year__lte=born) if at_least else Q(birth_year__gte=born)
    if field == RuleField.FLOOR:
        return Q(floor__gte=int(value)) if at_least else Q(floor__lte=int(value))
    if field == RuleField.ARREARS:
        cents = int(Decimal(str(value)) * 100)
        return Q(arrears_cents__gte=cents) if at_least else Q(arrears_cents__lte=cents)
    return {
        RuleField.LIVES_ALONE: Q(lives_alone=True),
        RuleField.NO_LIFT: Q(has_lift=False),
        RuleField.UNIT_NOT_ADAPTED: Q(unit_adapted=False),
        RuleField.JOB_SEEKER: Q(job_seeker=True),
    }[field]


def rule_q(rule: ScoringRule, this_year: int) -> Q:
    q = Q()
    for condition in rule.conditions:
        q &= condition_q(condition, this_year)
    return q


def save_rule(
    *,
    outreach_list: OutreachList,
    name: str,
    conditions: list[dict[str, Any]],
    weight: int,
    actor: User,
    rule: ScoringRule | None = None,
) -> ScoringRule:
    """A new rule (or ``rule`` changed); every target's score is recomputed."""
    require(actor, "outreach.manage", outreach_list.organization_id)
    rule = rule or ScoringRule(outreach_list=outreach_list)
    rule.name = (name or "").strip()
    rule.conditions = _clean_conditions(conditions)
    rule.weight = weight
    rule.full_clean()
    with acting_as(actor), transaction.atomic():
        rule.save()
        rescore(outreach_list=outreach_list)
        apply_assignments(outreach_list=outreach_list)
    return rule


def delete_rule(*, rule: ScoringRule, actor: User) -> None:
    outreach_list = rule.outreach_list
    require(actor, "outreach.manage", outreach_list.organization_id)
    with acting_as(actor), transaction.atomic():
        rule.delete()
        rescore(outreach_list=outreach_list)
        apply_assignments(outreach_list=outreach_list)


def save_segment(
    *,
    outreach_list: OutreachList,
    name: str,
    min_score: int,
    actor: User,
    segment: Segment | None = None,
) -> Segment:
    require(actor, "outreach.manage", outreach_list.organization_id)
    segment = segment or Segment(outreach_list=outreach_list)
    segment.name = (name or "").strip()
    segment.min_score = min_score
    segment.full_clean()
    with acting_as(actor), transaction.atomic():
        segment.save()
        rescore(outreach_list=outreach_list)
        apply_assignments(outreach_list=outreach_list)
    return segment


def delete_segment(*, segment: Segment, actor: User) -> None:
    outreach_list = segment.outreach_list
    require(actor, "outreach.manage", outreach_list.organization_id)
    with acting_as(actor), transaction.atomic():
        segment.delete()
        rescore(outreach_list=outreach_list)
        apply_assignments(outreach_list=outreach_list)


class IsDistinctFrom(Func):
    """``a IS DISTINCT FROM b``: unequal, a NULL on one side only counting as a difference."""

    arg_joiner = " IS DISTINCT FROM "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, arg_joiner=" IS NOT ", **extra_context)


def _score_expression(rules: list[ScoringRule], this_year: int) -> Combinable:
    total: Combinable = Value(0)
    for rule in rules:
        total = total + Case(
            When(rule_q(rule, this_year), then=Value(rule.weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return total


def rescore(
    *,
    outreach_list: OutreachList,
    only_active_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> int:
    """Each target's score (the points of the rules it meets) and segment (the highest whose
    threshold it reaches), in one set-based update that skips the targets already right.
    ``only_active_on``: only the targets a file wrote that day. Returns the targets changed."""
    this_year = (today or timezone.localdate()).year
    rules = list(outreach_list.rules.all())
    segments = list(outreach_list.segments.order_by("-min_score"))
    targets = Prospect.objects.filter(outreach_list=outreach_list)
    if only_active_on is not None:
        targets = targets.filter(active_on=only_active_on)
    score = _score_expression(rules, this_year)
    # The segment from the same expression: one pass over the targets writes both, and only
    # the targets whose score or segment changes.
    segment = Case(
        *[
            When(GreaterThanOrEqual(score, Value(s.min_score)), then=Value(s.pk))
            for s in segments  # the highest threshold first
        ],
        default=Value(None),
        output_field=IntegerField(),
    )
    with recorder.listed("outreach.scoring"):
        changed = targets.filter(
            Q(IsDistinctFrom(F("score"), score)) | Q(IsDistinctFrom(F("segment_id"), segment))
        ).update(score=score, segment_id=segment)
    recorder.record_bulk("outreach.scoring", Prospect, changed, on=outreach_list)
    return changed


def _specificity(assignment: Assignment) -> int:
    if assignment.territory is None:
        return 0
    order: dict[str, int] = {
        TerritoryKind.REGION: 1,
        TerritoryKind.DEPARTEMENT: 2,
        TerritoryKind.EPCI: 3,
        TerritoryKind.COMMUNE: 4,
    }
    return order[assignment.territory.kind]


def _in_territory(territory: Territory | None) -> Q:
    if territory is None:
        return Q()
    if territory.kind == TerritoryKind.COMMUNE:
        return Q(commune_id=territory.pk)
    fields: dict[str, str] = {
        TerritoryKind.EPCI: "epci",
        TerritoryKind.DEPARTEMENT: "departement",
        TerritoryKind.REGION: "region",
    }
    field = fields[territory.kind]
    return Q(commune_id__in=Territory.objects.filter(**{field: territory}).values("pk"))


def apply_assignments(*, outreach_list: OutreachList) -> int:
    """Give each target still to contact to the local actor of its segment and territory (the
    most precise territory wins); targets already being worked on stay where they are."""
    assignments = sorted(
        outreach_list.assignments.select_related("territory"),
        key=_specificity,
        reverse=True,
    )
    waiting = Prospect.objects.filter(outreach_list=outreach_list, status=ProspectStatus.TO_CONTACT)
    changed = 0
    covered = Q(pk__in=[])
    with recorder.listed("outreach.assignment"):
        for assignment in assignments:  # the most precise first
            matches = Q(segment_id=assignment.segment_id) & _in_territory(assignment.territory)
            changed += (
                waiting.filter(matches)
                .exclude(covered)
                .exclude(assignee_id=assignment.assignee_id)
                .update(assignee_id=assignment.assignee_id)
            )
            covered |= matches
        changed += waiting.exclude(covered).exclude(assignee=None).update(assignee=None)
    recorder.record_bulk("outreach.assignment", Prospect, changed, on=outreach_list)
    return changed


def add_assignment(
    *,
    outreach_list: OutreachList,
    segment: Segment,
    assignee: Organization,
    actor: User,
    territory: Territory | None = None,
) -> Assignment:
    """Give a segment's targets in ``territory`` (none: everywhere) to ``assignee``."""
    require(actor, "outreach.manage", outreach_list.organization_id)
    if segment.outreach_list_id != outreach_list.pk:
        raise ValidationError({"segment": _("Ce segment n'est pas de cette liste.")})
    if not assignee.is_active:
        raise ValidationError({"assignee": _("Cette structure n'est plus active.")})
    assignment = Assignment(
        outreach_list=outreach_list, segment=segment, territory=territory, assignee=assignee
    )
    assignment.full_clean()
    with acting_as(actor), transaction.atomic():
        assignment.save()
        apply_assignments(outreach_list=outreach_list)
    return assignment


def remove_assignment(*, assignment: Assignment, actor: User) -> None:
    outreach_list = assignment.outreach_list
    require(actor, "outreach.manage", outreach_list.organization_id)
    with acting_as(actor), transaction.atomic():
        assignment.delete()
        apply_assignments(outreach_list=outreach_list)
