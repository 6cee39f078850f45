"""A task for the multi-worker test: it leaves one row per run, under a unique name, so that a task
run twice fails instead of passing unseen."""

import time

from django.utils import timezone
from django_tasks import task

from ancrage.core.models import Heartbeat


@task()
def record_run(number: int) -> None:
    time.sleep(0.01)  # long enough for the two workers to overlap
    Heartbeat.objects.create(name=f"run-{number}", beat_at=timezone.now())
