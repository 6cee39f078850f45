from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from django_tasks_db.models import DBTaskResult

from ancrage.core.models import Heartbeat, Territory

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"


@require_GET
def home(request):
    """The home page adapts to the role in the current organization (see ``core/home.html``)."""
    return render(request, "core/home.html", {"membership": request.membership})


@require_GET
def commune_search(request):
    """Suggestions for commune fields (an htmx fragment of ``<option>``)."""
    query = request.GET.get("commune") or request.GET.get("q") or ""
    communes = Territory.objects.communes().search(query).order_by("-population", "name")[:15]
    return render(request, "core/_commune_options.html", {"communes": communes})


@require_GET
def health(request):
    """For load balancers and monitoring: the database answers, and — where tasks go through the
    database — a worker beat recently (``ANCRAGE_WORKER_SILENCE_SECONDS``) and how long the oldest
    queued task has waited. 503 when the worker is silent: runs would wait at 0 % forever."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    report: dict[str, object] = {"status": "ok", "database": "ok"}
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS:
        report["worker"] = "inutile (tâches exécutées immédiatement)"
        return JsonResponse(report)
    now = timezone.now()
    beat = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    silent = None if beat is None else int((now - beat).total_seconds())
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    report["worker"] = {
        "last_heartbeat": beat.isoformat() if beat else None,
        "silent_seconds": silent,
    }
    report["oldest_queued_task_seconds"] = (
        int((now - oldest).total_seconds()) if oldest is not None else None
    )
    if silent is None or silent > settings.ANCRAGE_WORKER_SILENCE_SECONDS:
        report["status"] = "worker silencieux : lancez « ancrage worker »"
        return JsonResponse(report, status=503)
    return JsonResponse(report)


def not_found(request, exception=None):
    """404: JSON under the API (an integration reads ``detail``, not an HTML page), the site's
    page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return page_not_found(request, exception)
