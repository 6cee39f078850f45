"""The agreement as a PDF, drawn from a versioned template: an agreement keeps the version it was
made with (``Agreement.template_version``), so that reprinting an old one gives the text signed.
A new wording is a new entry of ``TEMPLATES``, never an edit of an existing one."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ancrage.core import pdf
from ancrage.core.money import format_euros
from ancrage.funding.models import Agreement
from ancrage.indicators.definitions import INDICATORS

CURRENT_VERSION = "2026-1"

# Each article: (title, text); ``{…}`` are filled from the agreement.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "2026-1": [
        (
            "Article 1 — Objet",
            "La présente convention a pour objet : {subject}. Elle s'inscrit dans le dispositif "
            "« {program} ».",
        ),
        (
            "Article 2 — Durée",
            "La convention court du {starts_on} au {ends_on}. Elle peut être renouvelée par "
            "avenant ; le financeur en informe le bénéficiaire au moins trois mois avant son terme.",
        ),
        (
            "Article 3 — Montant de la subvention",
            "Le financeur attribue au bénéficiaire une subvention de {total} sur la durée de la "
            "convention, répartie par année civile comme indiqué ci-dessous.",
        ),
        (
            "Article 4 — Modalités de versement",
            "Une avance de {advance_percent} % au plus du montant de l'année peut être versée. Le "
            "solde est versé après l'approbation par le financeur du bilan annuel de l'année, "
            "remis au plus tard le 31 mars de l'année suivante, et si chaque objectif fixé pour "
            "l'année est atteint à {objectives_percent} % au moins.",
        ),
        (
            "Article 5 — Objectifs et évaluation",
            "Les objectifs sont fixés par année et par indicateur ; les indicateurs sont calculés "
            "par Ancrage à partir des données saisies par le bénéficiaire, selon les définitions "
            "publiées sur la page « Définitions » des indicateurs. Un bilan final couvrant toute "
            "la durée de la convention est remis au terme de celle-ci.",
        ),
        (
            "Article 6 — Protection des données",
            "Les chiffres transmis au financeur sont agrégés et ne contiennent aucune donnée "
            "nominative ; les détails de moins de {threshold} personnes ne lui sont pas montrés.",
        ),
    ],
}


def agreement_pdf(agreement: Agreement) -> bytes:
    from django.conf import settings

    from ancrage.funding.enums import MAX_ADVANCE_PERCENT

    styles = pdf.styles()
    body, heading = styles["BodyText"], styles["Heading3"]
    e = pdf.escape
    amounts = list(agreement.amounts.all())
    values = {
        "subject": e(agreement.subject.strip().rstrip(".")),
        "program": e(agreement.program.name),
        "starts_on": f"{agreement.starts_on:%d/%m/%Y}",
        "ends_on": f"{agreement.ends_on:%d/%m/%Y}",
        "total": format_euros(sum(a.amount_cents for a in amounts) / 100),
        "advance_percent": MAX_ADVANCE_PERCENT,
        "objectives_percent": agreement.objectives_percent,
        "threshold": settings.ANCRAGE_SMALL_CELL_THRESHOLD,
    }
    version = (
        agreement.template_version if agreement.template_version in TEMPLATES else (CURRENT_VERSION)
    )
    story = [
        Paragraph(f"Convention de financement {agreement.reference}", styles["Title"]),
        Paragraph(
            f"Entre <b>{e(agreement.funder.name)}</b>, le financeur, et "
            f"<b>{e(agreement.beneficiary.name)}</b>, le bénéficiaire.",
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [["Année", "Montant"]] + [
        [str(a.year), format_euros(a.amount_cents / 100)] for a in amounts
    ]
    amounts_table = Table(rows, colWidths=[60 * mm, 60 * mm])
    amounts_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"),
            ]
        )
    )
    for title, text in TEMPLATES[version]:
        story += [Paragraph(title, heading), Paragraph(text.format(**values), body)]
        if "{total}" in text:  # the article of the amount: the years right below it
            story += [Spacer(1, 2 * mm), amounts_table]
    objectives = list(agreement.objectives.all())
    if objectives:
        story.append(Paragraph("Objectifs", heading))
        rows = [["Année", "Indicateur", "Objectif"]] + [
            [
                str(o.year),
                Paragraph(
                    e(INDICATORS[o.indicator].label if o.indicator in INDICATORS else o.indicator),
                    body,
                ),
                f"{o.value:g}".replace(".", ","),
            ]
            for o in objectives
        ]
        table = Table(rows, colWidths=[20 * mm, 110 * mm, 30 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                    ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                    ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    story += [
        Spacer(1, 12 * mm),
        Paragraph("Fait en deux exemplaires, le ____________________.", body),
        Spacer(1, 6 * mm),
        Paragraph(f"Pour {e(agreement.funder.name)} :", body),
        Spacer(1, 14 * mm),
        Paragraph(f"Pour {e(agreement.beneficiary.name)} :", body),
        Spacer(1, 14 * mm),
        Spacer(1, 6 * mm),
        Paragraph(
            f"Modèle de convention version {version} ; document établi par Ancrage le "
            f"{timezone.localdate():%d/%m/%Y}.",
            styles["Italic"],
        ),
    ]
    return pdf.build(f"Convention {agreement.reference}", story)
