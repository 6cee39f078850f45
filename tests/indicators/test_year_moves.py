"""A year's totals moved by what changed in the months refreshed, instead of summed from all its
months: the same figures as the sum, including the figures that come to nothing (gone from the
year unless a month still holds them, a zero)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.indicators.definitions import INDICATORS
from ancrage.indicators.enums import Grain, Kind, Scope
from ancrage.indicators.models import Aggregate
from ancrage.indicators.rollup import (
    Changes,
    _range_rows,
    _replace,
    refresh_months,
    refresh_year,
)
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR, JANUARY, FEBRUARY = D(2026, 1, 1), D(2026, 1, 1), D(2026, 2, 1)
TOTAL = next(i.code for i in INDICATORS.values() if i.additive and i.kind == Kind.SUM)


def _row(period, grain, organization, category, value):
    return (
        TOTAL,
        grain,
        period,
        None,
        Scope.ORGANIZATION,
        organization,
        None,
        None,
        category,
        value,
        None,
    )


def _store(rows):
    Aggregate.objects.bulk_create(
        Aggregate(
            indicator=r[0],
            grain=r[1],
            period=r[2],
            last_month=r[3],
            scope=r[4],
            organization_id=r[5],
            program_id=r[6],
            territory_id=r[7],
            category=r[8],
            value=r[9],
            denominator=r[10],
        )
        for r in rows
    )


def _sums(changes):
    rows = _range_rows(YEAR, D(2027, 1, 1), Grain.YEAR, None, {}, changes=changes)
    return sorted((r[5], r[8], r[9]) for r in rows if r[0] == TOTAL)


def test_moved_totals_equal_the_sums_of_the_months_zeros_included(monkeypatch):
    # Only this total: the year's distinct people are not what is tested here.
    monkeypatch.setattr("ancrage.indicators.rollup.INDICATORS", {TOTAL: INDICATORS[TOTAL]})
    org = OrganizationFactory().pk
    month = Grain.MONTH
    # January: 3 e-mails (a), 2 calls (b), 4 visits (c); February: a zero for a (it is held
    # there), 1 visit (c). The year as stored: the sums.
    _store(
        [
            _row(JANUARY, month, org, "a", 3.0),
            _row(JANUARY, month, org, "b", 2.0),
            _row(JANUARY, month, org, "c", 4.0),
            _row(FEBRUARY, month, org, "a", 0.0),
            _row(FEBRUARY, month, org, "c", 1.0),
            _row(YEAR, Grain.YEAR, org, "a", 3.0),
            _row(YEAR, Grain.YEAR, org, "b", 2.0),
            _row(YEAR, Grain.YEAR, org, "c", 5.0),
        ]
    )
    # January refreshed: a and b gone, c down to 1, d new.
    changes = Changes()
    _replace(
        Grain.MONTH,
        JANUARY,
        None,
        [_row(JANUARY, month, org, "c", 1.0), _row(JANUARY, month, org, "d", 6.0)],
        changes=changes,
    )
    moved = _sums(changes)
    # a: 0, still in February; b: gone from every month; c: 1 + 1; d: 6.
    assert moved == [(org, "a", 0.0), (org, "c", 2.0), (org, "d", 6.0)]
    assert moved == _sums(None)  # the months summed


def test_the_year_figures_that_did_not_move_stay_as_stored_untouched(monkeypatch):
    monkeypatch.setattr("ancrage.indicators.rollup.INDICATORS", {TOTAL: INDICATORS[TOTAL]})
    org, month = OrganizationFactory().pk, Grain.MONTH
    # January: 3 e-mails (a), 7 visits (e); the year as stored: the same.
    _store(
        [
            _row(JANUARY, month, org, "a", 3.0),
            _row(JANUARY, month, org, "e", 7.0),
            _row(YEAR, Grain.YEAR, org, "a", 3.0),
            _row(YEAR, Grain.YEAR, org, "e", 7.0),
        ]
    )
    unmoved = Aggregate.objects.get(grain=Grain.YEAR, category="e").pk
    # January refreshed: a up to 4, e the same.
    changes = Changes()
    januarys = [_row(JANUARY, month, org, "a", 4.0), _row(JANUARY, month, org, "e", 7.0)]
    _replace(month, JANUARY, None, januarys, changes=changes)
    # Only what moved is summed again (a), and written: e keeps its figure, the same row.
    assert _sums(changes) == [(org, "a", 4.0)]
    rows = _range_rows(YEAR, D(2027, 1, 1), Grain.YEAR, None, {}, changes=changes)
    _replace(Grain.YEAR, YEAR, None, rows, known=changes.read)
    year = Aggregate.objects.filter(grain=Grain.YEAR, indicator=TOTAL)
    assert sorted(year.values_list("organization_id", "category", "value")) == _sums(None)
    assert _sums(None) == [(org, "a", 4.0), (org, "e", 7.0)]
    assert year.get(category="e").pk == unmoved


def test_too_many_figures_coming_to_nothing_are_summed_from_the_months(monkeypatch):
    monkeypatch.setattr("ancrage.indicators.rollup.ZEROS_CHECKED", 1)
    org = OrganizationFactory().pk
    _store(
        [
            _row(JANUARY, Grain.MONTH, org, "a", 1.0),
            _row(JANUARY, Grain.MONTH, org, "b", 1.0),
            _row(YEAR, Grain.YEAR, org, "a", 1.0),
            _row(YEAR, Grain.YEAR, org, "b", 1.0),
        ]
    )
    changes = Changes()
    _replace(Grain.MONTH, JANUARY, None, [], changes=changes)
    assert changes.year_sums(Grain.YEAR, YEAR, D(2027, 1, 1)) is None


@pytest.mark.postgresql
def test_a_year_moved_leaves_the_statistics_a_year_summed_refreshes_them(year):
    # Moved, the year reads one period by the index: no ANALYZE of two million figures (0.2-0.3 s).
    with CaptureQueriesContext(connection) as summed:
        refresh_year(2026)  # every month of the year computed
    with CaptureQueriesContext(connection) as moved:
        refresh_months([D(2026, 8, 1)])

    def analyzed(queries) -> int:
        return sum(query["sql"].startswith("ANALYZE") for query in queries)

    assert (analyzed(moved), analyzed(summed)) == (0, 1)
