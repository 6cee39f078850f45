from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from ancrage.core.health import report as health_report
from ancrage.core.home import panels_for
from ancrage.core.models import Territory
from ancrage.core.search import search_all


@require_GET
def home(request):
    """The panels that concern the person asking (``ancrage.core.home``): a counsellor's day, a
    residence's week, a funder's programs, the operator's desk…"""
    return render(
        request,
        "core/home.html",
        {"membership": request.membership, "panels": panels_for(request)},
    )


@require_GET
def search(request):
    """The header's search: people, residences and units, partners — each app's own results
    (``ancrage.core.search``), for the current organization."""
    query = request.GET.get("q", "").strip()[:100]
    groups = search_all(request, query) if len(query) >= 2 else []
    return render(
        request,
        "core/search.html",
        {"query": query, "groups": groups, "too_short": 0 < len(query) < 2},
    )


@require_GET
def commune_search(request):
    """Suggestions for commune fields (an htmx fragment of ``<option>``)."""
    query = request.GET.get("commune") or request.GET.get("q") or ""
    communes = Territory.objects.communes().search(query).order_by("-population", "name")[:15]
    return render(request, "core/_commune_options.html", {"communes": communes})


@require_GET
def favicon(request):
    """For browsers and tools that ask for /favicon.ico without reading the page's icon link (the
    address is resolved per request: the static files' manifest exists only once collected)."""
    return redirect(static("ancrage/favicon.svg"), permanent=True)


@require_GET
def health(request):
    """For load balancers and monitoring: the database answers, and — where tasks go through the
    database — a worker beat recently (``ANCRAGE_WORKER_SILENCE_SECONDS``) and how long the oldest
    queued task has waited. 503 when the worker is silent: runs would wait at 0 % forever."""
    result, ok = health_report()
    return JsonResponse(result, status=200 if ok else 503)


def not_found(request, exception=None):
    """404: JSON under the API (an integration reads ``detail``, not an HTML page), the site's
    page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return page_not_found(request, exception)
