"""A partner agreement as a PDF, drawn from a versioned template: an agreement keeps the version
it was made with, so that reprinting it gives the text the parties signed. A new wording is a
new entry of ``TEMPLATES``, never an edit of an existing one."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ancrage.core import pdf
from ancrage.core.money import format_euros
from ancrage.partnerships.models import PartnerAgreement
from ancrage.programs.enums import ParticipantRole

CURRENT_VERSION = "2026-1"

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "2026-1": [
        ("Article 1 — Objet", "{purpose}"),
        (
            "Article 2 — Durée",
            "La convention court du {starts_on} au {ends_on}. Les parties se rencontrent au "
            "moins {notice} jours avant son terme pour décider de son renouvellement.",
        ),
        (
            "Article 3 — Engagements des parties",
            "Chaque partie s'engage comme indiqué ci-dessous, dans le respect de son rôle.",
        ),
        (
            "Article 4 — Suivi",
            "Les parties suivent la convention ensemble et partagent un bilan annuel. Les "
            "indicateurs sont calculés par Ancrage à partir des données saisies.",
        ),
        (
            "Article 5 — Données personnelles",
            "Les parties n'échangent de données sur les personnes accompagnées qu'avec leur "
            "accord, et seulement ce que l'accompagnement demande.",
        ),
    ],
}


def agreement_pdf(agreement: PartnerAgreement) -> bytes:
    styles = pdf.styles()
    body, heading, e = styles["BodyText"], styles["Heading3"], pdf.escape
    parties = list(agreement.parties.select_related("organization"))
    values = {
        "purpose": e(agreement.purpose),
        "starts_on": f"{agreement.starts_on:%d/%m/%Y}",
        "ends_on": f"{agreement.ends_on:%d/%m/%Y}",
        "notice": agreement.renewal_notice_days,
    }
    version = (
        agreement.template_version if agreement.template_version in TEMPLATES else CURRENT_VERSION
    )
    role_label = dict(ParticipantRole.choices)
    story: list = [
        Paragraph(e(agreement.title), styles["Title"]),
        Paragraph(
            "Convention de partenariat"
            + (f" — dispositif « {e(agreement.program.name)} »" if agreement.program else ""),
            body,
        ),
        Spacer(1, 3 * mm),
    ]
    rows: list[list] = [["Partie", "Rôle", "Engagement", "Montant"]]
    for party in parties:
        rows.append(
            [
                Paragraph(e(party.organization.name), body),
                Paragraph(e(str(role_label.get(party.role, party.role))), body),
                Paragraph(e(party.commitment or "—"), body),
                Paragraph(
                    format_euros(party.amount_cents / 100)
                    if party.amount_cents is not None
                    else "—",
                    body,
                ),
            ]
        )
    table = Table(rows, colWidths=[45 * mm, 30 * mm, 70 * mm, 25 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"),
            ]
        )
    )
    for title, text in TEMPLATES[version]:
        story += [Paragraph(title, heading), Paragraph(text.format(**values), body)]
        if title.startswith("Article 3"):
            story += [Spacer(1, 2 * mm), table]
    story += [Spacer(1, 8 * mm), Paragraph("Signatures", heading)]
    signatures = Table(
        [[Paragraph(f"Pour {e(p.organization.name)}<br/><br/><br/>", body)] for p in parties],
        colWidths=[170 * mm],
    )
    signatures.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.3, "#999999")]))
    story.append(signatures)
    return pdf.build(agreement.title, story)
