"""When data changes, mark the months whose figures it touches; a background task refreshes them.

Marking is one cheap insert. The refresh is queued once per transaction, after it commits
(``ANCRAGE_INDICATORS_AUTO_REFRESH``; off in tests, and paused while the demo loads).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from ancrage.activities.models import Attendance, Session
from ancrage.catalogue.models import Delivery, Entitlement, Pack
from ancrage.housing.models import (
    BookingPeriod,
    Charge,
    Lease,
    Payment,
    ThirdPartyPayment,
    Unit,
)
from ancrage.indicators.rollup import first_of_month, mark_stale, next_month
from ancrage.indicators.tasks import refresh_stale_indicators
from ancrage.people.models import Person
from ancrage.support.enums import ADAPTATION_PATHWAYS
from ancrage.support.models import (
    Appointment,
    Assessment,
    Contact,
    Enrollment,
    Exit,
    FollowUp,
    Referral,
    Step,
)

_paused = contextvars.ContextVar("indicators_paused", default=False)


@contextlib.contextmanager
def refresh_paused():
    """Mark nothing while bulk loading (the loader refreshes everything once at the end)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _day(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _months(first, last=None):
    first, last = _day(first), _day(last)
    if first is None:
        return []
    today = timezone.localdate()
    last = min(last or today, today)
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months or [first_of_month(first)]


def _affected(instance) -> list[datetime.date]:
    today = timezone.localdate()
    match instance:
        case Contact():
            return _months(instance.occurred_at, instance.occurred_at)
        case Appointment():
            return _months(instance.starts_at, instance.starts_at)
        case Enrollment() if instance.pathway in ADAPTATION_PATHWAYS:
            # The home may be adapted (or the date withdrawn) after the exit: up to today.
            return _months(instance.requested_on, today)
        case Enrollment():
            return _months(instance.requested_on, instance.ended_on)
        case FollowUp():
            # The follow-ups are the latest news of the kept-at-home rate.
            return _months(instance.done_on, instance.done_on) if instance.done_on else []
        case Exit():
            return _months(instance.exited_on, instance.exited_on)
        case Session():
            return _months(instance.starts_at, instance.starts_at)
        case Attendance():
            return _months(instance.session.starts_at, instance.session.starts_at)
        case Referral():
            # Counted when sent, and (accepted or refused) on the day of the answer.
            return _months(instance.sent_on, instance.decided_on or instance.sent_on)
        case Assessment():
            return _months(instance.assessed_on, instance.assessed_on)
        case Step():
            return _months(instance.done_on, instance.done_on) if instance.done_on else []
        case BookingPeriod():
            return _months(instance.starts_on, instance.ends_on)
        case Lease():
            last = instance.ends_on
            if last is not None and instance.slid_on is not None:
                last = max(last, instance.slid_on)  # the slide is counted on its own day
            return _months(instance.starts_on, last)
        case Charge() | ThirdPartyPayment():
            return _months(instance.month, today)
        case Payment():
            # A payment settles earlier months: those within the arrears delay are affected too.
            delay = datetime.timedelta(days=settings.ANCRAGE_ARREARS_DELAY_DAYS + 31)
            return _months(instance.paid_on - delay, instance.paid_on)
        case Unit():
            # Its service dates change the capacity of the months since the earlier one.
            dates = [d for d in (instance.in_service_on, instance.out_of_service_on) if d]
            return _months(min(dates), today) if dates else [first_of_month(today)]
        case Delivery():
            return _months(instance.delivered_on, instance.delivered_on)
        case Entitlement():
            return _months(instance.pack.starts_on, instance.pack.ends_on)
        case Pack():
            return _months(instance.starts_on, instance.ends_on)
        case Person():
            # Situation, commune and age band break down the people supported: every month of
            # their enrollments.
            first = (
                Enrollment.objects.filter(person=instance)
                .order_by("requested_on")
                .values_list("requested_on", flat=True)
                .first()
            )
            return _months(first, today) if first else []
    return []


def _queue_refresh() -> None:
    refresh_stale_indicators.enqueue()


def _changed(sender, instance, **kwargs) -> None:
    if _paused.get() or kwargs.get("raw"):
        return
    mark_stale(_affected(instance))
    if not settings.ANCRAGE_INDICATORS_AUTO_REFRESH:
        return
    connection = transaction.get_connection()
    if any(func is _queue_refresh for _, func, _ in connection.run_on_commit):
        return  # already queued for this transaction
    transaction.on_commit(_queue_refresh)


for _model in (
    Contact,
    Appointment,
    Enrollment,
    Exit,
    FollowUp,
    Session,
    Attendance,
    Referral,
    Assessment,
    Step,
    BookingPeriod,
    Lease,
    Charge,
    ThirdPartyPayment,
    Payment,
    Unit,
    Person,
    Delivery,
    Entitlement,
    Pack,
):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"indicators_{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"indicators_del_{_model.__name__}")
