"""Past one process (issue 23): two ``ancrage worker`` processes drain one queue on PostgreSQL, each
task run exactly once (django-tasks' database backend claims a task with SELECT … FOR UPDATE SKIP
LOCKED)."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from ancrage.core.models import Heartbeat
from tests.core.worker_tasks import record_run

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASKS = 200


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"


def drain_with_two_workers() -> None:
    """Two ``ancrage worker --batch`` processes on this test's database drain its queue."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ancrage.settings.dev",
        "ANCRAGE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": _database_url(),
        "ANCRAGE_INDICATORS_AUTO_REFRESH": "0",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "ancrage.cli", "worker", "--batch", "--interval", "0.05"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors[-2000:]


@override_settings(TASKS=DATABASE_QUEUE)
def test_two_workers_run_each_of_200_queued_tasks_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: one worker per database file (docs/deploy.md)")
    for number in range(TASKS):
        record_run.enqueue(number)
    drain_with_two_workers()
    results = DBTaskResult.objects.filter(task_path=record_run.module_path)
    assert results.count() == TASKS
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Heartbeat.objects.filter(name__startswith="run-").count() == TASKS
    # Both took their share, and no task was claimed by two workers.
    claims = [ids for ids in results.values_list("worker_ids", flat=True)]
    assert all(len(ids) == 1 for ids in claims)
    assert len({ids[0] for ids in claims}) == 2
