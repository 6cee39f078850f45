"""Hand-computed examples (the expected figures are written by hand, not recomputed)."""

import datetime
from decimal import Decimal

from ancrage.housing.rent import monthly_amounts, weekly_amounts

D = datetime.date
PRICE = Decimal("105.00")


def test_a_month_with_five_mondays_has_five_weeks():
    # November 2026: Mondays 2, 9, 16, 23, 30. The week of the 30th runs into December
    # but is charged in November, where its first night falls.
    amounts = weekly_amounts([(D(2026, 11, 2), D(2026, 12, 7))], PRICE)
    assert amounts == {D(2026, 11, 1): (Decimal("525.00"), Decimal(5))}


def test_a_partial_week_costs_its_nights():
    # Arrival on Wednesday 9 December 2026, leaving Monday 14: 5 nights = 105 × 5 / 7 = 75.00 €.
    amounts = weekly_amounts([(D(2026, 12, 9), D(2026, 12, 14))], PRICE)
    assert amounts[D(2026, 12, 1)][0] == Decimal("75.00")
    # 3 nights: 105 × 3 / 7 = 45.00 €; 1 night: 15.00 €.
    assert weekly_amounts([(D(2026, 12, 11), D(2026, 12, 14))], PRICE)[D(2026, 12, 1)][
        0
    ] == Decimal("45.00")
    assert weekly_amounts([(D(2026, 12, 13), D(2026, 12, 14))], PRICE)[D(2026, 12, 1)][
        0
    ] == Decimal("15.00")


def test_a_week_starting_late_in_a_month_is_charged_in_that_month():
    # Thursday 30 April 2026 to Monday 4 May: 4 nights in the week of Monday 27 April → April.
    amounts = weekly_amounts([(D(2026, 4, 30), D(2026, 5, 4))], Decimal("70.00"))
    assert amounts == {D(2026, 4, 1): (Decimal("40.00"), Decimal(4) / 7)}


def test_a_full_month_costs_rent_and_charges_and_a_partial_one_its_days():
    total = Decimal("435.00")  # 390 rent + 45 charges
    amounts = monthly_amounts([(D(2026, 9, 1), D(2026, 11, 1))], total, through=D(2026, 12, 31))
    assert amounts == {
        D(2026, 9, 1): (Decimal("435.00"), 30, 30),
        D(2026, 10, 1): (Decimal("435.00"), 31, 31),
    }
    # Entry on 20 February 2027: 9 days of 28 → 435 × 9 / 28 = 139.82 €.
    partial = monthly_amounts([(D(2027, 2, 20), None)], total, through=D(2027, 3, 15))
    assert partial == {
        D(2027, 2, 1): (Decimal("139.82"), 9, 28),
        D(2027, 3, 1): (Decimal("435.00"), 31, 31),
    }


# --- Through the services: a weekly occupant over a school year ---------------------------------

import pytest  # noqa: E402
import time_machine  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from ancrage.housing import services  # noqa: E402
from ancrage.housing.queries import account_of  # noqa: E402
from tests.housing.factories import BedFactory  # noqa: E402
from tests.people.factories import PersonFactory  # noqa: E402


@pytest.mark.django_db
def test_a_school_year_on_a_2_2_rhythm_costs_its_weeks_minus_allowances(world):
    bed = BedFactory(unit__residence__organization=world.org, unit__weekly_price=PRICE)
    person = PersonFactory(organization=world.org)
    rhythm = services.create_rhythm(
        person=person,
        name="BTS",
        template="2/2",
        first_school_week=D(2026, 9, 7),
        ends_on=D(2027, 6, 30),
        actor=world.owner,
    )
    booking = services.book_rhythm(
        person=person,
        bed=bed,
        rhythm=rhythm,
        start=D(2026, 9, 1),
        end=D(2027, 6, 30),
        actor=world.owner,
    )
    charges = services.generate_charges(booking=booking, through=D(2027, 6, 30), actor=world.owner)
    # 43 Mondays from 7 Sept 2026 to 28 June 2027; 2 school weeks in every 4: 10 cycles (20 weeks)
    # plus weeks 41 and 42 of the last, incomplete cycle → 22 weeks × 105 € = 2,310 €.
    assert sum(c.amount for c in charges) == Decimal("2310.00")
    by_month = {c.month: c.amount for c in charges}
    assert by_month[D(2026, 9, 1)] == Decimal("210.00")  # weeks of 7 and 14 September
    assert by_month[D(2026, 11, 1)] == Decimal(
        "315.00"
    )  # 2, 9 and 30 November: five Mondays, three at school
    for month in range(9, 13):
        services.record_allowance(
            person=person,
            source="mobili_jeune",
            month=D(2026, month, 1),
            amount=Decimal("100"),
            actor=world.owner,
        )
    for month in range(1, 7):
        services.record_allowance(
            person=person,
            source="mobili_jeune",
            month=D(2027, month, 1),
            amount=Decimal("100"),
            actor=world.owner,
        )
    account = account_of(person, today=D(2027, 7, 1))
    assert account.balance == Decimal("1310.00")  # 2,310 − 10 × 100


@pytest.mark.django_db
def test_generating_twice_changes_nothing_and_a_cancelled_booking_is_not_charged(world):
    bed = BedFactory(unit__residence__organization=world.org)
    booking = services.book_months(
        person=PersonFactory(organization=world.org),
        bed=bed,
        first_month=D(2026, 9, 1),
        months=3,
        actor=world.owner,
    )
    first = services.generate_charges(booking=booking, through=D(2026, 10, 15), actor=world.owner)
    assert [c.amount for c in first] == [Decimal("460.00"), Decimal("460.00")]  # 420 + 40
    again = services.generate_charges(booking=booking, through=D(2026, 12, 31), actor=world.owner)
    assert [c.month for c in again] == [D(2026, 11, 1)]
    services.cancel_booking(booking=booking, actor=world.owner)
    with pytest.raises(ValidationError):
        services.generate_charges(booking=booking, through=D(2027, 1, 31), actor=world.owner)


@pytest.mark.django_db
def test_arrears_show_after_the_delay_oldest_charge_first(world, settings):
    settings.ANCRAGE_ARREARS_DELAY_DAYS = 30
    bed = BedFactory(unit__residence__organization=world.org)
    person = PersonFactory(organization=world.org)
    booking = services.book_months(
        person=person, bed=bed, first_month=D(2026, 9, 1), months=2, actor=world.owner
    )
    services.generate_charges(booking=booking, through=D(2026, 10, 1), actor=world.owner)
    with time_machine.travel(D(2026, 10, 20)):
        services.record_payment(
            person=person,
            amount=Decimal("460"),
            paid_on=D(2026, 10, 20),
            method="transfer",
            actor=world.owner,
        )
    # September is paid; October (460 €) is due from 1 October, late after 31 October.
    assert account_of(person, today=D(2026, 10, 31)).in_arrears is False
    late = account_of(person, today=D(2026, 11, 10))
    assert (late.balance, late.oldest_unpaid, late.days_late) == (
        Decimal("460.00"),
        D(2026, 10, 1),
        10,
    )


@pytest.mark.django_db
def test_an_arrival_mid_week_is_charged_for_its_nights(world):
    bed = BedFactory(unit__residence__organization=world.org, unit__weekly_price=PRICE)
    booking = services.book_weeks(
        person=PersonFactory(organization=world.org),
        bed=bed,
        weeks=[D(2026, 12, 7), D(2026, 12, 14)],
        arrives_on=D(2026, 12, 9),
        actor=world.owner,
    )
    [charge] = services.generate_charges(booking=booking, through=D(2026, 12, 1), actor=world.owner)
    assert charge.amount == Decimal("180.00")  # 5 nights (75 €) + a full week (105 €)
    assert "1 + 5/7 semaine(s)" in charge.label


@pytest.mark.django_db
def test_notice_and_receipt_pdfs_carry_the_figures_of_the_account(client, world):
    from django.urls import reverse

    bed = BedFactory(unit__residence__organization=world.org, unit__reference="T1-04")
    person = PersonFactory(organization=world.org, first_name="Lina", last_name="Faure")
    booking = services.book_months(
        person=person, bed=bed, first_month=D(2026, 9, 1), months=2, actor=world.owner
    )
    september, october = services.generate_charges(
        booking=booking, through=D(2026, 10, 1), actor=world.owner
    )
    services.record_allowance(
        person=person, source="apl", month=D(2026, 9, 1), amount=Decimal("160"), actor=world.owner
    )
    with time_machine.travel(D(2026, 9, 10)):
        services.record_payment(
            person=person,
            amount=Decimal("300"),
            paid_on=D(2026, 9, 10),
            method="transfer",
            actor=world.owner,
        )
    client.force_login(world.owner)
    notice = client.get(reverse("housing:charge_notice", args=[september.pk]))
    assert notice["Content-Type"] == "application/pdf"
    assert notice.content.startswith(b"%PDF")
    # 460 € due, 160 € of APL for September: 300 € left for the occupant.
    assert (
        b"460,00" in notice.content and b"160,00" in notice.content and b"300,00" in notice.content
    )
    receipt = client.get(reverse("housing:charge_receipt", args=[september.pk]))
    assert receipt.content.startswith(b"%PDF")
    assert b"Quittance de loyer" in receipt.content
    # October is not paid: no receipt, a clear message instead.
    refused = client.get(reverse("housing:charge_receipt", args=[october.pk]))
    assert refused.status_code == 302
    assert "pas entièrement payée" in client.get(refused.url).text
    client.force_login(world.outsider)
    assert client.get(reverse("housing:charge_notice", args=[september.pk])).status_code == 404


@pytest.mark.django_db
def test_arrears_page_lists_late_occupants_with_a_constant_query_count(
    client, world, settings, count_queries
):
    from django.urls import reverse

    settings.ANCRAGE_ARREARS_DELAY_DAYS = 30

    def late_occupant(last_name, paid):
        bed = BedFactory(unit__residence__organization=world.org)
        person = PersonFactory(organization=world.org, last_name=last_name)
        booking = services.book_months(
            person=person, bed=bed, first_month=D(2026, 9, 1), months=2, actor=world.owner
        )
        services.generate_charges(booking=booking, through=D(2026, 10, 1), actor=world.owner)
        if paid:
            with time_machine.travel(D(2026, 9, 5)):
                services.record_payment(
                    person=person,
                    amount=Decimal(paid),
                    paid_on=D(2026, 9, 5),
                    method="cash",
                    actor=world.owner,
                )
        return person

    late_occupant("Retard", "460")  # September paid, October (460 €) late
    late_occupant("Àjour", "920")
    client.force_login(world.owner)
    url = reverse("housing:arrears")
    with time_machine.travel(D(2026, 11, 10)):
        page = client.get(url)
        rows = page.context["page"].object_list
        assert [(r.person.last_name, r.days_late, r.balance) for r in rows] == [
            ("Retard", 10, Decimal("460.00"))
        ]

        def count():
            return count_queries(lambda: client.get(url))

        one = count()
    for index in range(10):
        late_occupant(f"Retard{index}", "")
    with time_machine.travel(D(2026, 11, 10)):
        assert count() == one
    client.force_login(world.outsider)
    assert "Retard" not in client.get(url).text
