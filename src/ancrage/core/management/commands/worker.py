"""``ancrage worker``: django-tasks' database worker, beating a heartbeat every 30 seconds in its own
thread, so that ``/sante/`` answers 503 when no worker runs (queued tasks would wait forever)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ancrage.core.models import Heartbeat

WORKER = "worker"
BEAT_SECONDS = 30
logger = logging.getLogger(__name__)


def beat() -> None:
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": timezone.now()})


def _beat_until(stopped: threading.Event) -> None:
    try:
        while not stopped.is_set():
            try:
                beat()
            except Exception:
                logger.exception("worker heartbeat failed")  # the next beat tries again
            stopped.wait(BEAT_SECONDS)
    finally:
        connection.close()


class Command(DbWorkerCommand):
    help = "Exécute les tâches de fond (allocation, actualisation des indicateurs…)."

    def handle(self, *args: Any, **options: Any) -> None:
        stopped = threading.Event()
        thread = threading.Thread(target=_beat_until, args=(stopped,), daemon=True, name="beat")
        thread.start()
        logger.info("worker started", extra={"beat_seconds": BEAT_SECONDS})
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
            thread.join(timeout=5)
