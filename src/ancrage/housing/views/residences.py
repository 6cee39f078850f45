import csv
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.core.listing import neutralise
from ancrage.core.signals import list_read
from ancrage.housing import services
from ancrage.housing.enums import ResidenceKind
from ancrage.housing.forms import (
    ChargesForm,
    OccupancyPeriodForm,
    PairingForm,
    ResidenceForm,
    SpaceForm,
    StaffSlotForm,
    SurveyForm,
    UnitForm,
    UnitServiceForm,
)
from ancrage.housing.models import RequestStatus, Residence, Unit, iso_week_label, monday_of
from ancrage.housing.queries import (
    get_residence_for_user,
    occupancy_between,
    occupancy_grid,
    school_year_of,
)
from ancrage.people.models import Person

GRID_WEEKS = 12


@require_GET
def residence_list(request):
    organization = request.membership.organization
    residences = list(
        Residence.objects.visible_to(request.user)
        .filter(organization=organization)
        .select_related("commune")
        .annotate(unit_count=Count("units", distinct=True), bed_count=Count("units__beds"))
        .order_by("name", "id")
    )
    return render(request, "housing/residence_list.html", {"residences": residences})


@require_http_methods(["GET", "POST"])
def residence_create(request):
    organization = request.membership.organization
    form = ResidenceForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            residence = services.create_residence(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Résidence créée : %(residence)s. Ajoutez ses logements.")
                % {"residence": residence},
            )
            return redirect("housing:residence_detail", residence.pk)
    return render(request, "housing/residence_form.html", {"form": form})


def _period(request, residence) -> tuple[OccupancyPeriodForm, datetime.date, datetime.date]:
    """The occupancy period asked for (« du », « au »), else the current school year for an
    apprentices' residence and the calendar year for the others."""
    today = timezone.localdate()
    if residence.kind == "apprentices":
        start, end = school_year_of(today)
    else:
        start, end = datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 1, 1)
    form = OccupancyPeriodForm(request.GET if "du" in request.GET else None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["du"], form.cleaned_data["au"]
    elif not form.is_bound:
        form = OccupancyPeriodForm(initial={"du": start, "au": end})
    return form, start, end


def render_residence(
    request,
    residence,
    *,
    unit_form=None,
    service_forms=None,
    space_form=None,
    survey_form=None,
    slot_form=None,
    pairing_form=None,
    status=200,
):
    can_write = can(request.user, "housing.manage", residence)
    units = list(residence.units.annotate(bed_count=Count("beds")).order_by("reference", "id"))
    period_form, start, end = _period(request, residence)
    if can_write:
        for unit in units:
            unit.service_form = (service_forms or {}).get(unit.pk) or UnitServiceForm(
                prefix=f"service-{unit.pk}",
                initial={
                    "in_service_on": unit.in_service_on,
                    "out_of_service_on": unit.out_of_service_on,
                },
            )
    spaces = list(residence.spaces.order_by("-is_active", "name", "id"))
    pairings = list(
        residence.pairings.current().select_related("senior", "junior").order_by("started_on", "id")
    )
    list_read(
        model=Person,
        records=[p for pair in pairings for p in (pair.senior, pair.junior)],
        actor=request.user,
    )
    return render(
        request,
        "housing/residence_detail.html",
        {
            "residence": residence,
            "units": units,
            "spaces": spaces,
            "can_write": can_write,
            "unit_form": (unit_form or UnitForm()) if can_write else None,
            "space_form": (space_form or SpaceForm(prefix="space")) if can_write else None,
            "surveys": list(residence.surveys.order_by("-year", "id")),
            "staff_slots": list(residence.staff_slots.order_by("weekday", "starts", "id")),
            "slot_form": (slot_form or StaffSlotForm(prefix="slot")) if can_write else None,
            "open_requests": residence.requests.exclude(status=RequestStatus.DONE).count(),
            "pairings": pairings,
            "pairing_form": (
                pairing_form
                or PairingForm(
                    prefix="pair", user=request.user, organization=residence.organization
                )
            )
            if can_write and residence.kind == ResidenceKind.INTERGENERATIONAL
            else None,
            "today": timezone.localdate(),
            "survey_form": (survey_form or _new_survey_form()) if can_write else None,
            "charges_form": ChargesForm(initial={"through": timezone.localdate().replace(day=1)})
            if can_write and units
            else None,
            "period_form": period_form,
            "occupancy": occupancy_between(residence, start, end),
            "period_query": urlencode({"du": start.isoformat(), "au": end.isoformat()}),
        },
        status=400 if period_form.errors else status,
    )


def _new_survey_form() -> SurveyForm:
    today = timezone.localdate()
    return SurveyForm(
        prefix="survey",
        initial={
            "year": today.year,
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=30),
        },
    )


@require_GET
def residence_detail(request, residence_id):
    return render_residence(request, get_residence_for_user(request.user, residence_id))


@require_POST
def unit_service(request, residence_id, unit_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    unit = get_object_or_404(Unit, pk=unit_id, residence=residence)
    form = UnitServiceForm(request.POST, prefix=f"service-{unit.pk}")
    if form.is_valid():
        try:
            services.set_unit_service(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Dates de service du logement %(reference)s enregistrées.")
                % {"reference": unit.reference},
            )
            return redirect("housing:residence_detail", residence.pk)
    return render_residence(request, residence, service_forms={unit.pk: form}, status=400)


@require_GET
def occupancy_export(request, residence_id):
    """The occupancy of the period, per unit, as CSV (the figures of the residence page)."""
    residence = get_residence_for_user(request.user, residence_id)
    period_form, start, end = _period(request, residence)
    if period_form.errors:
        return render_residence(request, residence)
    occupancy = occupancy_between(residence, start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="occupation-{slugify(residence.name)}-{start}-{end}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Logement",
            "Lits",
            "Semaines en service",
            "Semaines-lits offertes",
            "Semaines-lits occupées",
            "Semaines-lits vides",
            "Taux d'occupation (%)",
        ]
    )
    rows: list[tuple[str, int | str, int, int, int, float | None]] = [
        (u.unit.reference, u.beds, u.weeks_in_service, u.bed_weeks, u.occupied, u.rate)
        for u in occupancy.units
    ]
    rows.append(
        ("Total", "", occupancy.weeks, occupancy.bed_weeks, occupancy.occupied, occupancy.rate)
    )
    for reference, beds, weeks, offered, occupied, rate in rows:
        writer.writerow(
            [
                neutralise(str(reference)),
                beds,
                weeks,
                offered,
                occupied,
                offered - occupied,
                "" if rate is None else f"{100 * rate:.1f}".replace(".", ","),
            ]
        )
    return response


@require_POST
def unit_add(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.create_unit(
                residence=residence, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Logement %(reference)s ajouté.") % {"reference": unit.reference}
            )
            return redirect("housing:residence_detail", residence.pk)
    return render_residence(request, residence, unit_form=form, status=400)


def _parse_week(raw: str | None) -> datetime.date:
    """``2027-W05`` (the browser's week input) or a date; this week otherwise."""
    if raw:
        try:
            if "W" in raw:
                year, week = raw.split("-W")
                return datetime.date.fromisocalendar(int(year), int(week), 1)
            return monday_of(datetime.date.fromisoformat(raw))
        except ValueError:
            pass
    return monday_of(timezone.localdate())


@require_GET
def occupancy(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id)
    first = _parse_week(request.GET.get("semaine"))
    grid = occupancy_grid(residence, first, GRID_WEEKS)
    step = datetime.timedelta(weeks=GRID_WEEKS)
    year, week, _day = first.isocalendar()
    return render(
        request,
        "housing/occupancy.html",
        {
            "residence": residence,
            "grid": grid,
            "week_labels": [iso_week_label(monday) for monday in grid.weeks],
            "first": first,
            "week_value": f"{year}-W{week:02d}",
            "previous": first - step,
            "next": first + step,
            "last_day": grid.weeks[-1] + datetime.timedelta(days=6),
            # A free cell books that bed from that week (in the organization that runs it).
            "can_book": can(request.user, "housing.manage", residence)
            and residence.organization_id == request.membership.organization_id,
        },
    )
