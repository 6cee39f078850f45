"""The refresh's readings in the database: ``read_columns`` gives each row's integers column by
column, NULLs replaced, large values kept, nothing for no row; ``PseudonymKey`` is, in PostgreSQL,
the key ``stable_key`` gives a pseudonym in Python (months counted by either join together);
``MondaysBetween`` counts the Mondays of a period as Python does."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import BigIntegerField, CharField, Value

from ancrage.indicators.definitions import MondaysBetween, PseudonymKey, _mondays_between
from ancrage.indicators.packing import read_columns, stable_key
from ancrage.people.models import Person
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

COLUMNS = {"person": ("int4", 0), "commune": ("int4", -1), "big": ("int8", 0)}


def test_columns_are_the_rows_read_one_by_one():
    arras = TerritoryFactory(code="62041", name="Arras")
    people = [PersonFactory(commune=arras), PersonFactory(commune=None), PersonFactory()]
    queryset = (
        Person.objects.filter(pk__in=[p.pk for p in people])
        .annotate(big=Value(2**40 + 7, output_field=BigIntegerField()))
        .values_list("id", "commune_id", "big")
        .order_by("id")
    )
    columns = read_columns(queryset, COLUMNS)
    rows = list(zip(*(columns[name].tolist() for name in COLUMNS), strict=True))
    expected = [(p.pk, p.commune_id or -1, 2**40 + 7) for p in sorted(people, key=lambda p: p.pk)]
    assert sorted(rows) == expected
    assert columns["big"].dtype.itemsize == 8 and columns["person"].dtype.itemsize == 4


def test_no_row_gives_empty_columns():
    columns = read_columns(Person.objects.none().values_list("id", "commune_id", "id"), COLUMNS)
    assert [len(columns[name]) for name in COLUMNS] == [0, 0, 0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an expression of PostgreSQL")
def test_the_pseudonym_key_in_the_database_is_the_python_key():
    people = [
        PersonFactory(birth_date=datetime.date(2001, 5, 4)),
        PersonFactory(birth_date=datetime.date(1990, 1, 1), last_name="Zéphyr"),
        PersonFactory(birth_date=None),  # no pseudonym
    ]
    keys = dict(
        Person.objects.filter(pk__in=[p.pk for p in people])
        .annotate(key=PseudonymKey("identity_key"))
        .values_list("id", "key")
    )
    for person in people:
        person.refresh_from_db()
        expected = stable_key(person.identity_key) if person.identity_key else None
        assert keys[person.pk] == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an expression of PostgreSQL")
@pytest.mark.parametrize("digits", ["0" * 32, "f" * 32, "8" + "0" * 31, "7" + "f" * 31])
def test_the_pseudonym_key_holds_at_the_ends_of_the_range(digits):
    person = PersonFactory()
    pseudonym = Value(digits, output_field=CharField())
    key = Person.objects.annotate(key=PseudonymKey(pseudonym)).get(pk=person.pk).key
    assert key == stable_key(digits)


def test_mondays_counted_by_the_database_are_those_of_python():
    """Occupied bed-weeks are summed in SQL: its Mondays in [first, last) are ``_mondays_between``'s
    for every weekday a period starts and ends on, empty and reversed periods included."""
    person = PersonFactory()
    pairs = [
        (
            datetime.date(2026, 11, 1) + datetime.timedelta(days=a),
            datetime.date(2026, 11, 1) + datetime.timedelta(days=b),
        )
        for a in range(0, 9)
        for b in (*range(0, 16), 29, 30, 31, 45)
    ]
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(**{f"m{i}": MondaysBetween(Value(a), Value(b)) for i, (a, b) in enumerate(pairs)})
        .values(*(f"m{i}" for i in range(len(pairs))))
        .get()
    )
    assert [row[f"m{i}"] for i in range(len(pairs))] == [_mondays_between(a, b) for a, b in pairs]
