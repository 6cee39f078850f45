"""A pack's monthly statement: every delivery of the month, with its totals by category, payer
and provider — what the residence manager sends to the program and checks against the
providers' invoices. The page, the XLSX and the « coût des prestations » indicator add up the
same rows (quantity × unit cost, in cents)."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from ancrage.catalogue import packs
from ancrage.catalogue.models import Category, Delivery, Pack, Payer
from ancrage.core.listing import neutralise


@dataclass
class Statement:
    pack: Pack
    month: datetime.date
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        return sum(d.cost_cents for d in self.deliveries)

    @property
    def quantity(self) -> int:
        return sum(d.quantity for d in self.deliveries)

    def _by(self, key) -> list[tuple[str, int, int]]:
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for delivery in self.deliveries:
            row = totals[key(delivery)]
            row[0] += delivery.quantity
            row[1] += delivery.cost_cents
        return [(label, quantity, cents) for label, (quantity, cents) in sorted(totals.items())]

    @property
    def by_category(self) -> list[tuple[str, int, int]]:
        return self._by(lambda d: str(Category(d.entitlement.category).label))

    @property
    def by_payer(self) -> list[tuple[str, int, int]]:
        return self._by(lambda d: str(Payer(d.payer).label))

    @property
    def by_provider(self) -> list[tuple[str, int, int]]:
        return self._by(lambda d: d.provider.name if d.provider else "La résidence")


def monthly_statement(pack: Pack, month: datetime.date) -> Statement:
    start, end = packs.month_of(month)
    deliveries = list(
        Delivery.objects.filter(
            entitlement__pack=pack, delivered_on__gte=start, delivered_on__lt=end
        )
        .select_related("entitlement", "person", "provider")
        .order_by("delivered_on", "person__last_name", "person__first_name", "id")
    )
    return Statement(pack=pack, month=start, deliveries=deliveries)


EUROS = '#,##0.00 "€"'
COLUMNS = (
    ("Date", 12),
    ("Résident·e", 28),
    ("Droit", 30),
    ("Catégorie", 18),
    ("Assuré par", 28),
    ("Quantité", 10),
    ("Coût unitaire", 14),
    ("Coût", 14),
    ("Payé par", 18),
    ("Motif du dépassement", 36),
)


def statement_xlsx(statement: Statement) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Prestations"
    label = packs.month_label(statement.month)
    sheet.append([neutralise(f"Relevé des prestations — {statement.pack.name} — {label}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([title for title, _width in COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for delivery in statement.deliveries:
        sheet.append(
            [
                delivery.delivered_on,
                neutralise(str(delivery.person)),
                neutralise(delivery.entitlement.label),
                str(Category(delivery.entitlement.category).label),
                neutralise(delivery.provider.name) if delivery.provider else "La résidence",
                delivery.quantity,
                delivery.unit_cost_cents / 100,
                delivery.cost_cents / 100,
                str(Payer(delivery.payer).label),
                neutralise(delivery.reason_beyond),
            ]
        )
        row = sheet.max_row
        sheet.cell(row=row, column=1).number_format = "DD/MM/YYYY"
        sheet.cell(row=row, column=7).number_format = EUROS
        sheet.cell(row=row, column=8).number_format = EUROS
    sheet.append([])
    sheet.append(["Total", "", "", "", "", statement.quantity, "", statement.total_cents / 100])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.cell(row=sheet.max_row, column=8).number_format = EUROS
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    totals = workbook.create_sheet("Totaux")
    totals.append([neutralise(f"Totaux — {statement.pack.name} — {label}")])
    totals["A1"].font = Font(bold=True, size=13)
    for title, rows in (
        ("Par catégorie", statement.by_category),
        ("Par payeur", statement.by_payer),
        ("Par prestataire", statement.by_provider),
    ):
        totals.append([])
        totals.append([title, "Quantité", "Coût"])
        for cell in totals[totals.max_row]:
            cell.font = Font(bold=True)
        for name, quantity, cents in rows:
            totals.append([neutralise(name), quantity, cents / 100])
            totals.cell(row=totals.max_row, column=3).number_format = EUROS
    totals.append([])
    totals.append(["Total du mois", statement.quantity, statement.total_cents / 100])
    totals.cell(row=totals.max_row, column=1).font = Font(bold=True)
    totals.cell(row=totals.max_row, column=3).number_format = EUROS
    totals.column_dimensions["A"].width = 34
    totals.column_dimensions["B"].width = 12
    totals.column_dimensions["C"].width = 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(statement: Statement) -> str:
    return f"releve-prestations-{statement.pack.pk}-{statement.month:%Y-%m}.xlsx"
