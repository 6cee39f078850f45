import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ancrage.accounts.permissions import get_for_user
from ancrage.core.listing import list_page
from ancrage.core.text import of
from ancrage.people import services as people_services
from ancrage.people.services import PossibleDuplicate
from ancrage.support import services
from ancrage.support.forms import ContactFilterForm, ContactForm, ContactPersonForm
from ancrage.support.models import Contact, with_subject
from ancrage.support.queries import CONTACT_COLUMNS, CONTACT_EXPORT_ONLY


@require_GET
def contact_list(request):
    organization = request.membership.organization
    filters = ContactFilterForm(request.GET or None)
    contacts = (
        Contact.objects.visible_to(request.user)
        .filter(organization=organization)
        .select_related("person", "partner", "desk", "commune")
    )
    valid = not filters.is_bound or filters.is_valid()
    if filters.is_bound and valid:
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
    return list_page(
        request,
        "support/contact_list.html",
        contacts,
        CONTACT_COLUMNS,
        default="-date",
        export_only=CONTACT_EXPORT_ONLY,
        model=Contact,
        name="contacts",
        title=_("Contacts"),
        valid=valid,
        context={"filters": filters},
        page_only=CONTACT_PAGE_FIELDS,
    )


# What a row of the list shows (the export has every column).
CONTACT_PAGE_FIELDS = (
    "organization_id",
    "occurred_at",
    "channel",
    "direction",
    "subjects",
    "outcome",
    "outcome_detail",
    "age_band",
    "desk__name",
    "partner__name",
    "commune__name",
    "person__first_name",
    "person__last_name",
    "person__anonymised_on",
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


@require_http_methods(["GET", "POST"])
def contact_link_person(request, contact_id):
    """Give an anonymous contact its person: one already followed, or a new file (with the
    duplicate check of any new file), then the person's page."""
    contact = get_for_user(
        Contact.objects.visible_to(request.user).select_related("commune", "organization"),
        contact_id,
        request.user,
        action="support.record",
    )
    if not contact.is_anonymous:
        messages.info(request, _("Ce contact est déjà rattaché."))
        return redirect("support:contact_list")
    organization = contact.organization
    form = ContactPersonForm(request.POST or None, user=request.user, organization=organization)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["choice"] == "new":
                    person = people_services.create_person(
                        organization=organization,
                        actor=request.user,
                        last_name=data["last_name"],
                        first_name=data["first_name"],
                        phone=data["phone"],
                        birth_date=data["birth_date"],
                        commune=contact.commune,
                        situation=contact.situation,
                        confirmed_not_duplicate=data["confirmed_not_duplicate"],
                    )
                else:
                    person = data["person"]
                services.link_contact_to_person(contact=contact, person=person, actor=request.user)
        except PossibleDuplicate as duplicate:
            duplicates = duplicate.candidates
            # Sent again as it is, the file is created: the team has seen the look-alikes.
            again = request.POST.copy()
            again["confirmed_not_duplicate"] = "on"
            form = ContactPersonForm(again, user=request.user, organization=organization)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Contact du %(day)s rattaché à la fiche %(of_person)s.")
                % {
                    "day": f"{timezone.localtime(contact.occurred_at):%d/%m/%Y}",
                    "of_person": of(person),
                },
            )
            return redirect("people:person_detail", person.pk)
    return render(
        request,
        "support/contact_link_person.html",
        {"contact": contact, "form": form, "duplicates": duplicates},
    )
