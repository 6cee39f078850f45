"""Outreach lists and the landlords' files: the column mapping, sending an extract (checked at
once, run in the background), running it, and forgetting targets past the retention period."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.permissions import require
from ancrage.audit import recorder
from ancrage.core.actor import acting_as
from ancrage.core.dates import add_months
from ancrage.core.enums import ImportMode, ImportStatus
from ancrage.core.tabular import ReadError
from ancrage.outreach import loading
from ancrage.outreach.columns import BY_KEY
from ancrage.outreach.enums import ProspectStatus
from ancrage.outreach.models import LandlordMapping, OutreachList, Prospect, ProspectImport
from ancrage.programs.models import Program
from ancrage.programs.queries import supporting_programs

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User

logger = logging.getLogger(__name__)
JOB_KEPT_DAYS = 90  # an import's report (line numbers and reasons) is kept this long
FILE_KEPT_DAYS = 7  # a checked file waits this long to be imported without being sent again


def create_list(
    *, organization: Organization, program: Program, name: str, actor: User
) -> OutreachList:
    """A new outreach list of ``organization`` within a program it runs or takes part in."""
    require(actor, "outreach.manage", organization)
    if not supporting_programs(organization).filter(pk=program.pk).exists():
        raise ValidationError(
            {"program": _("Votre structure ne porte pas ce dispositif et n'y est pas partenaire.")}
        )
    outreach_list = OutreachList(organization=organization, program=program, name=name.strip())
    outreach_list.full_clean()
    with acting_as(actor), transaction.atomic():
        outreach_list.save()
    return outreach_list


def _check_landlord(landlord: Organization) -> None:
    if landlord.kind != OrganizationKind.SOCIAL_LANDLORD:
        raise ValidationError({"landlord": _("Choisissez un bailleur social.")})


def save_mapping(
    *,
    outreach_list: OutreachList,
    landlord: Organization,
    columns: dict[str, str],
    actor: User,
) -> LandlordMapping:
    """Which header of this landlord's files holds each of Ancrage's columns."""
    require(actor, "outreach.manage", outreach_list.organization_id)
    _check_landlord(landlord)
    cleaned = {
        key: value.strip()[:100] for key, value in columns.items() if value and value.strip()
    }
    unknown = set(cleaned) - set(BY_KEY)
    if unknown:
        raise ValidationError(
            {"columns": _("Colonne inconnue : %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    with acting_as(actor), transaction.atomic():
        mapping, _created = LandlordMapping.objects.update_or_create(
            outreach_list=outreach_list, landlord=landlord, defaults={"columns": cleaned}
        )
    return mapping


def max_bytes() -> int:
    return int(settings.ANCRAGE_OUTREACH_MAX_BYTES)


def submit_import(
    *,
    outreach_list: OutreachList,
    landlord: Organization,
    actor: User,
    filename: str,
    data: bytes,
    mode: str,
    dry_run: bool = True,
    enqueue: bool = True,
) -> ProspectImport:
    """Check that the extract can be read, keep it (outside the web root) and run it in the
    background: a dry run reports every refused line and writes nothing."""
    require(actor, "outreach.manage", outreach_list.organization_id)
    _check_landlord(landlord)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("Mode inconnu.")})
    try:
        source = loading.source_of(data, filename, max_bytes=max_bytes())
    except ReadError as error:
        raise ValidationError({"file": str(error)}) from None
    job = ProspectImport(
        outreach_list=outreach_list,
        landlord=landlord,
        created_by=actor,
        filename=filename[:200],
        mode=mode,
        dry_run=dry_run,
        total_lines=source.estimated_lines,
    )
    extension = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    with acting_as(actor), transaction.atomic():
        job.file.save(
            f"outreach/{secrets.token_hex(16)}.{extension}", ContentFile(data), save=False
        )
        job.save()
        if enqueue:
            from ancrage.outreach.tasks import run_prospect_import

            job_id = job.pk
            transaction.on_commit(lambda: run_prospect_import.enqueue(job_id))
    return job


def confirm_import(*, job: ProspectImport, actor: User, mode: str) -> ProspectImport:
    """After a dry run, import the same file for real (without sending it again)."""
    require(actor, "outreach.manage", job.outreach_list.organization_id)
    if not job.dry_run or job.status != ImportStatus.DONE or not job.file:
        raise ValidationError(_("Seule une vérification terminée peut être importée."))
    with job.file.open("rb") as handle:
        data = handle.read()
    return submit_import(
        outreach_list=job.outreach_list,
        landlord=job.landlord,
        actor=actor,
        filename=job.filename,
        data=data,
        mode=mode,
        dry_run=False,
    )


def _progress_key(job_id: int) -> str:
    return f"outreach:progress:{job_id}"


def progress_of(job: ProspectImport) -> int:
    """Percent done (shared between the worker and the pages by the progress cache)."""
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return 100
    return int(caches["progress"].get(_progress_key(job.pk), 0))


def run_import(job_id: int, *, echo: Callable[[int], None] | None = None) -> ProspectImport:
    """Run a queued import (the background task and the benchmark call it)."""
    from ancrage.outreach.services.targeting import apply_assignments, rescore

    job = ProspectImport.objects.select_related("outreach_list", "landlord", "created_by").get(
        pk=job_id
    )
    if job.status != ImportStatus.QUEUED:
        return job
    ProspectImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    cache = caches["progress"]

    def progress(percent: int) -> None:
        cache.set(_progress_key(job.pk), percent, 24 * 3600)
        if echo:
            echo(percent)

    mapping = (
        LandlordMapping.objects.filter(
            outreach_list=job.outreach_list, landlord=job.landlord
        ).values_list("columns", flat=True)
    ).first() or {}
    today = timezone.localdate()
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        source = loading.source_of(data, job.filename, max_bytes=max_bytes())
        with acting_as(job.created_by), transaction.atomic():
            outcome = loading.load(
                outreach_list_id=job.outreach_list_id,
                landlord_id=job.landlord_id,
                source=source,
                mapping=mapping,
                mode=job.mode,
                today=today,
                progress=progress,
            )
            if job.dry_run or not outcome.written:
                transaction.set_rollback(True)
                outcome.written = False
            else:
                counts = outcome.counts
                recorder.record_bulk(
                    "outreach.landlord_file",
                    Prospect,
                    counts["created"] + counts["updated"] + counts["left"],
                    on=job.outreach_list,
                )
                rescore(outreach_list=job.outreach_list, only_active_on=today)
                apply_assignments(outreach_list=job.outreach_list)
    except (ReadError, ValidationError) as error:
        job.status = ImportStatus.FAILED
        job.error = (str(error) if isinstance(error, ReadError) else " ".join(error.messages))[:500]
    except Exception as error:
        logger.exception(
            "outreach import failed", extra={"job": job.pk, "error": type(error).__name__}
        )
        job.status, job.error = (
            ImportStatus.FAILED,
            _("Erreur inattendue : l'import n'a rien écrit."),
        )
    else:
        job.status = ImportStatus.DONE
        job.counts = outcome.counts
        job.problems = outcome.problems
        job.written = outcome.written
        job.total_lines = outcome.total_lines
    job.finished_at = timezone.now()
    if not job.dry_run and job.file:
        job.file.delete(save=False)  # the extract is not kept once imported
    job.save()
    cache.delete(_progress_key(job.pk))
    return job


def forget_prospects(now: datetime.datetime | None = None) -> dict[str, int]:
    """Daily: targets never followed and idle for their program's retention period are deleted
    (those who asked not to be contacted again keep only their reference and that wish, so that
    the next file does not bring them back); checked files wait 7 days, reports 90."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    deleted = kept = 0
    for outreach_list in OutreachList.objects.select_related("program"):
        limit = add_months(today, -outreach_list.program.outreach_retention_months)
        idle = Prospect.objects.filter(
            outreach_list=outreach_list, person__isnull=True, active_on__lt=limit
        )
        with recorder.listed("outreach.retention"):
            minimised = (
                idle.filter(status=ProspectStatus.DO_NOT_CONTACT)
                .exclude(last_name="", first_name="", address="", phone="", birth_year=None)
                .update(last_name="", first_name="", address="", phone="", birth_year=None)
            )
        recorder.record_bulk("outreach.retention", Prospect, minimised, on=outreach_list)
        kept += minimised
        _total, by_model = idle.exclude(status=ProspectStatus.DO_NOT_CONTACT).delete()
        deleted += by_model.get(Prospect._meta.label, 0)
    files = 0
    for job in ProspectImport.objects.filter(
        created_at__lt=now - datetime.timedelta(days=FILE_KEPT_DAYS)
    ).exclude(file=""):
        job.file.delete(save=True)
        files += 1
    jobs = ProspectImport.objects.filter(
        created_at__lt=now - datetime.timedelta(days=JOB_KEPT_DAYS)
    ).delete()[0]
    return {"deleted": deleted, "minimised": kept, "files": files, "jobs": jobs}
