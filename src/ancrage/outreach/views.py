"""The outreach pages: lists, landlords' files (send, follow, report, import after a check, column
mapping), targeting (rules, segments, assignments), the targets (keyset pages), one target
(attempts, consent, opening a file), campaigns and their letters."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.permissions import can, require
from ancrage.core.enums import ImportStatus
from ancrage.core.forms import add_service_errors
from ancrage.core.listing import AFTER_PARAM, without_position
from ancrage.core.signals import list_read, object_viewed
from ancrage.outreach import queries, services
from ancrage.outreach.columns import COLUMNS
from ancrage.outreach.enums import ProspectStatus
from ancrage.outreach.forms import (
    AssignmentForm,
    AttemptForm,
    CampaignForm,
    ConsentForm,
    ConvertForm,
    LettersSentForm,
    ListForm,
    MappingForm,
    ProspectFilterForm,
    RuleForm,
    SegmentForm,
    UploadForm,
    landlords,
)
from ancrage.outreach.letters import letters_pdf
from ancrage.outreach.models import LandlordMapping, Prospect
from ancrage.outreach.report import report_csv
from ancrage.outreach.services.contact import letter_recipients
from ancrage.people.services import PossibleDuplicate
from ancrage.programs.queries import supporting_programs

PAGE_SIZE = 50
SHOWN_PROBLEMS = 200


@require_http_methods(["GET", "POST"])
def list_index(request):
    organization = request.membership.organization
    managing = can(request.user, "outreach.manage", organization)
    form = None
    if managing:
        form = ListForm(request.POST or None, programs=supporting_programs(organization))
    elif request.method == "POST":
        require(request.user, "outreach.manage", organization)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            outreach_list = services.create_list(
                organization=organization,
                program=form.cleaned_data["program"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("outreach:list_detail", outreach_list.pk)
    lists = (
        queries.lists_for(request.user)
        .filter(Q(organization=organization) | Q(assignments__assignee=organization))
        .distinct()
        .annotate(
            targets=Count(
                "prospects",
                filter=Q(prospects__assignee=organization) | Q(organization=organization),
                distinct=True,
            )
        )
        .order_by("name")
    )
    return render(
        request,
        "outreach/list_index.html",
        {
            "organization": organization,
            "lists": lists,
            "form": form,
            "managing": managing,
            "is_landlord": organization.kind == OrganizationKind.SOCIAL_LANDLORD,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
def landlord_outcomes(request):
    """A landlord's view of its tenants targeted by the programs: figures only."""
    organization = request.membership.organization
    return render(
        request,
        "outreach/landlord_outcomes.html",
        {
            "organization": organization,
            "figures": queries.landlord_figures(organization),
            "threshold": settings.ANCRAGE_SMALL_CELL_THRESHOLD,
        },
    )


@require_GET
def list_detail(request, list_id):
    outreach_list = queries.get_list_for_user(request.user, list_id)
    # The operator's team sees the whole list; a local actor's team what it was given.
    operator = can(request.user, "team.read", outreach_list.organization_id)
    mine = queries.prospects_for(request.user).filter(outreach_list=outreach_list)
    by_status = dict(mine.values_list("status").annotate(n=Count("id")).order_by())
    context = {
        "outreach_list": outreach_list,
        "operator": operator,
        "managing": can(request.user, "outreach.manage", outreach_list.organization_id),
        "total": sum(by_status.values()),
        "by_status": [(label, by_status.get(value, 0)) for value, label in ProspectStatus.choices],
    }
    if operator:
        context.update(
            segments=_segment_counts(outreach_list),
            imports=outreach_list.imports.select_related("landlord", "created_by")[:10],
            campaigns=outreach_list.campaigns.select_related("segment")[:20],
            campaign_form=CampaignForm(outreach_list=outreach_list),
        )
    return render(request, "outreach/list_detail.html", context)


def _segment_counts(outreach_list):
    counts = dict(
        Prospect.objects.filter(outreach_list=outreach_list)
        .values_list("segment")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(segment, counts.get(segment.pk, 0)) for segment in outreach_list.segments.all()] + [
        (None, counts.get(None, 0))
    ]


# -- landlords' files ---------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def import_create(request, list_id):
    outreach_list = queries.get_managed_list(request.user, list_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.lists.max_bytes():
            form.add_error(
                "file",
                _("Le fichier dépasse %(size)s Mo : découpez-le par territoire.")
                % {"size": services.lists.max_bytes() // 2**20},
            )
        else:
            try:
                job = services.submit_import(
                    outreach_list=outreach_list,
                    landlord=form.cleaned_data["landlord"],
                    actor=request.user,
                    filename=upload.name,
                    data=upload.read(),
                    mode=form.cleaned_data["mode"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("outreach:import_detail", job.pk)
    mapped = set(
        LandlordMapping.objects.filter(outreach_list=outreach_list).values_list(
            "landlord_id", flat=True
        )
    )
    return render(
        request,
        "outreach/import_create.html",
        {
            "outreach_list": outreach_list,
            "form": form,
            "columns": COLUMNS,
            "landlords": [(landlord, landlord.pk in mapped) for landlord in landlords()[:200]],
            "imports": outreach_list.imports.select_related("landlord", "created_by")[:20],
        },
        status=400 if form.errors else 200,
    )


@require_GET
def import_detail(request, job_id):
    job = queries.get_import_for_user(request.user, job_id)
    context = {
        "job": job,
        "percent": services.progress_of(job),
        "problems": job.problems[:SHOWN_PROBLEMS],
    }
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
    if request.htmx:
        response = render(request, "outreach/_progress.html", context)
        if finished:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "outreach/import_detail.html", context)


@require_GET
def import_report(request, job_id):
    job = queries.get_import_for_user(request.user, job_id)
    response = HttpResponse(report_csv(job.problems), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapport-fichier-{job.pk}.csv"'
    return response


@require_POST
def import_confirm(request, job_id):
    job = queries.get_import_for_user(request.user, job_id)
    mode = request.POST.get("mode", "")
    try:
        new = services.confirm_import(job=job, actor=request.user, mode=mode)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("outreach:import_detail", job.pk)
    return redirect("outreach:import_detail", new.pk)


@require_http_methods(["GET", "POST"])
def mapping(request, list_id, landlord_id):
    outreach_list = queries.get_managed_list(request.user, list_id)
    landlord = landlords().filter(pk=landlord_id).first()
    if landlord is None:
        raise Http404
    saved = LandlordMapping.objects.filter(outreach_list=outreach_list, landlord=landlord).first()
    form = MappingForm(request.POST or None, initial_columns=saved.columns if saved else {})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mapping(
                outreach_list=outreach_list,
                landlord=landlord,
                columns=form.cleaned_data,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Correspondance des colonnes enregistrée."))
            return redirect("outreach:import_create", outreach_list.pk)
    return render(
        request,
        "outreach/mapping.html",
        {"outreach_list": outreach_list, "landlord": landlord, "form": form},
        status=400 if form.errors else 200,
    )


# -- targeting ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def targeting(request, list_id):
    outreach_list = queries.get_managed_list(request.user, list_id)
    which = request.POST.get("form", "")
    rule_form = RuleForm(request.POST if which == "rule" else None, prefix="rule")
    segment_form = SegmentForm(request.POST if which == "segment" else None, prefix="segment")
    assignment_form = AssignmentForm(
        request.POST if which == "assignment" else None,
        outreach_list=outreach_list,
        prefix="assignment",
    )
    if request.method == "POST":
        form = {"rule": rule_form, "segment": segment_form, "assignment": assignment_form}.get(
            which
        )
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if which == "rule":
                    services.save_rule(
                        outreach_list=outreach_list,
                        name=form.cleaned_data["name"],
                        conditions=rule_form.conditions(),
                        weight=form.cleaned_data["weight"],
                        actor=request.user,
                    )
                    messages.success(request, _("Règle ajoutée ; les scores sont recalculés."))
                elif which == "segment":
                    services.save_segment(
                        outreach_list=outreach_list,
                        name=form.cleaned_data["name"],
                        min_score=form.cleaned_data["min_score"],
                        actor=request.user,
                    )
                    messages.success(request, _("Segment ajouté."))
                else:
                    services.add_assignment(
                        outreach_list=outreach_list,
                        segment=form.cleaned_data["segment"],
                        territory=form.cleaned_data["territory"],
                        assignee=form.cleaned_data["assignee"],
                        actor=request.user,
                    )
                    messages.success(request, _("Attribution enregistrée."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("outreach:targeting", outreach_list.pk)
    return render(
        request,
        "outreach/targeting.html",
        {
            "outreach_list": outreach_list,
            "rules": outreach_list.rules.all(),
            "segments": _segment_counts(outreach_list),
            "assignments": outreach_list.assignments.select_related(
                "segment", "territory", "assignee"
            ),
            "rule_form": rule_form,
            "segment_form": segment_form,
            "assignment_form": assignment_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def rule_delete(request, rule_id):
    rule = queries.get_rule_for_user(request.user, rule_id)
    services.delete_rule(rule=rule, actor=request.user)
    messages.success(request, _("Règle supprimée ; les scores sont recalculés."))
    return redirect("outreach:targeting", rule.outreach_list_id)


@require_POST
def segment_delete(request, segment_id):
    segment = queries.get_segment_for_user(request.user, segment_id)
    services.delete_segment(segment=segment, actor=request.user)
    messages.success(request, _("Segment supprimé."))
    return redirect("outreach:targeting", segment.outreach_list_id)


@require_POST
def assignment_delete(request, assignment_id):
    assignment = queries.get_assignment_for_user(request.user, assignment_id)
    services.remove_assignment(assignment=assignment, actor=request.user)
    messages.success(request, _("Attribution retirée."))
    return redirect("outreach:targeting", assignment.outreach_list_id)


# -- targets ------------------------------------------------------------------------------------
@require_GET
def prospect_list(request, list_id):
    outreach_list = queries.get_list_for_user(request.user, list_id)
    # The operator's team sees every target of the list, a local actor's its own (visible_to).
    targets = queries.prospects_for(request.user).filter(outreach_list=outreach_list)
    filters = ProspectFilterForm(request.GET or None, outreach_list=outreach_list)
    if filters.is_valid():
        if filters.cleaned_data["segment"]:
            targets = targets.filter(segment=filters.cleaned_data["segment"])
        if filters.cleaned_data["status"]:
            targets = targets.filter(status=filters.cleaned_data["status"])
    page = queries.targets_page(
        targets.select_related("commune", "segment", "assignee"),
        after=request.GET.get(AFTER_PARAM),
        size=PAGE_SIZE,
    )
    rows = page.rows
    list_read(
        model=Prospect,
        records=rows,
        actor=request.user,
        organization_of=_operator_of(outreach_list),
    )
    query = without_position(request)
    next_url = None
    if page.next_key is not None:
        following = query.copy()
        following[AFTER_PARAM] = page.next_key
        next_url = f"{request.path}?{following.urlencode()}"
    first_url = None
    if page.previous_key is not None:
        first_url = f"{request.path}?{query.urlencode()}" if query else request.path
    return render(
        request,
        "outreach/prospect_list.html",
        {
            "outreach_list": outreach_list,
            "rows": rows,
            "filters": filters,
            "next_url": next_url,
            "first_url": first_url,
        },
    )


def _operator_of(outreach_list):
    return lambda _prospect: outreach_list.organization_id


def _prospect_context(request, prospect, **forms):
    outreach_list = prospect.outreach_list
    return {
        "prospect": prospect,
        "attempts": prospect.attempts.select_related("campaign", "organization", "recorded_by"),
        "can_contact": can(request.user, "outreach.contact", prospect.assignee_id)
        or can(request.user, "outreach.contact", outreach_list.organization_id),
        "attempt_form": forms.get("attempt_form")
        or AttemptForm(outreach_list=outreach_list, prefix="attempt"),
        "consent_form": forms.get("consent_form") or ConsentForm(prefix="consent"),
        "convert_form": forms.get("convert_form") or ConvertForm(prefix="convert"),
        "candidates": forms.get("candidates", []),
    }


@require_GET
def prospect_detail(request, prospect_id):
    prospect = queries.get_prospect_for_user(request.user, prospect_id)
    object_viewed.send(
        sender=Prospect,
        instance=prospect,
        actor=request.user,
        organization=prospect.outreach_list.organization,
    )
    return render(request, "outreach/prospect_detail.html", _prospect_context(request, prospect))


@require_POST
def prospect_attempt(request, prospect_id):
    prospect = queries.get_prospect_for_user(request.user, prospect_id)
    form = AttemptForm(request.POST, outreach_list=prospect.outreach_list, prefix="attempt")
    if form.is_valid():
        try:
            services.record_attempt(prospect=prospect, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tentative enregistrée."))
            return redirect("outreach:prospect_detail", prospect.pk)
    return render(
        request,
        "outreach/prospect_detail.html",
        _prospect_context(request, prospect, attempt_form=form),
        status=400,
    )


@require_POST
def prospect_consent(request, prospect_id):
    prospect = queries.get_prospect_for_user(request.user, prospect_id)
    form = ConsentForm(request.POST, prefix="consent")
    if form.is_valid():
        try:
            services.record_consent(
                prospect=prospect, on=form.cleaned_data["on"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Accord enregistré : vous pouvez ouvrir son dossier."))
            return redirect("outreach:prospect_detail", prospect.pk)
    return render(
        request,
        "outreach/prospect_detail.html",
        _prospect_context(request, prospect, consent_form=form),
        status=400,
    )


@require_POST
def prospect_convert(request, prospect_id):
    prospect = queries.get_prospect_for_user(request.user, prospect_id)
    form = ConvertForm(request.POST, prefix="convert")
    candidates = []
    if form.is_valid():
        try:
            services.convert_prospect(
                prospect=prospect,
                pathway=form.cleaned_data["pathway"],
                birth_date=form.cleaned_data["birth_date"],
                confirmed_not_duplicate=form.cleaned_data["confirmed_not_duplicate"],
                actor=request.user,
            )
        except PossibleDuplicate as duplicate:
            candidates = duplicate.candidates
            form.add_error(
                None,
                _(
                    "Une fiche existante ressemble à cette personne : vérifiez-la, ou cochez la "
                    "case si c'est quelqu'un d'autre."
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Dossier ouvert."))
            return redirect("people:person_detail", prospect.person_id)
    return render(
        request,
        "outreach/prospect_detail.html",
        _prospect_context(request, prospect, convert_form=form, candidates=candidates),
        status=400,
    )


# -- campaigns ----------------------------------------------------------------------------------
@require_POST
def campaign_create(request, list_id):
    outreach_list = queries.get_managed_list(request.user, list_id)
    form = CampaignForm(request.POST, outreach_list=outreach_list)
    if form.is_valid():
        try:
            campaign = services.create_campaign(
                outreach_list=outreach_list, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("outreach:campaign_detail", campaign.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label} : {message}" if label else str(message))
    return redirect("outreach:list_detail", outreach_list.pk)


@require_GET
def campaign_detail(request, campaign_id):
    campaign = queries.get_campaign_for_user(request.user, campaign_id)
    attempts = dict(campaign.attempts.values_list("outcome").annotate(n=Count("id")).order_by())
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "waiting": letter_recipients(campaign).count(),
            "outcomes": [
                (label, attempts.get(value, 0))
                for value, label in ProspectStatus.choices
                if attempts.get(value)
            ],
            "letters_form": LettersSentForm(initial={"sent_on": campaign.starts_on}),
        },
    )


@require_GET
def campaign_letters(request, campaign_id):
    campaign = queries.get_campaign_for_user(request.user, campaign_id)
    recipients = list(letter_recipients(campaign).select_related("outreach_list__program"))
    list_read(
        model=Prospect,
        records=recipients,
        actor=request.user,
        organization_of=_operator_of(campaign.outreach_list),
        how="courriers pdf",
    )
    response = HttpResponse(letters_pdf(campaign, recipients), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="courriers-{campaign.pk}.pdf"'
    return response


@require_POST
def campaign_letters_sent(request, campaign_id):
    campaign = queries.get_campaign_for_user(request.user, campaign_id)
    form = LettersSentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date d'envoi des courriers."))
    else:
        try:
            count = services.record_letters(
                campaign=campaign, sent_on=form.cleaned_data["sent_on"], actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(n)s courrier(s) enregistré(s) : ces personnes sont « contactées ».")
                % {"n": count},
            )
    return redirect(reverse("outreach:campaign_detail", args=[campaign.pk]))
