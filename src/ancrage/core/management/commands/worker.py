"""``ancrage worker``: django-tasks' database worker, beating a heartbeat every 30 seconds in its own
thread, so that ``/sante/`` answers 503 when no worker runs (queued tasks would wait forever)."""

from __future__ import annotations

import datetime
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ancrage.core.models import Heartbeat

WORKER = "worker"
BEAT_SECONDS = 30
DAILY = datetime.timedelta(days=1)
logger = logging.getLogger(__name__)


def beat() -> None:
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": timezone.now()})
    queue_daily_tasks()


def queue_daily_tasks() -> list[str]:
    """Queue each task of ``ANCRAGE_DAILY_TASKS`` not queued for a day (the retention run): one
    heartbeat row per task remembers when, so that several workers queue it once."""
    queued = []
    now = timezone.now()
    for path in settings.ANCRAGE_DAILY_TASKS:
        with transaction.atomic():
            last, created = Heartbeat.objects.select_for_update().get_or_create(
                name=f"daily:{path.rsplit('.', 1)[-1]}"[:40], defaults={"beat_at": now}
            )
            if not created and now - last.beat_at < DAILY:
                continue
            last.beat_at = now
            last.save(update_fields=["beat_at"])
            import_string(path).enqueue()
            queued.append(path)
    return queued


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
