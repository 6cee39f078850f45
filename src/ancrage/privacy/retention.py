"""The retention task: files without activity are archived, then anonymised; expired audit
events, login-failure records, sessions and the API's idempotency keys are purged.

Run daily by ``ancrage worker``; ``ancrage retention --dry-run`` shows what it would do. A file's
last activity is the latest of its creation, its last change (a restored file counts from the
day it was restored) and every dated record about the person in the other apps (their
``people_active_since``); an open enrollment, an active booking or lease, a pending application
keep it active whatever their dates.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ancrage.activities import queries as activities_queries
from ancrage.audit import retention as audit_retention
from ancrage.catalogue.services.privacy import anonymise_catalogue_of
from ancrage.core import idempotency
from ancrage.core.dates import add_months
from ancrage.core.timeline import at_day
from ancrage.housing import queries as housing_queries
from ancrage.housing.services.privacy import anonymise_housing_of
from ancrage.indicators.signals import refresh_paused
from ancrage.partnerships.services import anonymise_partnerships_of
from ancrage.people.models import Person
from ancrage.people.services import anonymise_person, archive_person
from ancrage.privacy.models import ANONYMISE_AFTER_MONTHS, ARCHIVE_AFTER_MONTHS, RetentionPolicy
from ancrage.privacy.queries import policy_of
from ancrage.support import queries as support_queries
from ancrage.support.services.privacy import anonymise_support_of

logger = logging.getLogger(__name__)
LOGIN_RECORDS_DAYS = 30  # failed logins and their lockouts (the lockout itself lasts one hour)


@dataclass
class Plan:
    today: datetime.date
    archive: list[int] = field(default_factory=list)
    anonymise: list[int] = field(default_factory=list)
    audit_events: int = 0
    login_records: int = 0
    sessions: int = 0
    idempotency_keys: int = 0


Group = tuple[int, int, list[int] | None]


def _durations() -> tuple[list[Group], list[int]]:
    """(archive months, anonymise months, organization ids) per distinct policy, ``None`` standing
    for every organization without a policy of its own (the defaults); and the ids with one."""
    groups: dict[tuple[int, int], list[int]] = {}
    for organization_id, archive, anonymise in RetentionPolicy.objects.values_list(
        "organization_id", "archive_after_months", "anonymise_after_months"
    ):
        groups.setdefault((archive, anonymise), []).append(organization_id)
    custom = [pk for ids in groups.values() for pk in ids]
    result: list[Group] = [
        (archive, anonymise, ids) for (archive, anonymise), ids in groups.items()
    ]
    result.append((ARCHIVE_AFTER_MONTHS[2], ANONYMISE_AFTER_MONTHS[2], None))
    return result, custom


def inactive_since(people: QuerySet[Person], day: datetime.date) -> QuerySet[Person]:
    """The people of ``people`` with no activity on or after ``day``."""
    since = at_day(day)
    people = people.filter(created_at__lt=since, updated_at__lt=since)
    for active in [
        *support_queries.people_active_since(day),
        *housing_queries.people_active_since(day),
        activities_queries.people_active_since(day),
    ]:
        people = people.exclude(pk__in=active)
    return people


def _due(today: datetime.date, *, anonymise: bool) -> list[int]:
    groups, custom = _durations()
    ids: list[int] = []
    for archive_months, anonymise_months, organizations in groups:
        months = anonymise_months if anonymise else archive_months
        people = Person.objects.filter(anonymised_on__isnull=True)
        if not anonymise:
            people = people.filter(archived_on__isnull=True)
        if organizations is None:
            people = people.exclude(organization_id__in=custom)
        else:
            people = people.filter(organization_id__in=organizations)
        ids += inactive_since(people, add_months(today, -months)).values_list("pk", flat=True)
    return sorted(ids)


def plan(today: datetime.date | None = None) -> Plan:
    today = today or timezone.localdate()
    anonymise = _due(today, anonymise=True)
    archive = [pk for pk in _due(today, anonymise=False) if pk not in set(anonymise)]
    now = at_day(today)
    return Plan(
        today=today,
        archive=archive,
        anonymise=anonymise,
        audit_events=audit_retention.purge_expired(now, dry_run=True),
        login_records=_login_records(today).count(),
        sessions=Session.objects.filter(expire_date__lt=timezone.now()).count(),
        idempotency_keys=idempotency.expired().count(),
    )


def _login_records(today: datetime.date):
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        attempt_time__lt=at_day(today - datetime.timedelta(days=LOGIN_RECORDS_DAYS))
    )


def _purge_login_records(today: datetime.date) -> int:
    from axes.models import AccessFailureLog, AccessLog

    cutoff = at_day(today - datetime.timedelta(days=LOGIN_RECORDS_DAYS))
    count = _login_records(today).delete()[0]
    AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return count


def anonymise(person: Person, *, today: datetime.date, actor=None) -> Person:
    """Every app's part, in one transaction; the figures already computed stay as they are."""
    with transaction.atomic(), refresh_paused():
        person = anonymise_person(person=person, on=today, actor=actor)
        anonymise_support_of(person)
        anonymise_housing_of(person)
        anonymise_catalogue_of(person)
        anonymise_partnerships_of(person)
    return person


def apply(today: datetime.date | None = None, *, dry_run: bool = False) -> Plan:
    """Archive and anonymise the files due, purge what expired; with ``dry_run``, only say so."""
    result = plan(today)
    if dry_run:
        return result
    today = result.today
    with refresh_paused():
        for person in Person.objects.filter(pk__in=result.archive).iterator(chunk_size=500):
            archive_person(person=person, on=today)
    for person in Person.objects.filter(pk__in=result.anonymise).iterator(chunk_size=500):
        anonymise(person, today=today)
    result.audit_events = audit_retention.purge_expired(at_day(today))
    result.login_records = _purge_login_records(today)
    result.sessions = Session.objects.filter(expire_date__lt=timezone.now()).delete()[0]
    result.idempotency_keys = idempotency.expired().delete()[0]
    logger.info(
        "retention applied",
        extra={
            "archived": len(result.archive),
            "anonymised": len(result.anonymise),
            "audit_events": result.audit_events,
            "login_records": result.login_records,
            "sessions": result.sessions,
            "idempotency_keys": result.idempotency_keys,
        },
    )
    return result


def due_in(organization, today: datetime.date) -> dict[str, int]:
    """How many of the organization's files the next run would archive and anonymise."""
    policy = policy_of(organization)
    people = Person.objects.filter(organization=organization, anonymised_on__isnull=True)
    anonymise = set(
        inactive_since(people, add_months(today, -policy.anonymise_after_months)).values_list(
            "pk", flat=True
        )
    )
    archive = set(
        inactive_since(
            people.filter(archived_on__isnull=True), add_months(today, -policy.archive_after_months)
        ).values_list("pk", flat=True)
    )
    return {"archive": len(archive - anonymise), "anonymise": len(anonymise)}
