"""The state of the service: the database, the worker's heartbeat, the oldest queued task and the
last daily runs. ``/sante/`` answers it as JSON for monitoring; the operators' admin shows it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ancrage.core.models import Heartbeat

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"
WORKER = "worker"


def report() -> tuple[dict[str, Any], bool]:
    """The report and whether all is well (False: the worker is silent, tasks would wait forever)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    result: dict[str, Any] = {"status": "ok", "database": "ok"}
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS:
        result["worker"] = "inutile (tâches exécutées immédiatement)"
        return result, True
    now = timezone.now()
    beats = dict(Heartbeat.objects.values_list("name", "beat_at"))
    beat = beats.pop(WORKER, None)
    silent = None if beat is None else int((now - beat).total_seconds())
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    result["worker"] = {
        "last_heartbeat": beat.isoformat() if beat else None,
        "silent_seconds": silent,
    }
    result["oldest_queued_task_seconds"] = (
        int((now - oldest).total_seconds()) if oldest is not None else None
    )
    result["daily_tasks"] = {
        name.removeprefix("daily:"): at.isoformat()
        for name, at in sorted(beats.items())
        if name.startswith("daily:")
    }
    if silent is None or silent > settings.ANCRAGE_WORKER_SILENCE_SECONDS:
        result["status"] = "worker silencieux : lancez « ancrage worker »"
        return result, False
    return result, True
