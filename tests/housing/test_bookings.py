import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from ancrage.housing import services
from ancrage.housing.models import Booking, BookingPeriod
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
MON = datetime.date(2027, 1, 4)  # a Monday, ISO week 1 of 2027


def week(n: int) -> datetime.date:
    return MON + datetime.timedelta(weeks=n)


@pytest.fixture
def bed(world):
    return BedFactory(unit__residence__organization=world.org)


def youth(world, **kwargs):
    return PersonFactory(organization=world.org, **kwargs)


def test_weeks_are_merged_into_runs_of_consecutive_weeks(world, bed):
    booking = services.book_weeks(
        person=youth(world), bed=bed, weeks=[week(0), week(1), week(4), week(1)], actor=world.owner
    )
    assert list(booking.periods.values_list("starts_on", "ends_on")) == [
        (week(0), week(2)),
        (week(4), week(5)),
    ]
    assert (booking.starts_on, booking.ends_on) == (week(0), week(5))


def test_a_day_books_its_whole_iso_week(world, bed):
    booking = services.book_weeks(
        person=youth(world),
        bed=bed,
        weeks=[week(2) + datetime.timedelta(days=3)],
        actor=world.owner,
    )
    assert booking.periods.get().starts_on == week(2)


def test_complementary_rhythms_share_a_studio(world, bed):
    services.book_weeks(person=youth(world), bed=bed, weeks=[week(0), week(2)], actor=world.owner)
    services.book_weeks(person=youth(world), bed=bed, weeks=[week(1), week(3)], actor=world.owner)
    assert BookingPeriod.objects.filter(bed=bed, is_active=True).count() == 4


def test_an_overlap_is_refused_with_who_and_when(world, bed):
    services.book_weeks(
        person=youth(world, first_name="Élodie", last_name="Martin"),
        bed=bed,
        weeks=[week(0), week(1)],
        actor=world.owner,
    )
    with pytest.raises(ValidationError) as exc:
        services.book_weeks(person=youth(world), bed=bed, weeks=[week(1)], actor=world.owner)
    message = exc.value.message_dict["bed"][0]
    assert "déjà réservé du 04/01/2027 au 17/01/2027 pour Élodie MARTIN" in message
    assert Booking.objects.count() == 1


def test_an_open_ended_booking_blocks_every_later_week(world, bed):
    services.book_open_ended(person=youth(world), bed=bed, starts_on=week(3), actor=world.owner)
    services.book_weeks(person=youth(world), bed=bed, weeks=[week(1)], actor=world.owner)
    with pytest.raises(ValidationError, match="à partir du 25/01/2027"):
        services.book_weeks(person=youth(world), bed=bed, weeks=[week(60)], actor=world.owner)


def test_months_run_from_the_first_to_the_first(world, bed):
    booking = services.book_months(
        person=youth(world),
        bed=bed,
        first_month=datetime.date(2027, 1, 15),
        months=2,
        actor=world.owner,
    )
    assert list(booking.periods.values_list("starts_on", "ends_on")) == [
        (datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))
    ]
    with pytest.raises(ValidationError):
        services.book_weeks(
            person=youth(world), bed=bed, weeks=[datetime.date(2027, 2, 22)], actor=world.owner
        )
    services.book_weeks(
        person=youth(world), bed=bed, weeks=[datetime.date(2027, 3, 1)], actor=world.owner
    )


def test_cancel_frees_the_bed_and_restore_needs_it_free(world, bed):
    booking = services.book_weeks(person=youth(world), bed=bed, weeks=[week(0)], actor=world.owner)
    services.cancel_booking(booking=booking, actor=world.owner)
    other = services.book_weeks(person=youth(world), bed=bed, weeks=[week(0)], actor=world.owner)
    with pytest.raises(ValidationError, match="déjà réservé"):
        services.restore_booking(booking=booking, actor=world.owner)
    services.cancel_booking(booking=other, actor=world.owner)
    services.restore_booking(booking=booking, actor=world.owner)
    assert Booking.objects.get(pk=booking.pk).status == "active"


def test_the_database_itself_refuses_an_overlap(world, bed):
    booking = services.book_weeks(person=youth(world), bed=bed, weeks=[week(0)], actor=world.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingPeriod.objects.create(
            booking=booking,
            bed=bed,
            starts_on=week(0) + datetime.timedelta(days=6),
            ends_on=week(2),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingPeriod.objects.create(booking=booking, bed=bed, starts_on=week(-3), ends_on=None)
    # Touching is not overlapping, and an inactive period does not count.
    BookingPeriod.objects.create(booking=booking, bed=bed, starts_on=week(1), ends_on=week(2))
    BookingPeriod.objects.create(
        booking=booking, bed=bed, starts_on=week(0), ends_on=week(1), is_active=False
    )


def test_person_must_be_followed_by_the_manager_and_role_must_write(world, bed):
    with pytest.raises(ValidationError) as exc:
        services.book_weeks(
            person=PersonFactory(organization=world.other_org),
            bed=bed,
            weeks=[week(0)],
            actor=world.owner,
        )
    assert "person" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.book_weeks(person=youth(world), bed=bed, weeks=[week(0)], actor=world.colleague)


def test_a_unit_not_let_by_the_week_refuses_weekly_bookings(world):
    bed = BedFactory(unit__residence__organization=world.org, unit__weekly_price=None)
    with pytest.raises(ValidationError) as exc:
        services.book_weeks(person=youth(world), bed=bed, weeks=[week(0)], actor=world.owner)
    assert "granularity" in exc.value.message_dict


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_conflicting_bookings_one_wins(world, bed):
    people = [youth(world) for _ in range(20)]
    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(person):
        try:
            start.wait()
            services.book_weeks(person=person, bed=bed, weeks=[week(0), week(1)], actor=world.owner)
            result = "ok"
        except ValidationError as exc:
            result = exc.message_dict["bed"][0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == 19
    assert all("déjà réservé" in o or "vient d'être réservé" in o for o in refusals)
    assert BookingPeriod.objects.filter(bed=bed, is_active=True).count() == 1


def test_nobody_is_booked_in_two_places_the_same_nights(world):
    import datetime

    from django.core.exceptions import ValidationError

    from ancrage.housing.models import Booking
    from ancrage.housing.services import book_weeks, cancel_booking, restore_booking
    from tests.housing.factories import BedFactory
    from tests.people.factories import PersonFactory

    maelys = PersonFactory(organization=world.org, first_name="Maëlys", last_name="Blanc")
    here = BedFactory(unit__residence__organization=world.org, unit__reference="A1")
    there = BedFactory(unit__residence__organization=world.org, unit__reference="B7")
    first = book_weeks(
        person=maelys, bed=here, weeks=[datetime.date(2026, 9, 7)], actor=world.owner
    )
    with pytest.raises(ValidationError) as refused:
        book_weeks(
            person=maelys,
            bed=there,
            weeks=[datetime.date(2026, 9, 7), datetime.date(2026, 9, 14)],
            actor=world.owner,
        )
    message = refused.value.message_dict["person"][0]
    assert "Maëlys BLANC est déjà logé·e du 07/09/2026 au 13/09/2026" in message
    assert Booking.objects.filter(person=maelys).count() == 1
    # Another week is free for her; once the first booking is cancelled, that week is too.
    book_weeks(person=maelys, bed=there, weeks=[datetime.date(2026, 9, 14)], actor=world.owner)
    cancel_booking(booking=first, actor=world.owner)
    second = book_weeks(
        person=maelys, bed=there, weeks=[datetime.date(2026, 9, 7)], actor=world.owner
    )
    with pytest.raises(ValidationError):
        restore_booking(booking=first, actor=world.owner)  # she sleeps in B7 that week now
    assert second.status == "active"
