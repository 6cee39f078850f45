"""Rent notice (avis d'échéance) and receipt (quittance de loyer) as PDF, with ReportLab.

The figures come from the same rows as the account page: a notice shows the charge of a month, the
allowances received for that month and what remains for the occupant; a receipt exists only for a
month the occupant has fully paid (art. 21 of the law of 6 July 1989).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ancrage.core import pdf
from ancrage.core.money import NARROW_NBSP, NBSP
from ancrage.core.money import format_euros as _format_euros
from ancrage.housing.rent import month_label


def format_euros(value) -> str:
    """Amounts with a no-break space the PDF's standard fonts have (not the narrow one)."""
    return _format_euros(value).replace(NARROW_NBSP, NBSP)


def _styles():
    styles = pdf.styles()
    return styles["Title"], styles["Heading2"], styles["BodyText"]


def _address(organization) -> str:
    parts = [organization.name]
    if getattr(organization, "address", ""):
        parts.append(organization.address)
    if getattr(organization, "commune", None):
        parts.append(str(organization.commune))
    return "<br/>".join(parts)


def _unit_address(unit) -> str:
    residence = unit.residence
    where = ", ".join(p for p in [residence.address, str(residence.commune or "")] if p)
    return f"{residence.name} — logement {unit.reference}" + (f", {where}" if where else "")


def _table(rows, *, total_row=True):
    table = Table(rows, colWidths=[120 * mm, 45 * mm])
    pdf.register_fonts()
    style = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_row:
        style += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
            ("FONTNAME", (0, -1), (-1, -1), pdf.BOLD),
        ]
    table.setStyle(TableStyle(style))
    return table


def _build(title: str, story) -> bytes:
    return pdf.build(title, story)


def notice_pdf(charge, *, allowances: Decimal) -> bytes:
    """Avis d'échéance: the month's charge, the allowances received for it, the rest to pay."""
    title_style, heading, body = _styles()
    unit = charge.booking.bed.unit
    due = max(charge.amount - allowances, Decimal(0))
    story = [
        Paragraph(f"Avis d'échéance — {month_label(charge.month)}", title_style),
        Paragraph(_address(unit.residence.organization), body),
        Spacer(1, 6 * mm),
        Paragraph(f"<b>Occupant·e :</b> {charge.person}", body),
        Paragraph(f"<b>Logement :</b> {_unit_address(unit)}", body),
        Spacer(1, 6 * mm),
        _table(
            [
                ["Détail", "Montant"],
                [Paragraph(charge.label, body), format_euros(charge.amount)],
                ["Aides versées en tiers payant pour ce mois", f"– {format_euros(allowances)}"],
                ["Reste à payer", format_euros(due)],
            ]
        ),
        Spacer(1, 8 * mm),
        Paragraph(
            f"Avis établi le {timezone.localdate():%d/%m/%Y}. Cet avis n'est pas une quittance.",
            body,
        ),
    ]
    return _build(f"Avis d'échéance {month_label(charge.month)}", story)


def receipt_pdf(charge, *, allowances: Decimal, paid: Decimal) -> bytes:
    """Quittance de loyer for a month fully paid (by the occupant and the allowances)."""
    title_style, heading, body = _styles()
    unit = charge.booking.bed.unit
    manager = unit.residence.organization
    story = [
        Paragraph(f"Quittance de loyer — {month_label(charge.month)}", title_style),
        Paragraph(_address(manager), body),
        Spacer(1, 6 * mm),
        Paragraph(
            f"{manager.name} reconnaît avoir reçu de <b>{charge.person}</b> la somme de "
            f"<b>{format_euros(paid)}</b> et, en tiers payant, {format_euros(allowances)} d'aides au "
            f"logement, soit {format_euros(charge.amount)}, au titre du loyer et des charges de "
            f"{month_label(charge.month)} pour le logement : {_unit_address(unit)}.",
            body,
        ),
        Spacer(1, 6 * mm),
        _table(
            [
                ["Détail", "Montant"],
                [Paragraph(charge.label, body), format_euros(charge.amount)],
                ["Dont aides au logement (tiers payant)", format_euros(allowances)],
                ["Dont payé par l'occupant·e", format_euros(paid)],
            ],
            total_row=False,
        ),
        Spacer(1, 8 * mm),
        Paragraph(
            f"Quittance délivrée le {timezone.localdate():%d/%m/%Y}, sous réserve de tous droits. "
            "Elle annule tous les reçus qui auraient pu être donnés pour acompte sur cette période.",
            body,
        ),
    ]
    return _build(f"Quittance {month_label(charge.month)}", story)
