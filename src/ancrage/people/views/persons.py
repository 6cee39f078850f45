from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ancrage.accounts.permissions import allowed_actions
from ancrage.core.listing import (
    SORT_PARAM,
    export_links,
    export_read,
    headers,
    paginate,
    sort,
    wanted_export,
)
from ancrage.core.models import Territory
from ancrage.core.signals import list_read, object_viewed
from ancrage.core.text import of
from ancrage.people import services
from ancrage.people.forms import (
    DocumentForm,
    NotDuplicateForm,
    PersonFilterForm,
    PersonForm,
    SharingObjectionForm,
    filled_rows,
    household_formset,
    resource_formset,
)
from ancrage.people.models import Person, PersonMerge, Resource, SharingObjection
from ancrage.people.queries import (
    PERSON_COLUMNS,
    PERSON_EXPORT_ONLY,
    filtered_people,
    get_person_for_user,
    person_labels,
)

PAGE_SIZE = 50


@require_GET
def person_list(request):
    """The organization's people: search, filters and sort kept in the address, and the same
    rows — every page of them — exported to XLSX or CSV (the export is audited like a read)."""
    organization = request.membership.organization
    people = Person.objects.visible_to(request.user).filter(organization=organization)
    communes = (
        Territory.objects.filter(pk__in=people.values("commune"))
        .order_by("name")
        .values_list("code", "name")
    )
    form = PersonFilterForm(request.GET, communes=list(communes))
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    people, sorted_by = sort(
        filtered_people(people, filters).select_related("commune"),
        PERSON_COLUMNS,
        request.GET.get(SORT_PARAM),
        default="nom",
    )
    if not valid:
        people = people.none()
    fmt = wanted_export(request)
    if fmt and valid:
        return export_read(
            request,
            people,
            PERSON_COLUMNS + PERSON_EXPORT_ONLY,
            fmt=fmt,
            model=Person,
            name="personnes",
            title=_("Personnes"),
        )
    page = paginate(request, people, size=PAGE_SIZE)
    list_read(model=Person, records=page.object_list, actor=request.user)
    context = {
        "page": page,
        "form": form,
        "query": filters.get("q", ""),
        "filtered": any(filters.get(k) not in (None, "") for k in form.fields if k != "q"),
        "organization": organization,
        "headers": headers(request, PERSON_COLUMNS, sorted_by),
        "exports": export_links(request),
    }
    template = "people/_person_rows.html" if request.htmx else "people/person_list.html"
    return render(request, template, context, status=200 if valid else 400)


def _save_person(request, *, person=None):
    """Shared by create and update: the form, its two formsets, the duplicate check."""
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, instance=person)
    resources = resource_formset(data, person)
    household = household_formset(data, person)
    confirm = NotDuplicateForm(data)
    duplicates = []
    if request.method == "POST" and all(
        f.is_valid() for f in (form, resources, household, confirm)
    ):
        payload = {
            **form.cleaned_data,
            "resources": filled_rows(resources, "kind"),
            "household": filled_rows(household, "first_name"),
            "actor": request.user,
        }
        try:
            if person is None:
                saved = services.create_person(
                    organization=request.membership.organization,
                    confirmed_not_duplicate=confirm.cleaned_data["confirmed_not_duplicate"],
                    **payload,
                )
            else:
                saved = services.update_person(person=person, **payload)
        except services.PossibleDuplicate as exc:
            duplicates = exc.candidates
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Fiche %(of_person)s enregistrée.") % {"of_person": of(saved)}
            )
            return redirect("people:person_detail", saved.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "resources": resources,
            "household": household,
            "confirm": confirm,
            "duplicates": duplicates,
            "person": person,
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    return _save_person(request)


@require_http_methods(["GET", "POST"])
def person_update(request, person_id):
    return _save_person(request, person=get_person_for_user(request.user, person_id, write=True))


@require_GET
def person_detail(request, person_id):
    person = get_person_for_user(request.user, person_id)
    object_viewed.send(
        sender=Person, instance=person, actor=request.user, organization=person.organization
    )
    return render_person(request, person, wanted=request.GET.get("formulaire", ""))


def render_person(
    request, person, *, objection_form=None, document_form=None, wanted="", status=200
):
    """The person's page; the objection and document views re-render it with their invalid
    form and a 400. Otherwise the two forms are drawn only when asked (``wanted``, from
    ``?formulaire=``: the box opened): the objection's list of partners cost a fifth of the page
    for a form most visits leave closed."""
    resources = list(Resource.objects.filter(person=person))
    allowed = allowed_actions(request.user, person)
    can_write = "people.change" in allowed
    if can_write and objection_form is None and wanted == "opposition":
        objection_form = SharingObjectionForm(organization=person.organization)
    if can_write and document_form is None and wanted == "document":
        document_form = DocumentForm()
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "resources": resources,
            "total_resources": sum((r.monthly_amount for r in resources), start=0),
            "household": list(person.household.all()),
            "objections": list(
                SharingObjection.objects.filter(person=person).select_related("partner")
            ),
            "objection_form": objection_form if can_write else None,
            "documents": list(person.documents.select_related("uploaded_by")),
            "document_form": document_form if can_write else None,
            "merges": list(PersonMerge.objects.filter(kept=person).select_related("merged_by")),
            "is_admin": "audit.view_access_log" in allowed,
            "can_merge": "people.merge" in allowed,
            "can_write": can_write,
        },
        status=status,
    )


@require_GET
def person_suggest(request):
    """Suggestions for person fields (an htmx fragment of ``<option>``), current organization only."""
    query = request.GET.get("person") or request.GET.get("q") or ""
    people = []
    if query.strip():
        people = list(
            Person.objects.visible_to(request.user)
            .filter(organization=request.membership.organization)
            .search(query)
            .order_by("last_name", "first_name")[:15]
        )
    return render(request, "people/_person_options.html", {"labels": person_labels(people)})
