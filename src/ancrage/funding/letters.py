"""The decision letter of an application to a call: selected (the amount, the agreement) or not
(the reason, the score and the rank), printed in DejaVu Sans so that every name prints."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from ancrage.core import pdf
from ancrage.core.money import format_euros
from ancrage.funding.enums import ApplicationStatus
from ancrage.funding.models import Application
from ancrage.funding.queries import ranking


def decision_letter_pdf(application: Application) -> bytes:
    call = application.call
    styles = pdf.styles()
    body, title = styles["BodyText"], styles["Title"]
    e = pdf.escape
    decided = timezone.localtime(application.decided_at) if application.decided_at else None
    story = [
        Paragraph(e(call.funder.name), styles["Heading3"]),
        Spacer(1, 4 * mm),
        Paragraph(f"À l'attention de {e(application.applicant.name)}", body),
        Paragraph(f"Le {decided:%d/%m/%Y}" if decided else "", body),
        Spacer(1, 6 * mm),
        Paragraph(f"Appel à projets « {e(call.title)} » — décision", title),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Votre candidature, déposée le "
            f"{timezone.localtime(application.submitted_at):%d/%m/%Y à %H:%M:%S}, a été examinée "
            "selon la grille de l'appel par les évaluateurs désignés.",
            body,
        ),
    ]
    entries = ranking(call)
    mine = next((r for r in entries if r.application.pk == application.pk), None)
    if mine is not None and mine.score is not None:
        story.append(
            Paragraph(
                f"Note obtenue : <b>{mine.score:.1f}/100</b>".replace(".", ",")
                + f" ; rang {mine.rank} sur {len([r for r in entries if r.rank])}.",
                body,
            )
        )
    if application.status == ApplicationStatus.SELECTED:
        agreement = application.agreement
        amounts = list(agreement.amounts.all()) if agreement else []
        yearly = format_euros(amounts[0].amount_cents / 100) if amounts else "—"
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                "<b>Votre candidature est retenue.</b> "
                f"Une subvention de {yearly} par an vous est accordée"
                + (
                    f" du {agreement.starts_on:%d/%m/%Y} au {agreement.ends_on:%d/%m/%Y}, "
                    f"selon la convention {agreement.reference}"
                    if agreement
                    else ""
                )
                + f". Votre structure rejoint le dispositif « {e(call.program.name)} ».",
                body,
            ),
        ]
    else:
        story += [
            Spacer(1, 4 * mm),
            Paragraph("<b>Votre candidature n'est pas retenue.</b>", body),
        ]
    if application.decision_comment:
        story.append(Paragraph(f"Motif : {e(application.decision_comment)}", body))
    story += [
        Spacer(1, 10 * mm),
        Paragraph(f"Pour {e(call.funder.name)}", body),
        Spacer(1, 4 * mm),
        Paragraph(
            "Lettre établie par Ancrage à partir de la décision enregistrée ; elle ne contient "
            "aucune donnée personnelle des personnes accompagnées.",
            styles["Italic"],
        ),
    ]
    return pdf.build(f"Décision — {call.title}", story)
