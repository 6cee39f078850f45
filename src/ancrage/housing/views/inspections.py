from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ancrage.accounts.permissions import get_for_user
from ancrage.housing import services
from ancrage.housing.enums import DEFAULT_ELEMENTS, DEFAULT_ROOMS, InspectionKind
from ancrage.housing.forms import InspectionForm, InspectionItemFormSet
from ancrage.housing.models import Inspection
from ancrage.housing.queries import differences, get_lease_for_user


def _initial_rows(lease, kind):
    """Exit: the rows of the entry, to compare; entry: the usual rooms and elements."""
    if kind == InspectionKind.EXIT:
        entry = (
            Inspection.objects.filter(
                unit=lease.unit, person=lease.person, kind=InspectionKind.ENTRY
            )
            .order_by("-done_on", "-id")
            .first()
        )
        if entry is not None:
            return [{"room": i.room, "element": i.element} for i in entry.items.all()]
    return [{"room": str(r), "element": str(e)} for r in DEFAULT_ROOMS for e in DEFAULT_ELEMENTS]


@require_http_methods(["GET", "POST"])
def inspection_create(request, lease_id, kind):
    lease = get_lease_for_user(request.user, lease_id, write=True)
    if kind not in InspectionKind.values:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = InspectionForm(data)
    items = InspectionItemFormSet(data, initial=None if data else _initial_rows(lease, kind))
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [row for row in items.cleaned_data if row.get("room") or row.get("element")]
        try:
            inspection = services.record_inspection(
                unit=lease.unit,
                person=lease.person,
                lease=lease,
                kind=kind,
                items=rows,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(inspection)s enregistré.") % {"inspection": inspection})
            return redirect("housing:inspection_detail", inspection.pk)
    return render(
        request,
        "housing/inspection_form.html",
        {"lease": lease, "kind": InspectionKind(kind), "form": form, "items": items},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def inspection_detail(request, inspection_id):
    inspection = get_for_user(
        Inspection.objects.visible_to(request.user).select_related(
            "unit__residence", "person", "entry", "done_by"
        ),
        inspection_id,
        request.user,
    )
    return render(
        request,
        "housing/inspection_detail.html",
        {
            "inspection": inspection,
            "items": list(inspection.items.all()),
            "differences": differences(inspection),
        },
    )
