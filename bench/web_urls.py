"""The application's addresses and the benchmark's floor: a minimal Django view rendering 50 rows
from one query, behind the same middleware and session as the pages it is compared with."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from ancrage.people.models import Person

FLOOR = engines["django"].from_string(
    "<!doctype html><html lang='fr'><title>Plancher</title><table>"
    "{% for p in rows %}<tr><td>{{ p.last_name }}</td><td>{{ p.first_name }}</td>"
    "<td>{{ p.birth_date|date:'d/m/Y' }}</td><td>{{ p.created_at|date:'d/m/Y H:i' }}</td></tr>"
    "{% endfor %}</table></html>"
)


def floor(request):
    rows = Person.objects.order_by("pk")[:50]
    return HttpResponse(FLOOR.render({"rows": rows}, request))


urlpatterns = [
    path("banc/plancher/", floor, name="bench_floor"),
    path("", include("ancrage.urls")),
]
