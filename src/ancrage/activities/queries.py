"""Reads on collective actions for views and other apps."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.permissions import get_for_user
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.core.timeline import TimelineEntry, at_day
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


def sessions_attended_by(person):
    """The sessions a person attended, most recent first (for the person's timeline)."""
    return (
        Attendance.objects.filter(person=person)
        .select_related("session__activity", "session__desk")
        .order_by("-session__starts_at")
    )


def timeline_entries(person, *, limit: int) -> list[TimelineEntry]:
    """The collective sessions the person attended, for ``ancrage.casefile``'s timeline."""
    entries = []
    for attendance in sessions_attended_by(person)[:limit]:
        session = attendance.session
        entries.append(
            TimelineEntry(
                session.starts_at,
                _("Action collective"),
                f"{session.activity.title} ({session.activity.get_kind_display().lower()})",
                reverse("activities:session_detail", args=[session.pk]),
            )
        )
    return entries


def people_active_since(day: datetime.date) -> QuerySet:
    """Ids of the people who attended a session on or after ``day``."""
    return (
        Attendance.objects.filter(session__starts_at__gte=at_day(day))
        .filter(person_id__isnull=False)
        .values("person_id")
    )
