import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ancrage.core.signals import list_read
from ancrage.support import services
from ancrage.support.forms import ContactFilterForm, ContactForm
from ancrage.support.models import Contact, with_subject

PAGE_SIZE = 50


@require_GET
def contact_list(request):
    organization = request.membership.organization
    filters = ContactFilterForm(request.GET or None)
    contacts = (
        Contact.objects.visible_to(request.user)
        .filter(organization=organization)
        .select_related("person", "partner", "desk", "commune", "recorded_by")
        .order_by("-occurred_at", "-id")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["channel"]:
            contacts = contacts.filter(channel=data["channel"])
        if data["subject"]:
            contacts = with_subject(contacts, data["subject"])
        zone = timezone.get_current_timezone()
        if data["start"]:
            contacts = contacts.filter(
                occurred_at__gte=datetime.datetime.combine(data["start"], datetime.time.min, zone)
            )
        if data["end"]:
            contacts = contacts.filter(
                occurred_at__lt=datetime.datetime.combine(
                    data["end"] + datetime.timedelta(days=1), datetime.time.min, zone
                )
            )
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    list_read(model=Contact, records=page.object_list, actor=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "support/contact_list.html",
        {"page": page, "filters": filters, "querystring": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def contact_create(request):
    organization = request.membership.organization
    form = ContactForm(request.POST or None, user=request.user, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("counterpart")
        try:
            contact = services.record_contact(organization=organization, actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Contact enregistré : %(contact)s. Vous pouvez saisir le suivant.")
                % {"contact": contact},
            )
            return redirect("support:contact_create")
    return render(
        request,
        "support/contact_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
