"""update() and bulk_* skip the audit signals: on an audited model they go through a listed write
that leaves one summary event, and the test suite fails on any other (tests/conftest.py)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from ancrage.audit import recorder
from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent
from ancrage.housing import services
from ancrage.housing.models import Booking, BookingPeriod
from ancrage.people.models import Person
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
MON = datetime.date(2027, 1, 4)


def _events_on(instance):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).order_by("id")


def test_an_update_on_an_audited_model_outside_a_listed_write_fails_the_test(world):
    PersonFactory(organization=world.org)
    with pytest.raises(AssertionError, match="contourne le journal d'audit"):
        Person.objects.update(first_name="Sans trace")
    with pytest.raises(AssertionError, match="bulk_create"):
        Person.objects.bulk_create([Person(organization=world.org, first_name="A", last_name="B")])
    assert not Person.objects.filter(first_name__in=["Sans trace", "A"]).exists()


def test_an_update_of_unaudited_fields_only_is_allowed(world):
    assert not recorder.unlisted_bulk_write(Booking, ["updated_at"])
    assert recorder.unlisted_bulk_write(Booking, ["status", "updated_at"])
    assert not recorder.unlisted_bulk_write(AuditEvent, None)  # not an audited model


def test_an_unlisted_name_is_refused_before_writing(world):
    bed = BedFactory(unit__residence__organization=world.org)
    booking = services.book_weeks(
        person=PersonFactory(organization=world.org), bed=bed, weeks=[MON], actor=world.owner
    )
    with pytest.raises(KeyError, match="BULK_WRITES"):
        recorder.bulk_update("housing.whatever", booking.periods.all(), on=booking, is_active=False)
    assert booking.periods.get().is_active


def test_booking_and_cancelling_leave_one_summary_event_for_the_periods(world):
    bed = BedFactory(unit__residence__organization=world.org)
    weeks = [MON, MON + datetime.timedelta(weeks=1), MON + datetime.timedelta(weeks=3)]
    booking = services.book_weeks(
        person=PersonFactory(organization=world.org), bed=bed, weeks=weeks, actor=world.owner
    )
    created = _events_on(booking)
    assert [e.action for e in created] == [AuditAction.CREATE, AuditAction.UPDATE]
    summary = created.last()
    assert summary.changes == {"housing.bookingperiod (housing.booking_periods)": [None, 2]}
    assert summary.actor == world.owner and summary.organization_id == world.org.pk

    services.cancel_booking(booking=booking, actor=world.owner)
    last = (
        _events_on(booking)
        .filter(changes__has_key="housing.bookingperiod (housing.booking_periods)")
        .last()
    )
    assert last.changes["housing.bookingperiod (housing.booking_periods).is_active"] == [
        None,
        False,
    ]
    assert not BookingPeriod.objects.filter(booking=booking, is_active=True).exists()
