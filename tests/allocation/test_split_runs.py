"""A large territory run is split into its independent clusters (issue 23: the national allocation
spread across workers): each cluster is a part any worker solves, the last one solved stores the
proposal. The split proposal is the one the single-task run gives; a failing part fails the run;
nothing of the parts is left once the run is finished."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ancrage.allocation import services
from ancrage.allocation.models import AllocationPart, AllocationRun
from ancrage.allocation.services import start_run
from ancrage.allocation.tasks import solve_allocation_part
from tests.allocation.test_runs import JULY, SEPT, applicant
from tests.core.factories import TerritoryFactory
from tests.core.test_workers import DATABASE_QUEUE, drain_with_two_workers
from tests.housing.factories import BedFactory, ResidenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_clusters(world):
    """Two residences of one commune; each applicant asks for one of them only: two clusters."""
    commune = TerritoryFactory(name="Arras")
    carnot = ResidenceFactory(organization=world.org, name="Résidence Carnot", commune=commune)
    vauban = ResidenceFactory(organization=world.org, name="Résidence Vauban", commune=commune)
    for residence, prefix in ((carnot, "C"), (vauban, "V")):
        for number in (1, 2, 3):
            BedFactory(unit__residence=residence, unit__reference=f"{prefix}-0{number}")
    people = [
        applicant(world, carnot, "Ana", "2/2", 0),
        applicant(world, carnot, "Bao", "2/2", 2),
        applicant(world, carnot, "Cléa", "1/1", 0),
        applicant(world, vauban, "Dan", "1/1", 1),
        applicant(world, vauban, "Éli", "1/1", 0),
    ]
    return commune, people


def _run(world, commune) -> AllocationRun:
    run = start_run(
        territory=commune,
        organization=world.org,
        starts_on=SEPT,
        ends_on=JULY,
        time_limit=5,
        actor=world.owner,
    )
    run.refresh_from_db()
    return run


def _proposal(run: AllocationRun) -> tuple:
    result = run.result
    metrics = result["metrics"]
    return (
        sorted((a["person"], a["residence_id"]) for a in result["assignments"]),
        sorted(u["person"] for u in result["unhoused"]),
        {
            key: metrics[key]
            for key in ("apprentices", "units_used", "units_status_quo", "empty_bed_weeks")
        },
        metrics["savings"],
    )


def test_a_split_run_proposes_what_the_single_task_proposes(client, world, two_clusters, caplog):
    commune, _people = two_clusters
    with override_settings(ANCRAGE_ALLOCATION_SPLIT=10_000):
        whole = _run(world, commune)
    with override_settings(ANCRAGE_ALLOCATION_SPLIT=2), caplog.at_level(logging.INFO):
        split = _run(world, commune)
    assert (whole.status, split.status) == ("done", "done"), (whole.error, split.error)
    assert [r.__dict__.get("parts") for r in caplog.records if r.msg == "allocation run split"] == [
        2
    ]
    assert _proposal(split) == _proposal(whole)
    assert split.result["metrics"]["units_used"] == 3  # Ana with Bao, Cléa, Dan with Éli
    # Once assembled, nothing of the parts (the people's weeks) is left beside the proposal.
    assert not AllocationPart.objects.exists()
    assert split.pending is None
    client.force_login(world.owner)
    page = client.get(reverse("allocation:run_detail", args=[split.pk]))
    assert "Résidence Vauban — V-0" in page.text and "au lieu de 5" in page.text


def test_a_run_below_the_threshold_is_one_task(world, two_clusters, caplog):
    commune, _people = two_clusters
    with override_settings(ANCRAGE_ALLOCATION_SPLIT=6), caplog.at_level(logging.INFO):
        run = _run(world, commune)
    assert run.status == "done"
    assert not [r for r in caplog.records if r.msg == "allocation run split"]


def test_a_part_that_fails_fails_the_run_and_leaves_no_part(world, two_clusters, monkeypatch):
    commune, _people = two_clusters

    def broken(instance, **options):
        raise RuntimeError("solveur indisponible")

    monkeypatch.setattr(services, "solve", broken)
    with override_settings(ANCRAGE_ALLOCATION_SPLIT=2):
        run = _run(world, commune)
    assert run.status == "failed"
    assert "solveur indisponible" in run.error
    assert not AllocationPart.objects.exists()
    assert run.pending is None


def test_a_part_of_a_finished_run_is_not_solved_again(world, two_clusters, monkeypatch):
    commune, _people = two_clusters
    with override_settings(ANCRAGE_ALLOCATION_SPLIT=2):
        run = _run(world, commune)
    calls = []
    monkeypatch.setattr(services, "solve", lambda *a, **k: calls.append(a))
    part = AllocationPart.objects.create(run=run, position=9, instance={}, time_limit=1)
    services.solve_part(part.pk)
    services.solve_part(10**9)  # a part deleted meanwhile
    assert calls == []
    run.refresh_from_db()
    assert run.status == "done"


@override_settings(TASKS=DATABASE_QUEUE, ANCRAGE_ALLOCATION_SPLIT=2)
def test_two_workers_solve_the_parts_of_a_run_each_once(world):
    """On PostgreSQL, two ``ancrage worker`` processes drain the parts of a split run from one
    queue: each part is solved once, the proposal is stored once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: one worker per database file (docs/deploy.md)")
    commune = TerritoryFactory(name="Arras")
    names = ["Ana", "Bao", "Cléa", "Dan", "Éli", "Fanny"]
    for number, name in enumerate(names):
        residence = ResidenceFactory(
            organization=world.org, name=f"Résidence {number}", commune=commune
        )
        BedFactory(unit__residence=residence, unit__reference=f"R{number}")
        applicant(world, residence, name, "2/2", number % 2 * 2)
    run = _run(world, commune)  # queued: the database queue runs nothing by itself
    services.execute_run(run.pk)  # what the first worker does: the run split into six parts
    assert AllocationPart.objects.filter(run=run).count() == len(names)
    drain_with_two_workers()
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert len(run.result["assignments"]) == len(names)
    parts = DBTaskResult.objects.filter(task_path=solve_allocation_part.module_path)
    assert parts.count() == len(names)
    assert set(parts.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for ids in parts.values_list("worker_ids", flat=True))
    assert not AllocationPart.objects.exists()
