import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.housing import services
from ancrage.housing.enums import CommonSpace
from ancrage.housing.forms import ChargesForm, ResidenceForm, UnitForm
from ancrage.housing.models import Residence, iso_week_label, monday_of
from ancrage.housing.queries import get_residence_for_user, occupancy_grid

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


def _render_residence(request, residence, *, unit_form=None, status=200):
    can_write = can(request.user, "housing.manage", residence)
    units = list(residence.units.annotate(bed_count=Count("beds")).order_by("reference", "id"))
    spaces = [
        CommonSpace(code).label for code in residence.common_spaces if code in CommonSpace.values
    ]
    return render(
        request,
        "housing/residence_detail.html",
        {
            "residence": residence,
            "units": units,
            "spaces": spaces,
            "can_write": can_write,
            "unit_form": (unit_form or UnitForm()) if can_write else None,
            "charges_form": ChargesForm(initial={"through": timezone.localdate().replace(day=1)})
            if can_write and units
            else None,
        },
        status=status,
    )


@require_GET
def residence_detail(request, residence_id):
    return _render_residence(request, get_residence_for_user(request.user, residence_id))


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
    return _render_residence(request, residence, unit_form=form, status=400)


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
