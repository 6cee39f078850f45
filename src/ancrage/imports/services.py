"""Writes of the imports app: sending a file (checked at once, run in the background), the column
mapping, and running a job (the background task and ``ancrage import`` call it)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.tabular import ReadError, Table, read
from ancrage.imports import engine
from ancrage.imports.columns import COLUMNS
from ancrage.imports.enums import JobStatus, Mode, SheetKind
from ancrage.imports.models import ColumnMapping, ImportJob

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User

logger = logging.getLogger(__name__)
MAX_PROBLEMS = 5000  # kept in the report; the count says how many there were in all


def _kinds(tables: list[Table], kind: str) -> list[tuple[str, Table]]:
    """Each table with its kind: the one chosen for a CSV, the sheet's name in a workbook."""
    if len(tables) == 1 and tables[0].from_csv:
        found = kind or engine.kind_of(tables[0].name)
        if not found:
            raise ValidationError({"kind": _("Dites ce que contient ce fichier CSV.")})
        return [(found, tables[0])]
    named = []
    unknown = []
    for table in tables:
        found = engine.kind_of(table.name)
        if found is None:
            unknown.append(table.name)
        else:
            named.append((found, table))
    if unknown:
        raise ValidationError(
            {
                "file": _(
                    "Feuille(s) au nom inconnu : %(names)s. Nommez chaque feuille d'après ce "
                    "qu'elle contient : %(kinds)s."
                )
                % {
                    "names": ", ".join(f"« {name} »" for name in unknown),
                    "kinds": ", ".join(str(label) for _k, label in SheetKind.choices),
                }
            }
        )
    return named


def _tables(data: bytes, filename: str, kind: str) -> list[tuple[str, Table]]:
    try:
        tables = read(data, filename)
    except ReadError as error:
        raise ValidationError({"file": str(error)}) from None
    return _kinds(tables, kind)


def submit_import(
    *,
    organization: Organization,
    actor: User,
    filename: str,
    data: bytes,
    mode: str,
    dry_run: bool = True,
    kind: str = "",
    enqueue: bool = True,
) -> ImportJob:
    """Check that the file can be read and say what it holds, then run it in the background."""
    require(actor, "imports.run", organization)
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Mode inconnu.")})
    if kind and kind not in SheetKind.values:
        raise ValidationError({"kind": _("Contenu inconnu.")})
    tables = _tables(data, filename, kind)
    job = ImportJob(
        organization=organization,
        created_by=actor,
        filename=filename[:200],
        data=data,
        kind=kind,
        mode=mode,
        dry_run=dry_run,
        total_lines=sum(len(table.rows) for _k, table in tables),
    )
    with acting_as(actor), transaction.atomic():
        job.save()
        if enqueue:
            from ancrage.imports.tasks import run_import

            job_id = job.pk
            transaction.on_commit(lambda: run_import.enqueue(job_id))
    return job


def confirm_import(*, job: ImportJob, actor: User, mode: str) -> ImportJob:
    """After a dry run, import the same file for real (without sending it again)."""
    require(actor, "imports.run", job.organization_id)
    if not job.dry_run or job.status != JobStatus.DONE or not job.data:
        raise ValidationError(_("Seule une vérification terminée peut être importée."))
    return submit_import(
        organization=job.organization,
        actor=actor,
        filename=job.filename,
        data=bytes(job.data),
        mode=mode,
        dry_run=False,
        kind=job.kind,
    )


def _progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def progress_of(job: ImportJob) -> int:
    """Lines processed so far (shared between the worker and the pages by the progress cache)."""
    if job.status == JobStatus.DONE:
        return job.total_lines
    return int(caches["progress"].get(_progress_key(job.pk), 0))


def run_job(job_id: int, *, echo: Callable[[int, int], None] | None = None) -> ImportJob:
    job = ImportJob.objects.select_related("organization", "created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    cache = caches["progress"]

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job.pk), done, 24 * 3600)
        if echo:
            echo(done, total)

    try:
        tables = _tables(bytes(job.data), job.filename, job.kind)
        mappings = dict(
            ColumnMapping.objects.filter(organization=job.organization).values_list(
                "kind", "columns"
            )
        )
        result = engine.run(
            organization=job.organization,
            actor=job.created_by,
            tables=tables,
            mode=job.mode,
            dry_run=job.dry_run,
            mappings=mappings,
            progress=progress,
        )
    except ValidationError as error:
        job.status, job.error = JobStatus.FAILED, " ".join(error.messages)[:500]
    except Exception as error:
        logger.exception("import failed", extra={"job": job.pk, "error": type(error).__name__})
        job.status, job.error = JobStatus.FAILED, _("Erreur inattendue : l'import n'a rien écrit.")
    else:
        job.status = JobStatus.DONE
        job.counts = result.counts
        job.problems = [problem.as_dict() for problem in result.problems[:MAX_PROBLEMS]]
        job.written = result.written
        job.total_lines = result.total_lines
    job.finished_at = timezone.now()
    if not job.dry_run:
        job.data = b""  # the file is not kept once imported
    job.save()
    cache.delete(_progress_key(job.pk))
    return job


def save_mapping(
    *, organization: Organization, kind: str, columns: dict[str, str], actor: User
) -> ColumnMapping:
    """Which header of the organization's files holds each of Ancrage's columns."""
    require(actor, "imports.run", organization)
    if kind not in SheetKind.values:
        raise ValidationError({"kind": _("Contenu inconnu.")})
    known = {column.key for column in COLUMNS[kind]}
    cleaned = {
        key: value.strip()[:100] for key, value in columns.items() if value and value.strip()
    }
    unknown = set(cleaned) - known
    if unknown:
        raise ValidationError(
            {"columns": _("Colonne inconnue : %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    with acting_as(actor), transaction.atomic():
        mapping, _created = ColumnMapping.objects.update_or_create(
            organization=organization, kind=kind, defaults={"columns": cleaned}
        )
    return mapping


FILE_KEPT_DAYS = 7  # a checked file waits this long to be imported without being sent again
JOB_KEPT_DAYS = 90  # then the job and its report (line numbers, reasons, a refused value) go


def forget_old_imports(now: datetime.datetime | None = None) -> dict[str, int]:
    """Files of checks never imported are cleared after 7 days; jobs and their reports are
    deleted after 90 (the daily tasks run it)."""
    now = now or timezone.now()
    files = (
        ImportJob.objects.filter(created_at__lt=now - datetime.timedelta(days=FILE_KEPT_DAYS))
        .exclude(data=b"")
        .update(data=b"")
    )
    jobs, _detail = ImportJob.objects.filter(
        created_at__lt=now - datetime.timedelta(days=JOB_KEPT_DAYS)
    ).delete()
    return {"files": files, "jobs": jobs}
