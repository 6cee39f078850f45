"""The allocation engine on hand-made instances with a known optimum, and invariants on random ones."""

import math

import pytest

from ancrage.allocation.engine import Apprentice, Instance, InvalidInstance, Unit, solve
from ancrage.allocation.engine.common import check
from ancrage.allocation.engine.generator import Params, generate

# The engines are tested with a budget of work, not of time: the same search on a machine busy
# with other tests as on an idle one. The time limit is only a ceiling that is never reached.
STEPS = 10
CEILING = 120

ENGINES = ["greedy", "exact", "hybrid"]


def a(id, weeks, **kwargs):
    return Apprentice(id=id, weeks=frozenset(weeks), **kwargs)


@pytest.mark.parametrize("engine", ENGINES)
def test_complementary_rhythms_share_one_studio(engine):
    instance = Instance(
        apprentices=[a("odd", {1, 3, 5}), a("even", {0, 2, 4})],
        units=[Unit("cheap", weekly_rent=90), Unit("dear", weekly_rent=120)],
    )
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert solution.units_used == 1
    assert {unit for unit, _bed in solution.assignment.values()} == {"cheap"}
    assert solution.lower_bound == 1
    assert solution.gap == 0


def test_the_exact_engine_finds_the_optimum_greedy_misses():
    # Greedy puts the longest first (A, weeks 0–3) in a studio, then B (4–5) and C (4–5) need two
    # more; the optimum pairs A with one of them and... here by hand: A={0,1,2,3}, B={4,5}, C={4,5},
    # D={0,1}, E={2,3}: optimum 2 units (A+B, D+E+C); a greedy that opens cheapest first may use 3.
    instance = Instance(
        apprentices=[
            a("A", {0, 1, 2, 3}),
            a("B", {4, 5}),
            a("C", {4, 5}),
            a("D", {0, 1}),
            a("E", {2, 3}),
        ],
        units=[Unit(f"u{i}", weekly_rent=100 + i) for i in range(5)],
    )
    exact = solve(instance, engine="exact", time_limit=CEILING, steps=STEPS)
    check(instance, exact)
    assert exact.units_used == 2
    assert exact.optimal
    assert solve(instance, engine="hybrid", time_limit=CEILING, steps=STEPS).units_used == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_shared_flat_uses_its_beds_in_the_same_week(engine):
    instance = Instance(
        apprentices=[a(f"p{i}", {0, 1}) for i in range(3)],
        units=[
            Unit("flat", beds=3, weekly_rent=200),
            *[Unit(f"s{i}", weekly_rent=80) for i in range(3)],
        ],
    )
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert not solution.unhoused
    # Housing everyone comes first; then the least rent: three studios cost 240, the flat 200.
    if engine != "greedy":
        assert {unit for unit, _bed in solution.assignment.values()} == {"flat"}


@pytest.mark.parametrize("engine", ENGINES)
def test_eligibility_distance_accessibility_and_not_sharing_are_respected(engine):
    instance = Instance(
        apprentices=[
            a("far", {0}, x=100, y=0, max_km=5),
            a("wheelchair", {1}, needs_accessible=True),
            a("alone", {2}, shares=False),
            a("other", {3}),
        ],
        units=[Unit("near", x=0, y=0), Unit("ramp", accessible=True, weekly_rent=150)],
    )
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert solution.unhoused == ["far"]
    assert solution.assignment["wheelchair"][0] == "ramp"
    alone_unit = solution.assignment["alone"][0]
    assert [p for p, (u, _b) in solution.assignment.items() if u == alone_unit] == ["alone"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rerun_with_unchanged_calendars_keeps_everyone_in_place(engine):
    import dataclasses

    instance = generate(Params(apprentices=40, schools=1), seed=3)
    first = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    placed = Instance(
        apprentices=[
            dataclasses.replace(x, current_unit=first.assignment.get(x.id, (None, 0))[0])
            for x in instance.apprentices
        ],
        units=instance.units,
    )
    again = solve(placed, engine=engine, time_limit=CEILING, steps=STEPS)
    check(placed, again)
    assert again.moves == 0
    assert {k: v[0] for k, v in again.assignment.items()} == {
        k: v[0] for k, v in first.assignment.items()
    }


def test_when_a_calendar_changes_only_the_conflicting_apprentice_moves():
    import dataclasses

    instance = Instance(
        apprentices=[
            a("x", {0, 2}, current_unit="u1"),
            a("y", {1, 3}, current_unit="u1"),
            a("z", {0, 1}, current_unit="u2"),
        ],
        units=[Unit("u1", weekly_rent=90), Unit("u2", weekly_rent=90), Unit("u3", weekly_rent=90)],
    )
    # y's school now also needs week 2: y and x collide in u1; one of them must move.
    changed = Instance(
        apprentices=[
            dataclasses.replace(instance.apprentices[1], weeks=frozenset({1, 2, 3})),
            instance.apprentices[0],
            instance.apprentices[2],
        ],
        units=instance.units,
    )
    solution = solve(changed, engine="hybrid", time_limit=CEILING, steps=STEPS)
    check(changed, solution)
    assert not solution.unhoused
    assert solution.moves == 1


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("engine", ENGINES)
def test_invariants_on_random_instances_and_never_worse_than_greedy(engine, seed):
    instance = generate(Params(apprentices=60, schools=2), seed=seed)
    greedy = solve(instance, engine="greedy")
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert len(solution.unhoused) <= len(greedy.unhoused)
    if len(solution.unhoused) == len(greedy.unhoused):
        assert solution.rent <= greedy.rent + 1e-6
    assert solution.units_used >= solution.lower_bound or solution.unhoused


def test_the_generator_is_reproducible():
    one = generate(Params(apprentices=30), seed=7)
    two = generate(Params(apprentices=30), seed=7)
    assert [x.weeks for x in one.apprentices] == [x.weeks for x in two.apprentices]
    assert [u.weekly_rent for u in one.units] == [u.weekly_rent for u in two.units]


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        (Instance([a("x", set())], [Unit("u")]), "aucune semaine"),
        (Instance([a("x", {1}), a("x", {2})], [Unit("u")]), "en double"),
        (Instance([a("x", {1})], [Unit("u", beds=0)]), "au moins un lit"),
        (Instance([a("x", {1})], [Unit("u", weekly_rent=-1)]), "loyer négatif"),
    ],
)
def test_malformed_input_is_refused_with_a_clear_message(instance, message):
    with pytest.raises(InvalidInstance, match=message):
        solve(instance, engine="greedy")


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="Moteur inconnu"):
        solve(Instance([], []), engine="magic")


def test_nobody_eligible_gives_everyone_unhoused_and_no_unit():
    instance = Instance([a("x", {1}, x=500, max_km=1)], [Unit("u")])
    solution = solve(instance, engine="hybrid", time_limit=CEILING, steps=STEPS)
    assert (solution.unhoused, solution.units_used, solution.lower_bound) == (["x"], 0, 0)


def test_explanations_say_who_shares_and_why_someone_is_unhoused():
    from ancrage.allocation.engine.explain import explain

    instance = Instance(
        apprentices=[
            a("x", {37, 38, 41}, x=0, y=0),
            a("y", {39, 40}, x=1.2, y=0),
            a("z", {37, 39}, x=0, y=0),
            a("far", {1}, x=100, max_km=5, needs_accessible=True),
        ],
        units=[Unit("T1-01", x=1.2, y=0)],
    )
    solution = solve(instance, engine="exact", time_limit=CEILING, steps=STEPS)
    reasons = explain(instance, solution)
    assert reasons["x"] == (
        "T1-01 partagé avec y (semaines 39–40) : sans semaine commune ; "
        "à 1.2 km du lieu de formation."
    )
    assert reasons["z"].startswith(
        "Plus de demandes que de lits les semaines 37 (2 pour 1 lit), 39 (2 pour 1 lit) ; "
        "au plus près : T1-01, libre 0 de ses 2 semaines, pris les semaines 37, 39"
    )
    assert reasons["far"] == "Aucun logement accessible à moins de 5 km du lieu de formation."


def test_explanations_name_the_complementary_rhythms_of_those_who_share():
    from ancrage.allocation.engine.explain import explain

    instance = Instance(
        apprentices=[
            a("Lina", {0, 1, 4, 5}, rhythm="2/2"),
            a("Hugo", {2, 6}, rhythm="1/3"),
            a("Inès", {3, 7}, rhythm="1/3"),
        ],
        units=[Unit("B12", x=0.8)],
    )
    solution = solve(instance, engine="exact", time_limit=CEILING, steps=STEPS)
    reasons = explain(instance, solution)
    assert reasons["Lina"] == (
        "B12 partagé avec Hugo et Inès : rythmes complémentaires 2/2, 1/3 et 1/3, "
        "sans semaine commune ; à 0.8 km du lieu de formation."
    )
    assert reasons["Hugo"].startswith(
        "B12 partagé avec Inès et Lina : rythmes complémentaires 1/3,"
    )


def test_explanations_list_the_weeks_of_a_partner_on_a_school_calendar():
    from ancrage.allocation.engine.explain import explain

    instance = Instance(
        apprentices=[
            a("Lina", {0, 1, 4, 5}, rhythm="2/2"),
            a("Yanis", {2, 3, 7}, rhythm="calendrier « BTS MCO »"),
        ],
        units=[Unit("B12")],
    )
    solution = solve(instance, engine="exact", time_limit=CEILING, steps=STEPS)
    reasons = explain(instance, solution, distances=False)
    assert reasons["Lina"] == (
        "B12 partagé avec Yanis (calendrier « BTS MCO », semaines 2–3, 7) : sans semaine commune."
    )
    assert (
        reasons["Yanis"] == "B12 partagé avec Lina (2/2, semaines 0–1, 4–5) : sans semaine commune."
    )


def test_three_apprentices_who_pairwise_collide_need_three_units_though_no_week_has_three():
    # A and B meet in week 2, B and C in week 3, A and C in week 1: the busiest week has two
    # people, yet no two of them can share a bed. The bound sees it; every engine uses three.
    instance = Instance(
        apprentices=[a("A", {1, 2}), a("B", {2, 3}), a("C", {1, 3})],
        units=[Unit(f"s{i}", weekly_rent=90 + i) for i in range(4)],
    )
    for engine in ENGINES:
        solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
        check(instance, solution)
        assert (solution.units_used, solution.lower_bound, solution.gap) == (3, 3, 0)


def test_apprentices_with_no_unit_in_common_cannot_share_even_on_different_weeks():
    # X may only live in "west", Y only in "east"; Z in either. Each week has one person, but X
    # and Y can never share: at least two units, and two are enough (Z joins one of them).
    instance = Instance(
        apprentices=[
            a("X", {1}, x=0, max_km=6),
            a("Y", {2}, x=20, max_km=6),
            a("Z", {3}, x=10, max_km=6),
        ],
        units=[Unit("west", x=5), Unit("east", x=15)],
    )
    solution = solve(instance, engine="hybrid", time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert (solution.units_used, solution.lower_bound) == (2, 2)


def test_the_bound_counts_only_the_apprentices_the_solution_houses():
    from ancrage.allocation.engine.bound import LowerBound
    from ancrage.allocation.engine.common import clusters, eligibility

    instance = Instance(
        apprentices=[a("A", {1, 2}), a("B", {2, 3}), a("C", {1, 3})],
        units=[Unit("s1"), Unit("s2"), Unit("flat", beds=2)],
    )
    eligible = eligibility(instance)
    bound = LowerBound(clusters(instance, eligible), eligible)
    # Three beds: the flat and a studio; two people: the flat alone has two beds.
    assert bound.units_for({"A", "B", "C"}) == 2
    assert bound.units_for({"A", "B"}) == 1
    assert bound.units_for(set()) == 0


def test_opening_by_rent_per_bed_fills_a_shared_flat_rather_than_cheaper_studios():
    from ancrage.allocation.engine.common import eligibility
    from ancrage.allocation.engine.greedy import greedy

    instance = Instance(
        apprentices=[a(f"p{i}", {0, 1}) for i in range(3)],
        units=[
            Unit("flat", beds=3, weekly_rent=120),
            *[Unit(f"s{i}", weekly_rent=90) for i in range(3)],
        ],
    )
    eligible = eligibility(instance)
    first_fit = greedy(instance, eligible)
    per_bed = greedy(instance, eligible, per_bed=True)
    assert {u for u, _b in first_fit.assignment.values()} == {"s0", "s1", "s2"}
    assert {u for u, _b in per_bed.assignment.values()} == {"flat"}


def test_the_neighbourhood_search_moves_someone_to_house_an_apprentice_left_out():
    from ancrage.allocation.engine.common import eligibility
    from ancrage.allocation.engine.greedy import greedy
    from ancrage.allocation.engine.lns import improve_by_neighbourhoods

    # Greedy places the longest stay first, in the cheapest unit: the only accessible one. The
    # wheelchair user then finds it taken; moving the walker to the other unit houses both.
    instance = Instance(
        apprentices=[
            a("walker", {1, 2, 3}),
            a("wheelchair", {1, 2}, needs_accessible=True),
        ],
        units=[Unit("ramp", accessible=True, weekly_rent=80), Unit("plain", weekly_rent=95)],
    )
    eligible = eligibility(instance)
    packing = greedy(instance, eligible)
    assert "wheelchair" not in packing.assignment
    improve_by_neighbourhoods(packing, math.inf, max_steps=STEPS)
    assert packing.assignment["wheelchair"][0] == "ramp"
    assert packing.assignment["walker"][0] == "plain"


@pytest.mark.parametrize("seed", range(3))
def test_the_neighbourhood_search_never_makes_a_packing_worse(seed):
    from ancrage.allocation.engine.common import eligibility, score
    from ancrage.allocation.engine.greedy import greedy
    from ancrage.allocation.engine.lns import improve_by_neighbourhoods

    instance = generate(Params(apprentices=80, schools=2), seed=seed)
    eligible = eligibility(instance)
    packing = greedy(instance, eligible)
    before = score(instance, "greedy", packing.assignment, lower=0, seconds=0)
    improve_by_neighbourhoods(packing, math.inf, seed=seed, max_steps=STEPS)
    after = score(instance, "lns", packing.assignment, lower=0, seconds=0)
    check(instance, after)
    assert len(after.unhoused) <= len(before.unhoused)
    if len(after.unhoused) == len(before.unhoused):
        assert after.rent <= before.rent + 1e-6


def test_eligibility_keeps_the_nearest_units_within_reach_cheapest_first(monkeypatch):
    from ancrage.allocation.engine import common

    monkeypatch.setattr(common, "NEAREST", 2)
    instance = Instance(
        apprentices=[
            a("me", {1}, x=0, max_km=10),
            a("ramp", {1}, x=0, max_km=10, needs_accessible=True),
        ],
        units=[
            Unit("near-dear", x=1, weekly_rent=130),
            Unit("mid-cheap", x=3, weekly_rent=85, accessible=True),
            Unit("far-cheapest", x=8, weekly_rent=70),
            Unit("out-of-reach", x=11, weekly_rent=60, accessible=True),
        ],
    )
    eligible = common.eligibility(instance)
    assert eligible["me"] == ["mid-cheap", "near-dear"]
    assert eligible["ramp"] == ["mid-cheap"]


def test_clusters_split_apprentices_who_can_never_meet():
    from ancrage.allocation.engine.common import clusters, eligibility

    instance = Instance(
        apprentices=[a("n1", {1}, x=0), a("n2", {2}, x=1), a("s1", {1}, x=500)],
        units=[Unit("north", x=0), Unit("south", x=500), Unit("nowhere", x=-900)],
    )
    eligible = eligibility(instance)
    from_indexes = clusters(instance, eligible)
    from_lists = clusters(instance, dict(eligible))
    for parts in (from_indexes, from_lists):
        groups = sorted(
            (sorted(x.id for x in p.apprentices), sorted(u.id for u in p.units)) for p in parts
        )
        assert groups == [([], ["nowhere"]), (["n1", "n2"], ["north"]), (["s1"], ["south"])]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_placed_apprentice_keeps_their_bed_rather_than_give_it_to_a_newcomer(engine):
    # One studio, two apprentices with the same weeks: housing either costs the same. The one who
    # already lives there stays; losing one's home counts as a move.
    instance = Instance(
        apprentices=[a("newcomer", {1, 2}), a("tenant", {1, 2}, current_unit="studio")],
        units=[Unit("studio")],
    )
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    assert solution.assignment == {"tenant": ("studio", 0)}
    assert (solution.unhoused, solution.moves) == (["newcomer"], 0)


@pytest.mark.parametrize("engine", ["exact", "hybrid"])
def test_progress_is_reported_as_the_share_of_the_time_limit_spent(engine):
    # A run lasts its whole time limit: the page's bar must move meanwhile, not jump at the end.
    instance = generate(Params(apprentices=300, schools=3), seed=4)
    shares = []
    solve(instance, engine=engine, time_limit=4, progress=shares.append)
    # Once the input is read, then at least every second while CP-SAT logs or the search steps.
    assert len(shares) >= 2
    assert shares == sorted(shares)
    assert 0 <= shares[0] < 0.5 and 0.5 < shares[-1] <= 1.0


def test_a_region_too_large_for_one_matrix_gets_a_clique_tile_by_tile_that_is_still_a_clique():
    import numpy as np

    from ancrage.allocation.engine import bound
    from ancrage.allocation.engine.common import eligibility

    instance = generate(Params(apprentices=600, schools=12, region_km=60), seed=5)
    eligible = eligibility(instance)
    housable = [p for p in instance.apprentices if eligible[p.id]]
    tiles = bound._tiles(housable, 100)
    assert len(tiles) == 8 and max(len(t) for t in tiles) <= 100
    # Each tile's clique alone is valid, but joined as they are, members near the borders of two
    # tiles could share a bed: the join must drop them.
    joined = set().union(*(bound.largest_clique_found(t, eligible) for t in tiles))
    clique = bound.clique_by_tiles(housable, eligible, size=100)
    graph = bound.conflicts(housable, eligible)
    index = {p.id: i for i, p in enumerate(housable)}

    def is_clique(ids):
        rows = [index[i] for i in ids]
        sub = graph[np.ix_(rows, rows)]
        return bool((sub | np.eye(len(rows), dtype=bool)).all())

    assert not is_clique(joined)
    assert is_clique(clique)
    assert 0.5 * len(joined) < len(clique) < len(joined)


@pytest.mark.parametrize("engine", ["exact", "hybrid"])
def test_at_equal_rent_the_unit_that_leaves_no_bed_empty_is_chosen(engine):
    # Ana and Bao alternate: one bed is enough. A flat of two beds costs the same as the studio,
    # but its second bed would stay empty all year: the third objective picks the studio.
    instance = Instance(
        apprentices=[a("Ana", {0, 1, 4, 5}), a("Bao", {2, 3, 6, 7})],
        units=[Unit("T2", beds=2, weekly_rent=100), Unit("T1", weekly_rent=100)],
    )
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert {unit for unit, _bed in solution.assignment.values()} == {"T1"}
    assert (solution.units_used, solution.empty_bed_weeks) == (1, 0)


def test_a_huge_rent_does_not_crowd_out_the_empty_bed_weeks():
    # Empty bed-weeks are minimised in a second phase, not weighted under the rent in one
    # objective: a rent total near 64 bits leaves them counted all the same.
    instance = Instance(
        apprentices=[a("Ana", {0, 1}), a("Bao", {2, 3})],
        units=[Unit("T2", beds=2, weekly_rent=1e12), Unit("T1", weekly_rent=1e12)],
    )
    solution = solve(instance, engine="exact", time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert solution.units_used == 1 and not solution.unhoused
    assert {unit for unit, _bed in solution.assignment.values()} == {"T1"}


@pytest.mark.parametrize("engine", ["exact", "hybrid"])
def test_a_placed_pair_is_not_moved_only_to_leave_fewer_beds_empty(engine):
    # Ana and Bao live in the T2; the studio at the same rent would leave no bed empty, but an
    # empty bed-week costs nothing and a move costs them their home: they stay.
    instance = Instance(
        apprentices=[
            a("Ana", {0, 1, 4, 5}, current_unit="T2"),
            a("Bao", {2, 3, 6, 7}, current_unit="T2"),
        ],
        units=[Unit("T2", beds=2, weekly_rent=100), Unit("T1", weekly_rent=100)],
    )
    solution = solve(instance, engine=engine, time_limit=CEILING, steps=STEPS)
    check(instance, solution)
    assert {unit for unit, _bed in solution.assignment.values()} == {"T2"}
    assert solution.moves == 0
