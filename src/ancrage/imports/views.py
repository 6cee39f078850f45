"""The import pages: send a file, follow its run, read and download the report, import after a
dry run, set the column mapping, download the template workbook."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import require
from ancrage.core.forms import add_service_errors
from ancrage.imports import queries, services
from ancrage.imports.columns import COLUMNS
from ancrage.imports.enums import JobStatus, Mode, SheetKind
from ancrage.imports.forms import ConfirmForm, MappingForm, UploadForm
from ancrage.imports.models import ColumnMapping
from ancrage.imports.report import report_csv, summary

SHOWN_PROBLEMS = 200


def _organization(request):
    organization = request.membership.organization
    require(request.user, "imports.run", organization)
    return organization


@require_http_methods(["GET", "POST"])
def home(request):
    organization = _organization(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.submit_import(
                    organization=organization,
                    actor=request.user,
                    filename=upload.name,
                    data=upload.read(),
                    mode=form.cleaned_data["mode"],
                    dry_run=form.cleaned_data["dry_run"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("imports:job_detail", job.pk)
        status = 400
    mapped = set(
        ColumnMapping.objects.filter(organization=organization).values_list("kind", flat=True)
    )
    return render(
        request,
        "imports/home.html",
        {
            "organization": organization,
            "form": form,
            "jobs": queries.recent_jobs(organization),
            "kinds": [(kind, label, kind in mapped) for kind, label in SheetKind.choices],
            "columns": [(label, COLUMNS[kind]) for kind, label in SheetKind.choices],
        },
        status=status,
    )


@require_GET
def job_detail(request, job_id):
    job = queries.get_job_for_user(request.user, job_id)
    context = {
        "job": job,
        "done": services.progress_of(job),
        "summary": summary(job.counts),
        "problems": job.problems[:SHOWN_PROBLEMS],
        "modes": Mode.choices,
    }
    finished = job.status in (JobStatus.DONE, JobStatus.FAILED)
    if request.htmx:
        response = render(request, "imports/_progress.html", context)
        if finished:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/job_detail.html", context)


@require_GET
def job_report(request, job_id):
    job = queries.get_job_for_user(request.user, job_id)
    response = HttpResponse(report_csv(job.problems), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapport-import-{job.pk}.csv"'
    return response


@require_POST
def job_confirm(request, job_id):
    job = queries.get_job_for_user(request.user, job_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez ce qu'il faut faire des lignes refusées."))
        return redirect("imports:job_detail", job.pk)
    try:
        new = services.confirm_import(job=job, actor=request.user, mode=form.cleaned_data["mode"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("imports:job_detail", job.pk)
    return redirect("imports:job_detail", new.pk)


@require_http_methods(["GET", "POST"])
def mapping(request, kind):
    organization = _organization(request)
    if kind not in SheetKind.values:
        raise Http404
    saved = ColumnMapping.objects.filter(organization=organization, kind=kind).first()
    form = MappingForm(
        request.POST or None, kind=kind, initial_columns=saved.columns if saved else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mapping(
                organization=organization,
                kind=kind,
                columns=form.cleaned_data,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Correspondance des colonnes enregistrée."))
            return redirect("imports:home")
    return render(
        request,
        "imports/mapping.html",
        {"form": form, "kind": kind, "label": SheetKind(kind).label},
        status=400 if form.errors else 200,
    )


@require_GET
def template(request):
    _organization(request)
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, label in SheetKind.choices:
        sheet = workbook.create_sheet(str(label))
        sheet.append([column.key for column in COLUMNS[kind]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="modele-reprise-ancrage.xlsx"'
    return response
