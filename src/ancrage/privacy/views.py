"""The organization's data-protection page (rights requests, durations, the archive) and the
rights actions on a person's file: export, erasure, restore."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import require
from ancrage.core.signals import list_read
from ancrage.core.text import of
from ancrage.people.models import Person
from ancrage.people.queries import get_archived_person_for_user, get_person_for_user
from ancrage.people.services import restore_person
from ancrage.privacy import queries, retention, services
from ancrage.privacy.forms import AnswerForm, EraseForm, RetentionPolicyForm, RightsRequestForm


def _render_overview(request, *, request_form=None, policy_form=None, status=200):
    organization = request.membership.organization
    require(request.user, "privacy.manage", organization)
    policy = queries.policy_of(organization)
    archived, archived_count = queries.archived_people(organization)
    list_read(model=Person, records=archived, actor=request.user)
    today = timezone.localdate()
    return render(
        request,
        "privacy/overview.html",
        {
            "organization": organization,
            "today": today,
            "open_requests": queries.open_requests(organization),
            "closed_requests": queries.closed_requests(organization),
            "request_form": request_form
            or RightsRequestForm(user=request.user, organization=organization),
            "policy": policy,
            "policy_form": policy_form or RetentionPolicyForm(instance=policy),
            "archived": archived,
            "archived_count": archived_count,
            "due": retention.due_in(organization, today),
        },
        status=status,
    )


@require_GET
def overview(request):
    return _render_overview(request)


@require_POST
def request_create(request):
    organization = request.membership.organization
    form = RightsRequestForm(request.POST, user=request.user, organization=organization)
    if form.is_valid():
        try:
            rights_request = services.record_request(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(request)s enregistrée : réponse due le %(due)s.")
                % {"request": rights_request, "due": rights_request.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("privacy:overview")
    return _render_overview(request, request_form=form, status=400)


@require_POST
def request_answer(request, request_id):
    rights_request = queries.get_request_for_user(request.user, request_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_request(request=rights_request, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _render_overview(request, status=400)
        messages.success(request, _("%(request)s traitée.") % {"request": rights_request})
        return redirect("privacy:overview")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _render_overview(request, status=400)


@require_POST
def request_extend(request, request_id):
    rights_request = queries.get_request_for_user(request.user, request_id)
    try:
        services.extend_request(request=rights_request, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_overview(request, status=400)
    messages.success(
        request,
        _("Délai prolongé : réponse due le %(due)s. Informez-en la personne.")
        % {"due": rights_request.due_on.strftime("%d/%m/%Y")},
    )
    return redirect("privacy:overview")


@require_POST
def policy_update(request):
    organization = request.membership.organization
    policy = queries.policy_of(organization)
    form = RetentionPolicyForm(request.POST, instance=policy)
    if form.is_valid():
        try:
            services.set_retention_policy(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Durées de conservation enregistrées."))
            return redirect("privacy:overview")
    return _render_overview(request, policy_form=form, status=400)


@require_POST
def person_export(request, person_id):
    person = get_person_for_user(request.user, person_id)
    name, content = services.export_person_data(person=person, actor=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request, person_id):
    person = get_person_for_user(request.user, person_id)
    require(request.user, "privacy.manage", person)
    form = EraseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.erase_person(
                    person=person, reason=form.cleaned_data["reason"], actor=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Fiche n° %(id)s anonymisée : les chiffres déjà calculés ne changent pas.")
                    % {"id": person.pk},
                )
                return redirect("privacy:overview")
    return render(
        request,
        "privacy/person_erase.html",
        {"person": person, "form": form, "requests": queries.requests_of(person)},
        status=status,
    )


@require_POST
def person_restore(request, person_id):
    person = get_archived_person_for_user(request.user, person_id)
    try:
        restore_person(person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Fiche %(of_person)s rendue à l'équipe.") % {"of_person": of(person)}
        )
    return redirect("people:person_detail", person.pk)
