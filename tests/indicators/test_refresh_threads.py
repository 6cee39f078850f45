"""A month's indicators read by two threads (PostgreSQL, a refresh holding no transaction when it
starts): the same figures and stored facts as one thread, no connection left open, an error in a
thread raised to the caller."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import time_machine
from django.db import connection, transaction

from ancrage.indicators import definitions, rollup
from ancrage.indicators.models import Aggregate, MonthFacts, Refresh
from tests.indicators.conftest import TODAY, build_year

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

MONTHS = [datetime.date(2026, month, 1) for month in (3, 5)]


@pytest.fixture
def year(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL seulement : les fils ont chacun leur connexion.")
    with time_machine.travel(TODAY, tick=False):
        yield build_year()


def _connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _facts(kept) -> list[tuple]:
    return sorted((f.indicator, f.month, f.rows, bytes(f.data), f.categories) for f in kept)


def test_two_threads_give_the_figures_and_facts_of_one(year):
    context = rollup.Context.load()
    before = _connections()
    for month in MONTHS:
        alone_rows, alone_kept = rollup._month_rows(month, context, threads=1)
        rows, kept = rollup._month_rows(month, context, threads=2)
        assert alone_rows and any(row[9] for row in alone_rows)
        assert sorted(rows, key=repr) == sorted(alone_rows, key=repr)
        assert _facts(kept) == _facts(alone_kept)
    # Each thread closed its connection.
    assert _connections() == before


def test_a_refresh_outside_a_transaction_reads_in_threads_and_stores_the_same(year):
    assert rollup._reads_in_threads() == 2
    with transaction.atomic():
        assert rollup._reads_in_threads() == 1
    rollup.refresh_months(MONTHS)
    threaded = sorted(Aggregate.objects.values_list(*rollup.COLUMNS), key=repr)
    for model in (Aggregate, MonthFacts, Refresh):  # from nothing again
        model.objects.all().delete()
    with transaction.atomic():  # one thread
        rollup.refresh_months(MONTHS)
    assert threaded and sorted(Aggregate.objects.values_list(*rollup.COLUMNS), key=repr) == threaded


def test_an_error_in_a_thread_reaches_the_caller(year, monkeypatch):
    def broken(start, end):
        raise RuntimeError("lecture impossible")

    code = "personnes_accompagnees"
    monkeypatch.setitem(
        definitions.INDICATORS,
        code,
        dataclasses.replace(definitions.INDICATORS[code], packed=broken),
    )
    before = _connections()
    with pytest.raises(RuntimeError, match="lecture impossible"):
        rollup._month_rows(MONTHS[0], rollup.Context.load(), threads=2)
    assert _connections() == before
