"""« Demandes reçues » is counted in the database (by organization, month and detail), no longer row
by row in Python: the figures of every cell are those the row-by-row reading gave, on the days where
an age or a month turns (a birthday on the day of the request, 29 February, a call at 23:30 in
Paris on the last day of a month, which is the next month's first day in UTC)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F, Value
from django.utils import timezone

from ancrage.indicators.definitions import (
    INDICATORS,
    UNKNOWN,
    AgeBandOf,
    AgeOn,
    Fact,
    _age_band,
    _age_band_of,
    _commune_codes,
    _month_of,
    requests_received,
    shared_reads,
)
from ancrage.indicators.rollup import Context, compute
from ancrage.people.models import Person, age_on
from ancrage.support.enums import Direction
from ancrage.support.models import Contact
from tests.accounts.factories import OrganizationFactory
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # winter time, as in the days below


def row_by_row(start, end):
    """The former reading: one fact per request, the age on the request's local day."""
    codes = _commune_codes()
    rows = Contact.objects.filter(
        occurred_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        occurred_at__lt=timezone.make_aware(datetime.datetime.combine(end, datetime.time.min)),
        direction=Direction.INCOMING,
        partner=None,
    ).values_list(
        "organization_id",
        "occurred_at",
        "subjects",
        "person__situation",
        "person__birth_date",
        "person__commune_id",
    )
    for organization, occurred_at, subjects, situation, birth, commune_id in rows:
        day = timezone.localtime(occurred_at).date()
        yield Fact(
            organization,
            None,
            _month_of(occurred_at),
            categories=(
                *(f"objet:{s}" for s in (subjects or [UNKNOWN])),
                f"age:{_age_band(birth, day) if birth else UNKNOWN}",
                f"situation:{situation or UNKNOWN}",
                f"commune:{codes.get(commune_id, UNKNOWN)}",
            ),
        )


@pytest.fixture
def requests(db):
    desk = OrganizationFactory()
    other = OrganizationFactory()
    arras = TerritoryFactory(code="62041", name="Arras")
    people = [
        PersonFactory(organization=desk, birth_date=D(2008, 2, 29), commune=arras),  # 18 on 1/3/26
        PersonFactory(organization=desk, birth_date=D(2005, 12, 1), situation=""),  # 21 on 1/12/26
        PersonFactory(organization=desk, birth_date=D(1995, 11, 30)),  # 31 on 30/11/26
        PersonFactory(organization=desk, birth_date=None),
        PersonFactory(organization=other, birth_date=D(2010, 6, 15)),
    ]
    moments = [
        datetime.datetime(2026, 2, 28, 23, 30, tzinfo=PARIS),  # 28 Feb local, 22:30 UTC
        datetime.datetime(2026, 3, 1, 0, 30, tzinfo=PARIS),  # 1 March local, 28 Feb 23:30 UTC
        datetime.datetime(2026, 11, 30, 23, 45, tzinfo=PARIS),
        datetime.datetime(2026, 12, 1, 0, 15, tzinfo=PARIS),
        datetime.datetime(2026, 6, 15, 12, 0, tzinfo=PARIS),
    ]
    subjects = [["housing"], ["housing", "solvency"], [], ["health"]]
    index = 0
    for person in [*people, None]:
        for moment in moments:
            for subject in subjects:
                index += 1
                ContactFactory(
                    organization=person.organization if person else (desk, other)[index % 2],
                    person=person,
                    occurred_at=moment,
                    subjects=subject,
                    direction=Direction.OUTGOING if index % 11 == 0 else Direction.INCOMING,
                )
    ContactFactory(organization=desk, partner=other, occurred_at=moments[0])  # a partner: out
    for _ in range(5):  # five anonymous calls about housing the same month: one group
        ContactFactory(organization=desk, occurred_at=moments[4], subjects=["housing"])


def test_every_cell_is_the_row_by_row_figure(requests):
    indicator = INDICATORS["demandes_recues"]
    context = Context.load()
    for start, end in ((D(2026, 1, 1), D(2027, 1, 1)), (D(2026, 2, 1), D(2026, 3, 1))) + tuple(
        (D(2026, m, 1), D(2026, m + 1, 1)) for m in (3, 11)
    ):
        with shared_reads():
            counted = compute(indicator, requests_received(start, end), context)
            reference = compute(indicator, row_by_row(start, end), context)
        assert counted == reference, (start, end)
        assert counted, (start, end)


def test_ages_turn_on_the_local_day_of_the_request(requests):
    with shared_reads():
        facts = list(requests_received(D(2026, 1, 1), D(2027, 1, 1)))
    ages = {}
    for fact in facts:
        age = next(c for c in fact.categories if c.startswith("age:"))
        ages[(fact.month, age)] = ages.get((fact.month, age), 0) + fact.amount
    # Born 29 February 2008: 17 on 28 February 2026, 18 on 1 March (local days).
    assert ages[(D(2026, 2, 1), "age:under_18")] >= 3
    assert ages[(D(2026, 3, 1), "age:18_20")] >= 3
    # Born 1 December 2005: 20 on 30 November, 21 on 1 December.
    assert ages[(D(2026, 12, 1), "age:21_25")] >= 3
    # Counted in the database: the five identical calls come as one row.
    assert max(f.amount for f in facts) >= 5


def test_ages_and_bands_in_the_database_are_those_of_python(db):
    """``AgeOn`` and ``AgeBandOf`` give what ``age_on`` and ``_age_band_of`` give, on the days a
    band turns, on 29 February, and for a birth date after the day (an entry error: -1 year)."""
    births = [
        D(2008, 2, 29),
        D(2008, 3, 1),
        D(2005, 12, 1),
        D(2005, 11, 30),
        D(1995, 11, 30),
        D(1996, 12, 31),
        D(2027, 1, 1),
        D(2026, 12, 1),
        None,
    ]
    for birth in births:
        PersonFactory(birth_date=birth)
    days = [D(2026, 2, 28), D(2026, 3, 1), D(2026, 11, 30), D(2026, 12, 1), D(2028, 2, 29)]
    for day in days:
        rows = Person.objects.annotate(
            age=AgeOn(Value(day), F("birth_date")),
            band=AgeBandOf(AgeOn(Value(day), F("birth_date"))),
        ).values_list("birth_date", "age", "band")
        assert sorted(rows, key=str) == sorted(
            ((b, age_on(b, day), str(_age_band_of(age_on(b, day)))) for b in births), key=str
        ), day
