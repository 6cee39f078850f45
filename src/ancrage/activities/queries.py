"""Reads on collective actions for views and other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.permissions import get_for_user
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.core.labels import enum_labels
from ancrage.core.timeline import TimelineEntry, at_day
from ancrage.housing.queries import residences_of, stays, survey_results, surveys_of_year
from ancrage.people.queries import people_visible_to


def _get(queryset, pk, user, write):
    return get_for_user(queryset, pk, user, action="activities.manage" if write else None)


def get_activity_for_user(user, activity_id, *, write: bool = False) -> Activity:
    return _get(Activity.objects.visible_to(user), activity_id, user, write)


def get_session_for_user(user, session_id, *, write: bool = False) -> Session:
    sessions = Session.objects.visible_to(user).select_related("activity", "desk")
    return _get(sessions, session_id, user, write)


def regulars_of(session: Session, user, *, limit: int = 200) -> list:
    """People of the session's organization who came to another session of the same collective
    action and are not yet noted present at this one: the boxes to tick on the session's page."""
    came = Attendance.objects.filter(session__activity_id=session.activity_id).exclude(
        session=session
    )
    already = Attendance.objects.filter(session=session)
    return list(
        people_visible_to(user)
        .filter(organization_id=session.organization_id, pk__in=came.values("person_id"))
        .exclude(pk__in=already.values("person_id"))
        .order_by("last_name", "first_name", "pk")[:limit]
    )


def with_participants(sessions):
    """Sessions annotated with ``named_count`` (people recorded by name)."""
    return sessions.annotate(named_count=Count("attendances"))


def _per_activity(queryset, aggregate):
    """A correlated subquery: one figure per activity, 0 when there is nothing to count."""
    rows = queryset.filter(activity_id=OuterRef("pk")).values("activity_id").annotate(v=aggregate)
    return Coalesce(Subquery(rows.values("v")), 0)


def activities_with_figures(activities):
    """Activities with their number of sessions, named participants and head counts."""
    sessions = Session.objects.all()
    return activities.annotate(
        session_count=_per_activity(sessions, Count("id")),
        anonymous_total=_per_activity(sessions, Sum("anonymous_count")),
        named_count=_per_activity(
            Attendance.objects.annotate(activity_id=F("session__activity_id")), Count("id")
        ),
        next_session=Subquery(
            sessions.filter(activity_id=OuterRef("pk"), starts_at__gte=Now())
            .order_by("starts_at")
            .values("starts_at")[:1]
        ),
    )


def timeline_entries(person, *, limit: int) -> list[TimelineEntry]:
    """The collective sessions the person attended, most recent first, for ``ancrage.casefile``'s
    timeline (the columns it shows only)."""
    kinds = enum_labels(ActivityKind)
    rows = (
        Attendance.objects.filter(person=person)
        .order_by("-session__starts_at")
        .values_list(
            "session_id",
            "session__starts_at",
            "session__activity__title",
            "session__activity__kind",
        )[:limit]
    )
    return [
        TimelineEntry(
            starts_at,
            _("Action collective"),
            f"{title} ({kinds.get(kind, kind).lower()})",
            reverse("activities:session_detail", args=[session_id]),
        )
        for session_id, starts_at, title, kind in rows
    ]


def people_active_since(day: datetime.date) -> QuerySet:
    """Ids of the people who attended a session on or after ``day``."""
    return (
        Attendance.objects.filter(session__starts_at__gte=at_day(day))
        .filter(person_id__isnull=False)
        .values("person_id")
    )


@dataclass
class ResidenceLife:
    """A residence's year: its residents, those who took part in its activities, its sessions,
    and its survey's aggregated results. ``withheld`` below the small-cell threshold (for a
    reader outside the team): the counts are then shown as « moins de N »."""

    residence: Any
    residents: int
    participants: int
    sessions: int
    survey: Any  # housing.queries.SurveyResults, or None
    mask_below: int | None = None

    @property
    def withheld(self) -> bool:
        return self.mask_below is not None and 0 < self.participants < self.mask_below

    def _shown(self, value: int) -> str:
        if self.mask_below is not None and 0 < value < self.mask_below:
            return f"moins de {self.mask_below}"
        return str(value)

    @property
    def shown_residents(self) -> str:
        return self._shown(self.residents)

    @property
    def shown_participants(self) -> str:
        return self._shown(self.participants)

    @property
    def rate(self) -> float | None:
        if self.withheld or not self.residents:
            return None
        return 100 * self.participants / self.residents

    @property
    def shown_rate(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate:.0f} %".replace(".", ",")

    @property
    def survey_lines(self) -> list[str]:
        """The survey's results as the report's page, PDF and XLSX print them."""
        survey = self.survey
        if survey is None:
            return []
        plural = "s" if survey.responses > 1 else ""
        head = f"Enquête de satisfaction : {survey.responses} réponse{plural}"
        if survey.withheld:
            return [f"{head} ; moins de {survey.threshold} réponses : aucun détail."]
        lines = [f"{head}."]
        for result in survey.questions:
            if not result.answered:
                lines.append(f"{result.question.text} — sans réponse")
            elif result.mean is not None:
                mean = f"{result.mean:.1f}".replace(".", ",")
                lines.append(
                    f"{result.question.text} — moyenne {mean} sur 4 ({result.answered} réponses)"
                )
            else:
                lines.append(
                    f"{result.question.text} — oui : {result.shares[0]:.0f} % "
                    f"({result.answered} réponses)"
                )
        return lines


def residence_life(
    organization, year: int, *, mask_below: int | None = None
) -> list[ResidenceLife]:
    """For each residence of ``organization`` with activities of its own or a survey that year:
    residents over the year (up to today for the year under way), residents who came to at least
    one session of its activities, sessions held, and the survey's aggregates (none below 11
    answers)."""
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year + 1, 1, 1), timezone.localdate() + datetime.timedelta(days=1))
    surveys = {s.residence_id: s for s in surveys_of_year(organization, year)}
    with_activities = set(
        Activity.objects.filter(organization=organization, residence__isnull=False).values_list(
            "residence_id", flat=True
        )
    )
    found = []
    for residence in residences_of(organization):
        if residence.pk not in with_activities and residence.pk not in surveys:
            continue
        residents = set(stays([residence.pk], start, end))
        sessions = Session.objects.filter(
            activity__residence=residence,
            starts_at__gte=_aware(start),
            starts_at__lt=_aware(end),
        )
        came = set(
            Attendance.objects.filter(session__in=sessions, person_id__in=residents).values_list(
                "person_id", flat=True
            )
        )
        survey = surveys.get(residence.pk)
        found.append(
            ResidenceLife(
                residence=residence,
                residents=len(residents),
                participants=len(came),
                sessions=sessions.count(),
                survey=survey_results(survey) if survey is not None else None,
                mask_below=mask_below,
            )
        )
    return found


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def attendances_in(activity_ids, person_ids) -> list[dict[str, Any]]:
    """Who came to the sessions of ``activities``: person, activity, session, day, minutes."""
    rows = (
        Attendance.objects.filter(session__activity_id__in=activity_ids, person_id__in=person_ids)
        .order_by("session__starts_at", "pk")
        .values(
            "pk",
            "person_id",
            "session_id",
            activity_id=F("session__activity_id"),
            starts_at=F("session__starts_at"),
            minutes=F("session__duration_minutes"),
        )
    )
    return [dict(row) for row in rows]


def registrations_in(activity_ids, person_ids, *, pk: int | None = None) -> list:
    """The registrations of ``people`` to sessions of ``activities``, with their session (only
    the one numbered ``pk`` if given)."""
    from ancrage.activities.models import Registration

    registrations = Registration.objects.filter(
        session__activity_id__in=activity_ids, person_id__in=person_ids
    )
    if pk is not None:
        registrations = registrations.filter(pk=pk)
    return list(registrations.select_related("session").order_by("session__starts_at", "pk"))


def sessions_between(
    activity_ids, start: datetime.datetime, end: datetime.datetime, *, pk: int | None = None
) -> list:
    """The sessions of ``activities`` starting in [start, end), soonest first (only the one
    numbered ``pk`` if given)."""
    sessions = Session.objects.filter(
        activity_id__in=activity_ids, starts_at__gte=start, starts_at__lt=end
    )
    if pk is not None:
        sessions = sessions.filter(pk=pk)
    return list(sessions.order_by("starts_at", "pk"))
