"""/sante/ tells a stopped worker from an idle one (issue 15, gap 7): with tasks queued in the
database, it answers 503 when ``ancrage worker`` has not beaten recently, and says how long the oldest
queued task has waited."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ancrage.core.management.commands.worker import beat
from ancrage.core.models import Heartbeat
from ancrage.indicators.tasks import refresh_stale_indicators

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_immediate_tasks_no_worker_is_needed(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@override_settings(TASKS=DATABASE_QUEUE)
def test_no_worker_ever_started_is_a_503(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert "ancrage worker" in response.json()["status"]


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_worker_that_beat_recently_is_ok_and_a_silent_one_is_a_503(client):
    beat()
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json()["worker"]["silent_seconds"] < 5
    Heartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=6))
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json()["worker"]["silent_seconds"] >= 360


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_oldest_queued_task_is_reported(client):
    beat()
    refresh_stale_indicators.enqueue()  # nobody runs it: it waits in the queue
    report = client.get(reverse("core:health")).json()
    assert report["oldest_queued_task_seconds"] is not None
    assert report["oldest_queued_task_seconds"] >= 0


def test_the_operations_page_shows_the_state_of_the_service(db, settings, user_factory, client):
    from django.utils import timezone

    from ancrage.core.models import Heartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    operator = user_factory(is_staff=True, is_superuser=True, with_mfa=True)
    client.force_login(operator)
    page = client.get("/exploitation/")
    assert "État du service" in page.text
    assert "jamais vu : lancez « ancrage worker »" in page.text
    Heartbeat.objects.create(name="worker", beat_at=timezone.now())
    Heartbeat.objects.create(name="daily:apply_retention", beat_at=timezone.now())
    page = client.get("/exploitation/")
    assert "en service" in page.text and "dernier signe de vie il y a 0 s" in page.text
    assert "apply_retention : " in page.text
