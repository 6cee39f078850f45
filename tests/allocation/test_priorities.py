"""When not everyone fits, the waiting list's ranking decides who is left out (issue 24): on every
engine, for the run of a residence, with a simulation that ignores it; savings counted on the
weeks the engine plans, whatever weekday the period ends."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.allocation.engine import Apprentice, Instance, Unit, solve
from ancrage.allocation.engine.common import check, eligibility, honour_priorities
from ancrage.allocation.services import start_run
from ancrage.housing import services as housing
from tests.housing.factories import BedFactory, ResidenceFactory, UnitFactory
from tests.people.factories import PersonFactory

WEEKS = frozenset(range(10))


def _three_for_two_beds(*, ranked: bool = True) -> Instance:
    """Zoé is first on the waiting list, Bao second, Ana third; one flat of two beds; all three
    present every week. By their ids alone, an engine would keep Ana and Bao."""
    people = [
        Apprentice(id="ana", weeks=WEEKS, priority=3 if ranked else 0),
        Apprentice(id="bao", weeks=WEEKS, priority=2 if ranked else 0),
        Apprentice(id="zoe", weeks=WEEKS, priority=1 if ranked else 0),
    ]
    return Instance(apprentices=people, units=[Unit(id="T2", beds=2, weekly_rent=150)])


@pytest.mark.parametrize("engine", ["greedy", "exact", "hybrid"])
def test_the_lowest_ranked_is_left_out_on_every_engine(engine):
    instance = _three_for_two_beds()
    solution = solve(instance, engine=engine, time_limit=10, steps=20)
    check(instance, solution)
    assert solution.unhoused == ["ana"]
    assert sorted(solution.assignment) == ["bao", "zoe"]


def test_without_priorities_the_best_ranked_may_be_the_one_left_out():
    solution = solve(_three_for_two_beds(ranked=False), engine="greedy", time_limit=5)
    assert solution.unhoused == ["zoe"]  # the order of the ids decided: why ranks are needed


@pytest.mark.parametrize("engine", ["exact", "hybrid"])
def test_a_rerun_with_unchanged_data_moves_nobody(engine):
    instance = _three_for_two_beds()
    first = solve(instance, engine=engine, time_limit=10, steps=20)
    again = Instance(
        apprentices=[
            Apprentice(
                id=a.id,
                weeks=a.weeks,
                current_unit=first.assignment[a.id][0] if a.id in first.assignment else None,
                priority=0 if a.id in first.assignment else a.priority,
            )
            for a in instance.apprentices
        ],
        units=instance.units,
    )
    second = solve(again, engine=engine, time_limit=10, steps=20)
    assert second.moves == 0
    assert second.unhoused == first.unhoused == ["ana"]


def test_a_better_ranked_person_takes_the_bed_of_a_worse_ranked_one_only_if_it_fits():
    instance = Instance(
        apprentices=[
            Apprentice(id="first", weeks=frozenset({0, 1}), priority=1),
            Apprentice(id="second", weeks=frozenset({0, 1}), priority=2),
            Apprentice(id="third", weeks=frozenset({2, 3}), priority=3),
            # Ranked after, but on weeks the first could not take from them.
            Apprentice(id="fourth", weeks=frozenset({4}), priority=4),
        ],
        units=[Unit(id="S", beds=1)],
    )
    eligible = eligibility(instance)
    honoured = honour_priorities(
        instance, eligible, {"second": ("S", 0), "third": ("S", 0), "fourth": ("S", 0)}
    )
    # « first » takes the bed of the lowest ranked whose leaving makes room: « second » (same
    # weeks); « third » and « fourth » keep theirs.
    assert honoured == {"first": ("S", 0), "third": ("S", 0), "fourth": ("S", 0)}


# --- A residence's run ----------------------------------------------------------------------

SEPT = datetime.date(2026, 9, 7)  # a Monday


def _apply(world, residence, first_name, template="1/1", offset=0):
    person = PersonFactory(organization=world.org, first_name=first_name, last_name="Alternant")
    rhythm = housing.create_rhythm(
        person=person,
        name="BTS",
        template=template,
        first_school_week=SEPT + datetime.timedelta(weeks=offset),
        ends_on=datetime.date(2027, 7, 2),
        actor=world.owner,
    )
    return housing.submit_application(
        residence=residence, person=person, wished_from=SEPT, rhythm=rhythm, actor=world.owner
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("ignore", [False, True])
def test_the_run_leaves_out_the_last_on_the_waiting_list(client, world, ignore):
    residence = ResidenceFactory(organization=world.org, name="Résidence Carnot")
    flat = UnitFactory(residence=residence, reference="T2-01", weekly_price=150)
    BedFactory(unit=flat, label="A")
    BedFactory(unit=flat, label="B")
    # Applied in this order: Zoé is first on the list (seniority, then date), Ana last.
    for name in ("Zoé", "Bao", "Ana"):
        _apply(world, residence, name)
    client.force_login(world.owner)
    response = client.post(
        reverse("allocation:run_create", args=[residence.pk]),
        {
            "starts_on": SEPT.isoformat(),
            "ends_on": "2027-06-24",
            "engine": "exact",
            "time_limit": 5,
            **({"ignore_priorities": "on"} if ignore else {}),
        },
    )
    assert response.status_code == 302
    page = client.get(response.url)
    run = page.context["run"]
    assert run.ignore_priorities is ignore
    unhoused = run.result["unhoused"]
    assert len(unhoused) == 1
    if not ignore:
        assert (unhoused[0]["person"], unhoused[0]["rank"]) == ("Ana ALTERNANT", 3)
        assert "rang 3 sur la liste d&#x27;attente : retirer une personne" in page.text
    else:
        assert "priorités ignorées (simulation)" in page.text
    assert run.result["metrics"]["priorities"] is not ignore


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("ends_on", "weeks"),
    [
        (datetime.date(2027, 6, 24), 42),  # a Thursday: the week of Monday 21 June is planned
        (datetime.date(2027, 6, 21), 41),  # a Monday, excluded: the last week is 14 June
        (datetime.date(2027, 6, 22), 42),  # a Tuesday
    ],
)
def test_savings_count_every_week_the_engine_plans(world, ends_on, weeks):
    residence = ResidenceFactory(organization=world.org)
    for reference in ("T1-01", "T1-02"):
        BedFactory(unit__residence=residence, unit__reference=reference, unit__weekly_price=110)
    _apply(world, residence, "Inès", "1/1", 0)
    _apply(world, residence, "Hugo", "1/1", 1)
    run = start_run(
        residence=residence, starts_on=SEPT, ends_on=ends_on, time_limit=5, actor=world.owner
    )
    run.refresh_from_db()
    metrics = run.result["metrics"]
    # Alone, each in a 110 € studio: 220 € a week; sharing one: 110 €.
    assert (metrics["units_used"], metrics["weeks"], metrics["baseline_rent"]) == (1, weeks, 220)
    assert metrics["savings"] == 110 * weeks
    assert f"sur les {weeks} semaines de la période" in metrics["baseline"]


def test_the_explanation_names_the_weeks_over_capacity_and_the_nearest_unit():
    from ancrage.allocation.engine.explain import explain

    instance = Instance(
        apprentices=[
            Apprentice(id="a", weeks=frozenset({0, 1, 2, 3}), priority=1),
            Apprentice(id="b", weeks=frozenset({0, 1, 2, 3}), priority=2),
            Apprentice(id="c", weeks=frozenset({2, 3, 4, 5}), priority=3),
        ],
        units=[Unit(id="S1"), Unit(id="S2")],
    )
    solution = solve(instance, engine="exact", time_limit=10, steps=20)
    assert solution.unhoused == ["c"] and solution.optimal
    reasons = explain(instance, solution, week_label=lambda w: f"S{w}")
    assert reasons["c"] == (
        "Plus de demandes que de lits les semaines S2 (3 pour 2 lits), S3 (3 pour 2 lits) ; "
        "au plus près : S1, libre 2 de ses 4 semaines, pris les semaines S2, S3 ; "
        "loger une personne de plus est impossible (maximum prouvé) ; "
        "rang 3 sur la liste d'attente : retirer une personne moins bien classée ne libère pas "
        "de lit pour toutes ses semaines."
    )


@pytest.mark.parametrize("engine", ["greedy", "exact", "hybrid"])
def test_a_unit_is_only_given_to_someone_present_while_it_is_in_service(engine):
    instance = Instance(
        apprentices=[
            Apprentice(id="early", weeks=frozenset({0, 1, 2})),
            Apprentice(id="late", weeks=frozenset({5, 6})),
        ],
        # The cheap studio enters service in week 4: only « late » may live there.
        units=[Unit(id="new", weekly_rent=50, weeks=frozenset(range(4, 10))), Unit(id="old")],
    )
    solution = solve(instance, engine=engine, time_limit=10, steps=20)
    check(instance, solution)
    assert solution.assignment["early"][0] == "old"
