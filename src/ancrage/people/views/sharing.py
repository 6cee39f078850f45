"""Objections to sharing and merging of duplicate files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ancrage.accounts.permissions import require
from ancrage.people import services
from ancrage.people.forms import MergeForm, SharingObjectionForm
from ancrage.people.models import Person, SharingObjection
from ancrage.people.queries import find_possible_duplicates, get_person_for_user
from ancrage.people.views.persons import render_person


@require_POST
def objection_add(request, person_id):
    person = get_person_for_user(request.user, person_id, write=True)
    form = SharingObjectionForm(request.POST, organization=person.organization)
    if form.is_valid():
        try:
            objection = services.record_sharing_objection(
                person=person, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(objection)s enregistrée.") % {"objection": objection})
            return redirect("people:person_detail", person.pk)
    return render_person(request, person, objection_form=form, status=400)


@require_POST
def objection_remove(request, person_id, objection_id):
    person = get_person_for_user(request.user, person_id, write=True)
    objection = get_object_or_404(
        SharingObjection.objects.select_related("partner", "person"), pk=objection_id, person=person
    )
    services.withdraw_sharing_objection(objection=objection, actor=request.user)
    messages.success(
        request,
        _("Opposition au partage avec %(partner)s retirée.") % {"partner": objection.partner},
    )
    return redirect("people:person_detail", person.pk)


def _merge_candidate(request, kept, raw_id):
    """The other file, visible to the user and in the same organization (404 otherwise)."""
    duplicate = get_person_for_user(request.user, raw_id)
    if duplicate.organization_id != kept.organization_id or duplicate.pk == kept.pk:
        raise Http404
    return duplicate


@require_http_methods(["GET", "POST"])
def person_merge(request, person_id):
    """Choose the duplicate, compare the two files, confirm: the duplicate folds into this file."""
    kept = get_person_for_user(request.user, person_id)
    require(request.user, "people.merge", kept)
    error = None
    if request.method == "POST":
        form = MergeForm(request.POST)
        if not form.is_valid():
            raise Http404
        duplicate = _merge_candidate(request, kept, form.cleaned_data["duplicate"])
        try:
            merge = services.merge_people(kept=kept, duplicate=duplicate, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(merged_name)s fusionnée dans la fiche de %(kept)s.")
                % {"merged_name": merge.merged_name, "kept": kept},
            )
            return redirect("people:person_detail", kept.pk)
    else:
        raw = request.GET.get("doublon")
        duplicate = _merge_candidate(request, kept, raw) if raw else None
    candidates = [
        p
        for p in find_possible_duplicates(
            organization=kept.organization,
            last_name=kept.last_name,
            first_name=kept.first_name,
            birth_date=kept.birth_date,
            exclude_id=kept.pk,
        )
    ]
    search = request.GET.get("q", "").strip()
    found = []
    if search:
        found = list(
            Person.objects.visible_to(request.user)
            .filter(organization=kept.organization)
            .exclude(pk=kept.pk)
            .search(search)
            .select_related("commune")[:20]
        )
    return render(
        request,
        "people/person_merge.html",
        {
            "kept": kept,
            "duplicate": duplicate,
            "candidates": candidates,
            "found": found,
            "search": search,
            "error": error,
            "rows": _comparison(kept, duplicate) if duplicate else [],
        },
        status=400 if error else 200,
    )


def _comparison(kept, duplicate):
    """(label, kept value, duplicate value, taken from duplicate?) for each field of the file."""
    rows = []
    for key in services.PERSON_FIELDS:
        field = Person._meta.get_field(key)
        kept_value, other_value = getattr(kept, key), getattr(duplicate, key)
        display = getattr(kept, f"get_{key}_display", None)
        if display:
            kept_value = display()
            other_value = getattr(duplicate, f"get_{key}_display")()
        rows.append(
            (
                str(field.verbose_name).capitalize(),
                kept_value,
                other_value,
                kept_value in (None, "") and other_value not in (None, ""),
            )
        )
    return rows
