"""The attendance certificate of a citizen pathway: the apprentice, the pathway, each module with
who delivered it, the hours expected and attended, the days, and the completion — the figures of
the pathway's page, drawn from the same ``Progress``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ancrage.core import pdf

if TYPE_CHECKING:
    from ancrage.partnerships.pathway_queries import Progress


def certificate_pdf(progress: Progress, *, issued_on: datetime.date | None = None) -> bytes:
    pathway = progress.pathway
    person, template = pathway.person, pathway.template
    issued_on = issued_on or timezone.localdate()
    styles = pdf.styles()
    body, e = styles["BodyText"], pdf.escape
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    rows: list[list] = [
        [_("Module"), _("Animé par"), _("Prévu"), _("Suivi"), _("Séances"), _("État")]
    ]
    for row in progress.modules:
        module = row.module
        days = ", ".join(f"{timezone.localtime(at):%d/%m/%Y}" for at in row.attended_on) or "—"
        rows.append(
            [
                Paragraph(
                    e(module.title) + ("" if module.is_required else " " + e(_("(facultatif)"))),
                    body,
                ),
                Paragraph(e(module.delivered_by.name), body),
                f"{module.expected_hours} h",
                row.attended_hours,
                Paragraph(e(days), small),
                _("validé") if row.done else _("en cours"),
            ]
        )
    table = Table(rows, colWidths=[44 * mm, 38 * mm, 14 * mm, 16 * mm, 40 * mm, 18 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, "#999999"),
            ]
        )
    )
    story: list = [
        Paragraph(e(_("Attestation de suivi du parcours citoyen")), styles["Title"]),
        Paragraph(
            _(
                "%(organization)s atteste que %(person)s a suivi le parcours « %(pathway)s » "
                "(dispositif %(program)s), ouvert le %(opened)s."
            )
            % {
                "organization": e(pathway.organization.name),
                "person": "<b>" + e(f"{person.first_name} {person.last_name}") + "</b>",
                "pathway": e(template.title),
                "program": e(template.program.name),
                "opened": f"{pathway.opened_on:%d/%m/%Y}",
            },
            body,
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "Parcours réalisé à %(percent)d %% (%(done)d module(s) validé(s) sur %(count)d %(which)s)."
            )
            % {
                "percent": progress.completion,
                "done": sum(m.done for m in progress.counted),
                "count": len(progress.counted),
                "which": _("obligatoires")
                if any(m.module.is_required for m in progress.modules)
                else _("au total"),
            },
            body,
        ),
        Spacer(1, 8 * mm),
        Paragraph(
            _("Fait le %(day)s, pour servir et valoir ce que de droit.")
            % {"day": f"{issued_on:%d/%m/%Y}"},
            body,
        ),
    ]
    return pdf.build(_("Attestation — %(pathway)s") % {"pathway": template.title}, story)


def certificate_download(pathway, actor):
    """The certificate as a download, the read of the apprentice's file audited (the page and
    the API alike)."""
    from django.http import HttpResponse

    from ancrage.core.signals import object_viewed
    from ancrage.partnerships.pathway_queries import progress_of
    from ancrage.people.models import Person

    object_viewed.send(sender=Person, instance=pathway.person, actor=actor)
    response = HttpResponse(
        certificate_pdf(progress_of([pathway])[pathway.pk]), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-parcours-{pathway.pk}.pdf"'
    )
    return response
