"""The organization's bookings, leases and housing applications, each as a list people expect:
filters, sort, pages, and the export of exactly what is filtered (audited: these are people)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ancrage.core.listing import list_page
from ancrage.housing.enums import ApplicationStatus, BookingStatus, LeaseStatus
from ancrage.housing.forms import HousingListFilterForm
from ancrage.housing.models import Booking, HousingApplication, Lease, Residence
from ancrage.housing.queries import (
    APPLICATION_COLUMNS,
    APPLICATION_EXPORT_ONLY,
    BOOKING_COLUMNS,
    BOOKING_EXPORT_ONLY,
    LEASE_COLUMNS,
    LEASE_EXPORT_ONLY,
)
from ancrage.people.queries import people_visible_to


def _filtered(request, rows, statuses, *, residence_field, period):
    """Apply the shared filters; ``period`` applies the form's period to the rows. Returns the
    rows, the form and whether it is valid."""
    organization = request.membership.organization
    residences = Residence.objects.visible_to(request.user).filter(organization=organization)
    filters = HousingListFilterForm(
        request.GET or None, residences=residences.order_by("name"), statuses=statuses
    )
    valid = not filters.is_bound or filters.is_valid()
    if filters.is_bound and valid:
        data = filters.cleaned_data
        if data["q"]:
            people = people_visible_to(request.user).search(data["q"])  # type: ignore[attr-defined]
            rows = rows.filter(person__in=people)
        if data["residence"]:
            rows = rows.filter(**{residence_field: data["residence"]})
        if data["status"]:
            rows = rows.filter(status=data["status"])
        rows = period(rows, data.get("start"), data.get("end"))
    return rows, filters, valid


def _overlapping(rows, start, end):
    """Rows whose [starts_on, ends_on) meets the period [start, end] (an open end runs on)."""
    if start:
        rows = rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
    if end:
        rows = rows.filter(starts_on__lte=end)
    return rows


def _submitted(rows, start, end):
    if start:
        rows = rows.filter(submitted_on__gte=start)
    if end:
        rows = rows.filter(submitted_on__lte=end)
    return rows


@require_GET
def booking_list(request):
    bookings = (
        Booking.objects.visible_to(request.user)
        .filter(organization=request.membership.organization)
        .select_related("person", "bed__unit__residence", "rhythm")
    )
    bookings, filters, valid = _filtered(
        request,
        bookings,
        BookingStatus.choices,
        residence_field="bed__unit__residence",
        period=_overlapping,
    )
    return list_page(
        request,
        "housing/booking_list.html",
        bookings,
        BOOKING_COLUMNS,
        default="-du",
        export_only=BOOKING_EXPORT_ONLY,
        model=Booking,
        name="reservations",
        title=_("Réservations"),
        valid=valid,
        context={"filters": filters},
    )


@require_GET
def lease_list(request):
    leases = (
        Lease.objects.visible_to(request.user)
        .filter(organization=request.membership.organization)
        .select_related("person", "unit__residence")
    )
    leases, filters, valid = _filtered(
        request, leases, LeaseStatus.choices, residence_field="unit__residence", period=_overlapping
    )
    return list_page(
        request,
        "housing/lease_list.html",
        leases,
        LEASE_COLUMNS,
        default="-debut",
        export_only=LEASE_EXPORT_ONLY,
        model=Lease,
        name="baux",
        title=_("Baux"),
        valid=valid,
        context={"filters": filters},
    )


@require_GET
def application_list(request):
    applications = (
        HousingApplication.objects.visible_to(request.user)
        .filter(organization=request.membership.organization)
        .select_related("person", "residence")
    )
    applications, filters, valid = _filtered(
        request,
        applications,
        ApplicationStatus.choices,
        residence_field="residence",
        period=_submitted,
    )
    return list_page(
        request,
        "housing/application_list.html",
        applications,
        APPLICATION_COLUMNS,
        default="-deposee",
        export_only=APPLICATION_EXPORT_ONLY,
        model=HousingApplication,
        name="demandes-de-logement",
        title=_("Demandes de logement"),
        valid=valid,
        context={"filters": filters},
    )
