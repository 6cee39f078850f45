"""Distinct counts (people, organizations) of every cell equal a plain count with Python sets, for
any facts: people in one organization or several, in programs or not, with local categories (a
residence's commune, kept for the organization's own figures) and shared ones."""

from __future__ import annotations

import datetime
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ancrage.indicators.definitions import Fact
from ancrage.indicators.enums import Kind, Scope
from ancrage.indicators.packing import Packed
from ancrage.indicators.rollup import (
    LOCAL_PREFIXES,
    Context,
    _targets,
    compute,
    count_distinct,
    latest_facts,
)
from tests.depth import examples

ORGANIZATIONS = (1, 2, 3, 4, 5)
CONTEXT = Context(
    territories={1: (101, 201), 2: (101, 202), 3: (102, 202), 4: (), 5: (103,)},
    programs={
        1: [(11, datetime.date(2026, 1, 1), None)],
        2: [
            (11, datetime.date(2026, 3, 1), datetime.date(2026, 6, 30)),
            (12, datetime.date(2025, 1, 1), None),
        ],
        3: [(12, datetime.date(2026, 1, 1), None)],
    },
)
CATEGORIES = ("age:18_20", "age:21_25", "situation:apprentice", "commune:62041", "commune:69123")


class Distinct:
    kind = Kind.DISTINCT


def with_sets(facts):
    cells = defaultdict(set)
    for fact in facts:
        programs = CONTEXT.programs_of(fact)
        targets = _targets(
            fact.organization, programs, CONTEXT.territories.get(fact.organization, ())
        )
        for category in ("", *fact.categories):
            local = category.startswith(LOCAL_PREFIXES)
            for scope, organization, program, territory in targets:
                if local and scope not in (Scope.ORGANIZATION, Scope.ORGANIZATION_PROGRAM):
                    continue
                cells[(scope, organization, program, territory, category)].add(fact.key)
    return {cell: (float(len(keys)), None) for cell, keys in cells.items()}


facts_strategy = st.lists(
    st.builds(
        Fact,
        organization=st.sampled_from(ORGANIZATIONS),
        program=st.one_of(st.none(), st.sampled_from((11, 12, 13))),
        month=st.sampled_from([datetime.date(2026, m, 1) for m in (1, 3, 5, 7, 12)]),
        key=st.sampled_from([f"p{n}" for n in range(12)]),
        categories=st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True).map(tuple),
    ),
    max_size=60,
)


@given(facts=facts_strategy)
@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
def test_every_cell_counts_each_key_once(facts):
    assert compute(Distinct(), facts, CONTEXT) == with_sets(facts)


def test_people_in_one_organization_and_in_two_are_both_counted_right():
    month = datetime.date(2026, 4, 1)
    facts = [
        Fact(1, None, month, "alone", ("age:18_20", "commune:62041")),
        Fact(1, None, month, "alone", ("age:18_20",)),  # seen twice, counted once
        Fact(1, None, month, "both", ("age:21_25",)),
        Fact(2, None, month, "both", ("age:21_25", "commune:69123")),  # a second organization
        Fact(3, None, month, "other", ()),
    ]
    figures = compute(Distinct(), facts, CONTEXT)
    assert figures == with_sets(facts)
    assert figures[(Scope.NATIONAL, None, None, None, "")] == (3.0, None)
    assert figures[(Scope.TERRITORY, None, None, 101, "age:21_25")] == (1.0, None)  # orgs 1 and 2
    assert figures[(Scope.PROGRAM, None, 11, None, "")] == (
        2.0,
        None,
    )  # org 1's and org 2's (April)
    assert (Scope.NATIONAL, None, None, None, "commune:62041") not in figures
    assert figures[(Scope.ORGANIZATION, 1, None, None, "commune:62041")] == (1.0, None)


def _combination(fact):
    return fact.organization, CONTEXT.programs_of(fact)


def with_last_months(facts):
    """The facts a run of months keeps: for each person and combination, those of its last month."""
    last = {}
    for fact in facts:
        key = (_combination(fact), fact.key)
        last[key] = max(last.get(key, fact.month), fact.month)
    return [f for f in facts if f.month == last[(_combination(f), f.key)]]


@given(facts=facts_strategy)
@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
def test_months_stored_then_put_together_count_each_key_once(facts):
    """A year counted from its stored months (packed, written, read back, joined) equals a count
    with sets over the year, each person with the categories of their last month."""
    months = sorted({f.month for f in facts})
    stored = [
        Packed.from_bytes(packed.to_bytes(), packed.vocabulary)
        for packed in (Packed.of([f for f in facts if f.month == m]) for m in months)
    ]
    year = count_distinct(Packed.concatenate(stored), CONTEXT, latest_only=True)
    assert year == with_sets(with_last_months(facts))


def test_a_person_whose_age_band_changes_counts_once_in_the_last_one():
    march, may = datetime.date(2026, 3, 1), datetime.date(2026, 5, 1)
    packs = [
        Packed.of([Fact(1, None, march, "p1", ("age:21_25",)), Fact(1, None, march, "p2", ())]),
        Packed.of([Fact(1, None, may, "p1", ("age:26_29",))]),
    ]
    year = count_distinct(Packed.concatenate(packs), CONTEXT, latest_only=True)
    assert year[(Scope.ORGANIZATION, 1, None, None, "")] == (2.0, None)
    assert year[(Scope.ORGANIZATION, 1, None, None, "age:26_29")] == (1.0, None)
    assert (Scope.ORGANIZATION, 1, None, None, "age:21_25") not in year


class Total:
    kind = Kind.SUM


class Rate:
    kind = Kind.RATE


def with_additions(facts, with_denominator):
    cells = defaultdict(lambda: [0.0, 0.0])
    for fact in facts:
        targets = _targets(
            fact.organization,
            CONTEXT.programs_of(fact),
            CONTEXT.territories.get(fact.organization, ()),
        )
        for category in ("", *fact.categories):
            local = category.startswith(LOCAL_PREFIXES)
            for scope, organization, program, territory in targets:
                if local and scope not in (Scope.ORGANIZATION, Scope.ORGANIZATION_PROGRAM):
                    continue
                cell = cells[(scope, organization, program, territory, category)]
                cell[0] += fact.amount
                cell[1] += fact.denominator or 0.0
    return {
        cell: (value, denominator if with_denominator else None)
        for cell, (value, denominator) in cells.items()
    }


totals_strategy = st.lists(
    st.builds(
        Fact,
        organization=st.sampled_from(ORGANIZATIONS),
        program=st.one_of(st.none(), st.sampled_from((11, 12, 13))),
        month=st.sampled_from([datetime.date(2026, m, 1) for m in (1, 3, 5, 7, 12)]),
        categories=st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True).map(tuple),
        amount=st.integers(0, 500).map(float),
        denominator=st.one_of(st.none(), st.integers(0, 900).map(float)),
    ),
    max_size=60,
)


@given(facts=totals_strategy)
@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
def test_totals_and_rates_of_every_cell_equal_a_plain_addition(facts):
    assert compute(Total(), facts, CONTEXT) == with_additions(facts, False)
    assert compute(Rate(), facts, CONTEXT) == with_additions(facts, True)


def test_a_zero_total_still_makes_its_cell():
    month = datetime.date(2026, 4, 1)
    figures = compute(Rate(), [Fact(4, None, month, amount=0.0, denominator=0.0)], CONTEXT)
    assert figures == {
        (Scope.ORGANIZATION, 4, None, None, ""): (0.0, 0.0),
        (Scope.NATIONAL, None, None, None, ""): (0.0, 0.0),
    }


@given(facts=facts_strategy)
@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
def test_months_joined_ahead_count_as_all_the_months(facts):
    """The months but the last, joined once and kept (only their last facts), then joined with the
    last month: the year's figures are those of all the months joined at once."""
    last = datetime.date(2026, 12, 1)
    before = Packed.of([f for f in facts if f.month < last])
    after = Packed.of([f for f in facts if f.month == last])
    ahead = latest_facts(before, CONTEXT)
    assert len(ahead) <= len(before)
    assert count_distinct(
        Packed.concatenate([ahead, after]), CONTEXT, latest_only=True
    ) == count_distinct(Packed.concatenate([before, after]), CONTEXT, latest_only=True)
