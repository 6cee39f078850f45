"""Calls for applications: the public page, the funder's follow-up (access requests, ranking,
decisions), the applicant's draft and submission, the reviewers' scores, the decision letters."""

from __future__ import annotations

import datetime
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ModelMultipleChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.models import Membership, User
from ancrage.accounts.permissions import can, organizations_where, require
from ancrage.core import documents
from ancrage.core.enums import TerritoryKind
from ancrage.core.forms import add_service_errors
from ancrage.core.models import Territory
from ancrage.core.money import format_euros
from ancrage.core.signals import object_viewed
from ancrage.funding import queries, services
from ancrage.funding.enums import ApplicationStatus
from ancrage.funding.forms import (
    AccessRequestForm,
    ApplicationDocumentForm,
    ApplicationForm,
    CallForm,
    DecisionForm,
    ReviewForm,
)
from ancrage.funding.letters import decision_letter_pdf
from ancrage.funding.models import AccessRequest, Application, ApplicationDocument, Call
from ancrage.funding.views import _funded_programs


def _kind_label(kind: str) -> str:
    try:
        return str(OrganizationKind(kind).label)
    except ValueError:
        return kind


def _apply_as(request, call: Call):
    """The current organization if the user may apply for it to this call, else None."""
    membership = getattr(request, "membership", None)
    if membership is None or not can(request.user, "funding.apply", membership.organization):
        return None
    if membership.organization_id == call.funder_id:
        return None
    return membership.organization


# --- Public ---------------------------------------------------------------------------------------


@require_GET
def public_list(request):
    """The published calls, open ones first, for anyone (no account needed)."""
    now = timezone.now()
    calls = list(queries.published_calls())
    calls.sort(key=lambda c: (not c.is_open(now), -c.closes_at.timestamp()))
    return render(request, "funding/call_public_list.html", {"calls": calls, "now": now})


def _public_call(call_id) -> Call:
    return get_object_or_404(queries.published_calls(), pk=call_id)


@require_http_methods(["GET", "POST"])
def public_detail(request, call_id):
    """A call as published, with the way to apply: an access request for an organization
    without an account, the application itself for a member of an eligible organization."""
    call = _public_call(call_id)
    now = timezone.now()
    kinds: list[tuple[str, str]] = [(k, _kind_label(k)) for k in call.eligible_kinds] or [
        (value, str(label)) for value, label in OrganizationKind.choices
    ]
    form = AccessRequestForm(request.POST or None, kinds=kinds, auto_id="acces_%s")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_access(call=call, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Demande envoyée au financeur. Si elle est acceptée, vous recevrez un "
                        "e-mail pour choisir votre mot de passe, puis vous pourrez candidater."
                    ),
                )
                return redirect("calls:public_detail", call.pk)
        else:
            status = 400
    applicant = _apply_as(request, call) if request.user.is_authenticated else None
    existing = (
        Application.objects.filter(call=call, applicant=applicant).first() if applicant else None
    )
    return render(
        request,
        "funding/call_public_detail.html",
        {
            "call": call,
            "now": now,
            "is_open": call.is_open(now),
            "state": call.state(now),
            "kinds": [_kind_label(k) for k in call.eligible_kinds],
            "criteria": list(call.criteria.all()),
            "envelope": format_euros(call.envelope_cents / 100),
            "form": form,
            "applicant": applicant,
            "existing": existing,
            "can_follow": request.user.is_authenticated
            and (
                can(request.user, "funding.decide", call.funder)
                or queries.is_reviewer(request.user, call)
            ),
        },
        status=status,
    )


# --- Funder ---------------------------------------------------------------------------------------


@require_GET
def call_list(request):
    """Calls of the current organization's funder, calls the user reviews, and the current
    organization's applications."""
    organization = request.membership.organization
    now = timezone.now()
    calls = queries.followed_calls(request.user, organization)
    applications = (
        Application.objects.filter(applicant=organization)
        .select_related("call", "call__funder")
        .order_by("-created_at")
    )
    return render(
        request,
        "funding/call_list.html",
        {
            "calls": [(c, c.state(now)) for c in calls],
            "applications": applications,
            "can_create": can(request.user, "funding.decide", organization)
            and _funded_programs(organization).exists(),
        },
    )


def _call_form(data, organization):
    territories = Territory.objects.filter(
        kind__in=(TerritoryKind.REGION, TerritoryKind.DEPARTEMENT)
    ).order_by("kind", "code")
    members = User.objects.filter(
        pk__in=Membership.objects.active().filter(organization=organization).values("user_id")
    ).order_by("last_name", "first_name")
    form = CallForm(
        data,
        programs=_funded_programs(organization),
        territories=territories,
        members=members,
        kinds=list(OrganizationKind.choices),
        auto_id="appel_%s",
    )
    reviewers = cast(ModelMultipleChoiceField, form.fields["reviewers"])
    reviewers.label_from_instance = lambda u: u.get_full_name() or u.email  # type: ignore[method-assign,assignment]
    return form


@require_http_methods(["GET", "POST"])
def call_create(request):
    organization = request.membership.organization
    if not can(request.user, "funding.decide", organization):
        raise PermissionDenied(_("Seul un financeur publie un appel à projets."))
    form = _call_form(request.POST or None, organization)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                call = services.create_call(
                    funder=organization,
                    program=data["program"],
                    title=data["title"],
                    text=data["text"],
                    envelope_cents=data["envelope"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    criteria=data["criteria"],
                    eligible_kinds=data["eligible_kinds"],
                    territory=data["territory"],
                    required_documents=(data["required_documents"] or "").splitlines(),
                    reviewers=list(data["reviewers"]),
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Appel enregistré en brouillon : relisez-le et publiez-le.")
                )
                return redirect("calls:call_detail", call.pk)
        status = 400
    return render(request, "funding/call_form.html", {"form": form}, status=status)


@require_GET
def call_detail(request, call_id):
    """The funder's (and reviewers') follow-up of a call: state, access requests, ranking."""
    call = queries.get_call_for_user(request.user, call_id)
    deciding = can(request.user, "funding.decide", call.funder)
    reviewer = queries.is_reviewer(request.user, call)
    if not deciding and not reviewer:
        raise Http404
    now = timezone.now()
    used = queries.call_granted_cents(call)
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "state": call.state(now),
            "deciding": deciding,
            "reviewer": reviewer,
            "criteria": list(call.criteria.all()),
            "reviewers": list(call.reviewers.order_by("last_name")),
            "kinds": [_kind_label(k) for k in call.eligible_kinds],
            "ranking": queries.ranking(call),
            "requests": list(call.access_requests.select_related("commune", "organization"))
            if deciding
            else [],
            "envelope": format_euros(call.envelope_cents / 100),
            "granted": format_euros(used / 100),
            "left": format_euros((call.envelope_cents - used) / 100),
            "drafts": call.applications.filter(status=ApplicationStatus.DRAFT).count(),
        },
    )


@require_POST
def call_publish(request, call_id):
    call = queries.get_call_for_user(request.user, call_id, decide=True)
    try:
        services.publish_call(call=call, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Appel publié : il est visible sur la page publique."))
    return redirect("calls:call_detail", call.pk)


@require_POST
def access_request_decide(request, request_id):
    access = get_object_or_404(
        AccessRequest.objects.select_related("call"),
        pk=request_id,
        call__funder__in=organizations_where(request.user, "organization.view"),
    )
    require(request.user, "funding.decide", access.call.funder)
    accept = request.POST.get("decision") == "accept"
    if request.POST.get("decision") not in ("accept", "refuse"):
        messages.error(request, _("Choisissez d'accepter ou de refuser la demande."))
        return redirect("calls:call_detail", access.call_id)
    try:
        services.decide_access_request(request=access, accept=accept, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Demande acceptée : la structure est créée et son contact invité par e-mail.")
            if accept
            else _("Demande refusée."),
        )
    return redirect("calls:call_detail", access.call_id)


# --- Applicant, reviewers, decision ---------------------------------------------------------------


@require_POST
def application_start(request, call_id):
    call = _public_call(call_id)
    applicant = _apply_as(request, call)
    if applicant is None:
        raise PermissionDenied(_("Seule la coordination ou l'administration candidate."))
    try:
        application = services.start_application(call=call, applicant=applicant, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("calls:public_detail", call.pk)
    messages.success(request, _("Candidature commencée : complétez-la puis déposez-la."))
    return redirect("calls:application_detail", application.pk)


def _render_application(request, application, *, status=200, **forms):
    call = application.call
    now = timezone.now()
    own = can(request.user, "funding.apply", application.applicant)
    deciding = can(request.user, "funding.decide", call.funder)
    reviewer = queries.is_reviewer(request.user, call)
    editable = own and application.status == ApplicationStatus.DRAFT and call.is_open(now)
    my_review = application.reviews.filter(reviewer=request.user).first()
    criteria = list(call.criteria.all())
    attached = set(application.documents.values_list("label", flat=True))
    context = {
        "application": application,
        "call": call,
        "state": call.state(now),
        "editable": editable,
        "own": own,
        "deciding": deciding,
        "reviewer": reviewer,
        "documents": list(application.documents.all()),
        "missing": [d for d in call.required_documents if d not in attached],
        "amount": format_euros(application.amount_cents / 100) if application.amount_cents else "—",
        "form": forms.get("form")
        or (
            ApplicationForm(
                initial={
                    "project": application.project,
                    "amount": application.amount_cents / 100 if application.amount_cents else None,
                },
                auto_id="candidature_%s",
            )
            if editable
            else None
        ),
        "document_form": forms.get("document_form")
        or (
            ApplicationDocumentForm(labels=call.required_documents, auto_id="piece_%s")
            if editable
            else None
        ),
        "review_form": forms.get("review_form")
        or (
            ReviewForm(criteria=criteria, auto_id="evaluation_%s")
            if reviewer
            and my_review is None
            and application.status == ApplicationStatus.SUBMITTED
            and call.decided_at is None
            else None
        ),
        "my_review": my_review,
        "reviews": [
            (r, [(c.label, r.scores.get(str(c.pk)), c.max_score) for c in criteria])
            for r in application.reviews.select_related("reviewer")
        ]
        if deciding
        else [],
        "criteria": criteria,
        "decision_form": forms.get("decision_form")
        or (
            DecisionForm(
                initial={
                    "granted": application.amount_cents / 100 if application.amount_cents else None,
                    "starts_on": datetime.date(now.year + 1, 1, 1),
                    "ends_on": datetime.date(now.year + 2, 12, 31),
                },
                auto_id="decision_%s",
            )
            if deciding
            and application.status == ApplicationStatus.SUBMITTED
            and now >= call.closes_at
            else None
        ),
        "ranked": next(
            (r for r in queries.ranking(call) if r.application.pk == application.pk), None
        )
        if deciding
        else None,
        "decided": application.status in (ApplicationStatus.SELECTED, ApplicationStatus.REJECTED),
    }
    return render(request, "funding/application_detail.html", context, status=status)


def _for_applicant(request, application_id) -> Application:
    """An application the user's organization wrote, for a write of its own (403 to a reader)."""
    application = queries.get_application_for_user(request.user, application_id)
    require(request.user, "funding.apply", application.applicant)
    return application


@require_GET
def application_detail(request, application_id):
    application = queries.get_application_for_user(request.user, application_id)
    object_viewed.send(
        sender=Application,
        instance=application,
        actor=request.user,
        organization=application.applicant,
    )
    return _render_application(request, application)


@require_POST
def application_save(request, application_id):
    application = _for_applicant(request, application_id)
    form = ApplicationForm(request.POST, auto_id="candidature_%s")
    if form.is_valid():
        try:
            services.save_application(
                application=application,
                project=form.cleaned_data["project"],
                amount_cents=form.cleaned_data["amount"] or 0,
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Brouillon enregistré."))
            return redirect("calls:application_detail", application.pk)
    return _render_application(request, application, form=form, status=400)


@require_POST
def application_document_add(request, application_id):
    application = _for_applicant(request, application_id)
    form = ApplicationDocumentForm(
        request.POST, request.FILES, labels=application.call.required_documents, auto_id="piece_%s"
    )
    if form.is_valid():
        try:
            services.add_application_document(
                application=application,
                label=form.cleaned_data["label"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pièce ajoutée."))
            return redirect("calls:application_detail", application.pk)
    return _render_application(request, application, document_form=form, status=400)


def _document(request, application_id, document_id) -> ApplicationDocument:
    application = queries.get_application_for_user(request.user, application_id)
    return get_object_or_404(application.documents, pk=document_id)


@require_GET
def application_document_download(request, application_id, document_id):
    document = _document(request, application_id, document_id)
    object_viewed.send(
        sender=ApplicationDocument,
        instance=document,
        actor=request.user,
        organization=document.application.applicant,
    )
    extension = documents.EXTENSIONS.get(document.content_type, "bin")
    return documents.download(document, f"piece-{document.pk}.{extension}")


@require_POST
def application_document_delete(request, application_id, document_id):
    _for_applicant(request, application_id)
    document = _document(request, application_id, document_id)
    try:
        services.delete_application_document(document=document, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Pièce retirée."))
    return redirect("calls:application_detail", application_id)


@require_POST
def application_submit(request, application_id):
    application = _for_applicant(request, application_id)
    try:
        services.submit_application(application=application, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Candidature déposée : elle ne change plus."))
    return redirect("calls:application_detail", application.pk)


@require_POST
def application_review(request, application_id):
    application = queries.get_application_for_user(request.user, application_id)
    if not queries.is_reviewer(request.user, application.call):
        raise PermissionDenied(_("Vous n'êtes pas évaluateur de cet appel."))
    form = ReviewForm(
        request.POST, criteria=application.call.criteria.all(), auto_id="evaluation_%s"
    )
    if form.is_valid():
        try:
            services.review_application(
                application=application,
                conflict_of_interest=form.cleaned_data["conflict_of_interest"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Évaluation enregistrée."))
            return redirect("calls:application_detail", application.pk)
    return _render_application(request, application, review_form=form, status=400)


@require_POST
def application_decide(request, application_id):
    application = queries.get_application_for_user(request.user, application_id)
    require(request.user, "funding.decide", application.call.funder)
    form = DecisionForm(request.POST, auto_id="decision_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_application(
                application=application,
                selected=data["decision"] == "select",
                comment=data["comment"],
                granted_cents=data["granted"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Décision enregistrée : la lettre est disponible."))
            return redirect("calls:application_detail", application.pk)
    return _render_application(request, application, decision_form=form, status=400)


@require_GET
def application_letter(request, application_id):
    application = queries.get_application_for_user(request.user, application_id)
    if application.status not in (ApplicationStatus.SELECTED, ApplicationStatus.REJECTED):
        raise Http404
    response = HttpResponse(decision_letter_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="decision-candidature-{application.pk}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
