import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, get_for_user
from ancrage.allocation import services
from ancrage.allocation.engine.model import week_runs
from ancrage.allocation.forms import RunForm, TerritoryRunForm
from ancrage.allocation.models import AllocationRun
from ancrage.core import person_facts
from ancrage.housing.models import Residence, iso_week_label
from ancrage.housing.queries import get_residence_for_user


def _get_run(user, run_id, *, write=False):
    runs = AllocationRun.objects.visible_to(user).select_related("residence", "territory")
    return get_for_user(runs, run_id, user, action="allocation.run" if write else None)


def _period_initial():
    """The school year under way (from September), as a run's default period."""
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    return {"starts_on": datetime.date(year, 9, 1), "ends_on": datetime.date(year + 1, 7, 1)}


@require_http_methods(["GET", "POST"])
def run_create(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = RunForm(request.POST or None, initial=_period_initial())
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_run(residence=residence, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("allocation:run_detail", run.pk)
    runs = list(AllocationRun.objects.filter(residence=residence).order_by("-created_at")[:10])
    return render(
        request,
        "allocation/run_form.html",
        {"residence": residence, "form": form, "runs": runs},
        status=400 if request.method == "POST" else 200,
    )


def _week_ranges(mondays) -> str:
    """Consecutive weeks as ranges: "S37–S38 2026, S41–S42 2026, S52 2026–S01 2027"."""
    labels = []
    # Day 1 of the proleptic calendar is a Monday: a Monday's ordinal is 7n + 1.
    for first, last in week_runs((monday.toordinal() - 1) // 7 for monday in mondays):
        first, last = (datetime.date.fromordinal(7 * n + 1) for n in (first, last))
        if first == last:
            labels.append(iso_week_label(first))
        elif first.isocalendar()[0] == last.isocalendar()[0]:
            labels.append(f"S{first.isocalendar()[1]:02d}–{iso_week_label(last)}")
        else:
            labels.append(f"{iso_week_label(first)}–{iso_week_label(last)}")
    return ", ".join(labels)


def _units(run):
    """The proposal grouped by unit: who shares it, with their weeks as ranges of ISO weeks and
    what other apps know of them (an apprentice's school and employer)."""
    groups: dict[str, list] = {}
    assignments = run.result.get("assignments", [])
    facts = person_facts.facts_for((item["person_id"] for item in assignments), run.starts_on)
    for item in assignments:
        item = dict(item)
        item["facts"] = facts.get(item["person_id"], [])
        item["week_labels"] = _week_ranges(datetime.date.fromisoformat(w) for w in item["weeks"])
        item["moves"] = bool(item["current_unit"]) and item["current_unit"] != item["unit"]
        groups.setdefault(item["unit"], []).append(item)
    return sorted(groups.items())


@require_http_methods(["GET", "POST"])
def territory_run_create(request):
    """Pack the apprentices of every residence of the manager in a territory: each may be placed in
    any residence they applied to."""
    organization = request.membership.organization
    residences = Residence.objects.filter(organization=organization)
    territories = residences.territories()
    form = TerritoryRunForm(
        request.POST or None, territories=territories, initial=_period_initial()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            run = services.start_run(organization=organization, actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("allocation:run_detail", run.pk)
    runs = list(
        AllocationRun.objects.filter(organization=organization, territory__isnull=False)
        .select_related("territory")
        .order_by("-created_at")[:10]
    )
    return render(
        request,
        "allocation/territory_run_form.html",
        {
            "form": form,
            "runs": runs,
            "territories": territories,
            "has_residences": territories or residences.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def run_detail(request, run_id):
    run = _get_run(request.user, run_id)
    context = {
        "run": run,
        "units": _units(run) if run.is_finished else [],
        "metrics": run.result.get("metrics", {}),
        "can_write": can(request.user, "allocation.run", run),
    }
    if request.htmx and not run.is_finished:
        return render(request, "allocation/_progress.html", context)
    if request.htmx:
        response = render(request, "allocation/_progress.html", context)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "allocation/run_detail.html", context)


@require_POST
def run_accept(request, run_id):
    run = _get_run(request.user, run_id, write=True)
    ids = [int(value) for value in request.POST.getlist("personne") if value.isdigit()]
    try:
        bookings = services.accept_run(run=run, person_ids=ids, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("allocation:run_detail", run.pk)
    messages.success(
        request,
        _(
            "Proposition acceptée : %(bookings_count)s réservation(s) créée(s), les autres personnes gardent leur logement."
        )
        % {"bookings_count": len(bookings)},
    )
    if run.residence_id:
        return redirect("housing:occupancy", run.residence_id)
    return redirect("allocation:run_detail", run.pk)
