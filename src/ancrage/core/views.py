from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ancrage.core.models import Territory


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
    """For load balancers and monitoring: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
