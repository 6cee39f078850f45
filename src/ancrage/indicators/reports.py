"""The funder's documents: the annual report (PDF and XLSX), the reporting table (XLSX) and the
open-data CSV. Every figure comes from the rollup tables, the same as on the dashboard."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ancrage.activities.queries import ResidenceLife, residence_life
from ancrage.core import pdf
from ancrage.core.enums import TerritoryKind
from ancrage.core.routers import reading_database
from ancrage.core.secrecy import complete_withholding
from ancrage.core.signals import object_viewed
from ancrage.indicators.access import Selection
from ancrage.indicators.definitions import CLLAJ_SIX, INDICATORS, UNKNOWN, category_label
from ancrage.indicators.enums import Grain, Kind, ReportStatus, Scope
from ancrage.indicators.models import Aggregate, AnnualReport, Target
from ancrage.indicators.queries import (
    DEFAULT_KEY_INDICATORS,
    KEY_INDICATORS,
    MONTH_NAMES,
    Figure,
    PeriodFigure,
    cell_filter,
    figures,
    format_number,
    period_figures,
    ratio,
)
from ancrage.people.models import age_on
from ancrage.programs.enums import SUPPORTING_ROLES
from ancrage.programs.models import ProgramParticipant
from ancrage.support.models import Enrollment

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


def slug(text: str) -> str:
    return slugify(text)[:60] or "export"


@dataclass
class ReportData:
    organization: object
    year: int
    figures: list[Figure]
    report: AnnualReport | None
    generated_on: datetime.date
    # The life of its residences (participation in their activities, the residents' survey).
    residences: list[ResidenceLife] = field(default_factory=list)

    @property
    def period(self) -> str:
        """« du 1er janvier au 31 décembre 2025 », or up to today for the year under way."""
        today = self.generated_on
        if self.year < today.year:
            return f"du 1er janvier au 31 décembre {self.year}"
        return f"du 1er janvier au {format_day(today)} {self.year} (année en cours)"

    @property
    def status_line(self) -> str:
        """« État : approuvé le 03/03/2027 par … » as the PDF and the XLSX print it."""
        report = self.report
        if report is None or report.status == ReportStatus.DRAFT:
            return "État : en rédaction (non remis au financeur)."
        when = report.decided_at if report.status != ReportStatus.SUBMITTED else report.submitted_at
        day = f" le {timezone.localtime(when):%d/%m/%Y}" if when else ""
        return f"État : {str(report.get_status_display()).lower()}{day}."

    @property
    def has_targets(self) -> bool:
        return any(f.target for f in self.figures)


def format_day(day: datetime.date) -> str:
    """« 30 novembre », « 1er mars »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {date_format(day, 'F').lower()}"


def report_indicators(organization) -> tuple[str, ...]:
    """A CLLAJ reports its six indicators; another organization, those of the program it runs."""
    if organization.kind == "cllaj":
        return CLLAJ_SIX
    participation = (
        ProgramParticipant.objects.filter(organization=organization, role__in=SUPPORTING_ROLES)
        .select_related("program")
        .order_by("role", "program__name")
        .first()
    )
    if participation is None:
        return DEFAULT_KEY_INDICATORS
    return KEY_INDICATORS.get(participation.program.kind, DEFAULT_KEY_INDICATORS)


# Shown in the reports when they have figures, after the organization's own indicators: support
# and pathways, the observatory of needs (seed 003), the employee partnership (seed 002), the
# citizen pathway and the life of residences (seeds 000 and 001).
SUPPORT_FAMILY = tuple(
    code
    for code, i in INDICATORS.items()
    if i.family in ("support", "needs", "partnership", "residence_life")
)


def annual_report_data(organization, year: int, *, mask_below: int | None = None) -> ReportData:
    """The organization's report indicators, then those of support and pathways that have
    figures, with the objectives its programs set for the year; ``mask_below`` for readers
    outside its team."""
    selection = Selection(Scope.ORGANIZATION, organization)
    main = report_indicators(organization)
    codes = [*main, *(c for c in SUPPORT_FAMILY if c not in main)]
    shown = [
        f
        for f in figures(selection, year, codes=codes, mask_below=mask_below)
        if f.indicator.code in main or f.has_data
    ]
    # Objectives are set per program for the organization: the report shows them (the first
    # program's by name when two set the same indicator).
    for target in (
        Target.objects.filter(organization=organization, year=year)
        .order_by("-program__name")
        .only("indicator", "value")
    ):
        for figure in shown:
            if figure.indicator.code == target.indicator:
                figure.target = target.value
    return ReportData(
        organization,
        year,
        shown,
        AnnualReport.objects.filter(organization=organization, year=year).first(),
        timezone.localdate(),
        residence_life(organization, year, mask_below=mask_below),
    )


@dataclass
class PeriodReportData:
    """The final report over an agreement's period: each figure over the whole period (people
    counted once) beside each calendar year, and the annual reports of those years."""

    organization: Any
    first_month: datetime.date
    last_month: datetime.date
    figures: list[PeriodFigure]
    reports: list[tuple[int, AnnualReport | None]]
    computed_at: datetime.datetime | None

    @property
    def period(self) -> str:
        """« de janvier 2025 à décembre 2026 »."""
        first = date_format(self.first_month, "F Y").lower()
        last = date_format(self.last_month, "F Y").lower()
        return f"de {first} à {last}"

    @property
    def months(self) -> int:
        return (
            (self.last_month.year - self.first_month.year) * 12
            + self.last_month.month
            - self.first_month.month
            + 1
        )


def period_report_data(
    organization,
    first_month: datetime.date,
    last_month: datetime.date,
    *,
    mask_below: int | None = None,
) -> PeriodReportData:
    """The figures of the organization's report indicators over the period (see ``track_period``:
    the period must be computed), then those of support and pathways that have figures."""
    from ancrage.indicators.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(first_month=first_month, last_month=last_month).first()
    main = report_indicators(organization)
    codes = [*main, *(c for c in SUPPORT_FAMILY if c not in main)]
    found = period_figures(
        Selection(Scope.ORGANIZATION, organization),
        first_month,
        last_month,
        codes=codes,
        mask_below=mask_below,
    )
    shown = [f for f in found if f.indicator.code in main or f.found]
    years = range(first_month.year, last_month.year + 1)
    by_year = {
        r.year: r for r in AnnualReport.objects.filter(organization=organization, year__in=years)
    }
    # A year whose report was handed in shows the figures handed in (those the funder read).
    for figure in shown:
        figure.years = [
            (
                year,
                by_year[year].frozen.get(figure.indicator.code, value)
                if year in by_year and by_year[year].status != ReportStatus.DRAFT
                else value,
            )
            for year, value in figure.years
        ]
    return PeriodReportData(
        organization,
        first_month,
        last_month,
        shown,
        [(year, by_year.get(year)) for year in years],
        period.computed_at if period else None,
    )


def _pdf_text(text: str) -> str:
    """The standard PDF fonts have the no-break space but not the narrow one."""
    return text.replace(NARROW_NBSP, NBSP)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraphs(text: str, style) -> list:
    blocks = [b.strip() for b in (text or "").split("\n\n") if b.strip()]
    if not blocks:
        return [Paragraph("<i>Non renseigné.</i>", style)]
    return [Paragraph(_escape(b).replace("\n", "<br/>"), style) for b in blocks]


def _month_chart(figure: Figure, year: int) -> Drawing:
    drawing = Drawing(170 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = 150 * mm, 40 * mm
    chart.data = [
        [c or 0 for _, c, _ in figure.months],
        [p or 0 for _, _, p in figure.months],
    ]
    chart.categoryAxis.categoryNames = [m[:4].rstrip(".") for m in MONTH_NAMES]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([v for row in chart.data for v in row] or [0])
    if figure.indicator.kind in (Kind.DISTINCT, Kind.SUM):
        chart.valueAxis.valueStep = max(1, round(top / 5))  # whole people, whole events
    chart.bars[0].fillColor = colors.HexColor("#1f4e79")
    chart.bars[1].fillColor = colors.HexColor("#a9c4e0")
    chart.barSpacing = 1
    drawing.add(chart)
    drawing.add(
        String(
            12 * mm,
            51 * mm,
            f"Par mois : {year} (foncé) et {year - 1} (clair)",
            fontSize=8,
            fontName=pdf.register_fonts()[0],
        )
    )
    return drawing


def _shown_cell(value, figure: Figure | PeriodFigure) -> str:
    if value is None:
        return f"moins de {settings.ANCRAGE_SMALL_CELL_THRESHOLD}"
    return _pdf_text(format_number(value, figure.indicator.unit))


def annual_report_pdf(data: ReportData) -> bytes:
    styles = pdf.styles()
    title, heading, body, small = (
        styles["Title"],
        styles["Heading2"],
        styles["BodyText"],
        styles["Italic"],
    )
    organization = data.organization
    where = f", {organization.commune}" if getattr(organization, "commune", None) else ""
    story = [
        Paragraph(f"Bilan annuel {data.year}", title),
        Paragraph(f"<b>{_escape(organization.name)}</b>{_escape(where)}", body),
        Paragraph(
            f"Période : {data.period}. Chiffres calculés par Ancrage "
            f"à partir des données saisies, le {data.generated_on:%d/%m/%Y}.",
            body,
        ),
        Paragraph(_escape(data.status_line), body),
        Spacer(1, 5 * mm),
        Paragraph("Indicateurs d'évaluation", heading),
    ]
    rows = [["Indicateur", str(data.year), str(data.year - 1), "Évolution"]]
    if data.has_targets:
        rows[0] += ["Objectif", "Atteint"]
    for figure in data.figures:
        row = [
            Paragraph(_escape(figure.indicator.label), body),
            _pdf_text(figure.shown),
            _pdf_text(figure.shown_previous),
            _pdf_text(figure.change or "—"),
        ]
        if data.has_targets:
            share = figure.target_share
            row += [
                _pdf_text(figure.shown_target) if figure.target else "—",
                f"{share:.0f} %" if share is not None else "—",
            ]
        rows.append(row)
    widths = [95 * mm, 25 * mm, 25 * mm, 25 * mm]
    if data.has_targets:
        widths = [67 * mm, 20 * mm, 20 * mm, 20 * mm, 22 * mm, 20 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f9")]),
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm)]
    story.append(Paragraph("Définitions", heading))
    for figure in data.figures:
        story.append(
            Paragraph(
                f"<b>{_escape(figure.indicator.label)}</b> : {_escape(figure.indicator.definition)}",
                body,
            )
        )
    for figure in data.figures:
        block = [
            Paragraph(_escape(figure.indicator.label), heading),
            _month_chart(figure, data.year),
        ]
        for dimension, entries in figure.breakdowns:
            if dimension == "Commune":
                entries = entries[:10]
            block.append(
                Paragraph(
                    f"<b>{_escape(dimension)}</b> : "
                    + " ; ".join(
                        f"{_escape(label)} {_shown_cell(value, figure)}" for label, value in entries
                    ),
                    body,
                )
            )
        story.append(KeepTogether(block))
    story += _residence_life_pdf(data.residences, heading, body)
    report = data.report
    story += [Paragraph("Freins rencontrés", heading)]
    story += _paragraphs(report.obstacles if report else "", body)
    story += [Paragraph("Analyse et perspectives", heading)]
    story += _paragraphs(report.analysis if report else "", body)
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            "Document sans donnée nominative : les chiffres sont des agrégats.",
            small,
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Bilan annuel {data.year} — {organization.name}",
        author="Ancrage",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        pageCompression=0,
    )
    document.build(story)
    return buffer.getvalue()


def _residence_life_pdf(lives: list[ResidenceLife], heading, body) -> list:
    if not lives:
        return []
    story: list = [Paragraph("Vie des résidences", heading)]
    rows = [["Résidence", "Résident·es", "Ont participé", "Taux", "Séances"]]
    for life in lives:
        rows.append(
            [
                Paragraph(_escape(life.residence.name), body),
                life.shown_residents,
                life.shown_participants,
                life.shown_rate,
                str(life.sessions),
            ]
        )
    table = Table(rows, colWidths=[60 * mm, 26 * mm, 34 * mm, 18 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm)]
    for life in lives:
        lines = life.survey_lines
        if lines:
            story.append(Paragraph(f"<b>{_escape(life.residence.name)}</b>", body))
            story += [Paragraph(_escape(line), body) for line in lines]
    return story


def period_report_pdf(data: PeriodReportData) -> bytes:
    """The final report as on its page: each figure per year and over the period (people counted
    once), the annual reports of the period, the definitions and the period's details."""
    styles = pdf.styles()
    heading, body, small = styles["Heading2"], styles["BodyText"], styles["Italic"]
    organization = data.organization
    computed = timezone.localtime(data.computed_at) if data.computed_at else None
    story = [
        Paragraph(f"Bilan sur la période {data.period}", styles["Title"]),
        Paragraph(f"<b>{_escape(organization.name)}</b>", body),
        Paragraph(
            "Chaque personne est comptée une fois sur toute la période ; les colonnes par année "
            "reprennent les bilans annuels (chiffres remis au financeur quand le bilan a été remis)."
            + (
                f" Chiffres calculés par Ancrage le {computed:%d/%m/%Y à %H:%M}."
                if computed
                else ""
            ),
            body,
        ),
        Paragraph(
            "Bilans annuels : "
            + " ; ".join(
                f"{year} {str(report.get_status_display()).lower() if report else 'en rédaction'}"
                for year, report in data.reports
            )
            + ".",
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(f"Indicateurs sur {data.months} mois", heading),
    ]
    years = [str(year) for year, _report in data.reports]
    rows = [["Indicateur", *years, "Sur la période"]]
    for figure in data.figures:
        rows.append(
            [
                Paragraph(_escape(figure.indicator.label), body),
                *[_pdf_text(shown) for _year, shown in figure.shown_years],
                _pdf_text(figure.shown),
            ]
        )
    label_width = 170 - 20 * len(years) - 36
    table = Table(
        rows, colWidths=[label_width * mm, *[20 * mm] * len(years), 36 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("FONTNAME", (-1, 1), (-1, -1), pdf.BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f9")]),
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm), Paragraph("Définitions", heading)]
    for figure in data.figures:
        story.append(
            Paragraph(
                f"<b>{_escape(figure.indicator.label)}</b> : {_escape(figure.indicator.definition)}",
                body,
            )
        )
    details = [f for f in data.figures if f.breakdowns]
    if details:
        story.append(Paragraph("Détails sur la période", heading))
    for figure in details:
        for dimension, entries in figure.breakdowns:
            story.append(
                Paragraph(
                    f"<b>{_escape(figure.indicator.label)} — {_escape(dimension)}</b> : "
                    + " ; ".join(
                        f"{_escape(label)} {_shown_cell(value, figure)}"
                        for label, value in entries[:10]
                    ),
                    body,
                )
            )
    story += [
        Spacer(1, 6 * mm),
        Paragraph("Document sans donnée nominative : les chiffres sont des agrégats.", small),
    ]
    return pdf.build(f"Bilan sur la période — {organization.name}", story)


# openpyxl (and NumPy, which it loads) is imported by the functions that write a workbook, so that
# a web process holds it only once someone downloads one.


def _header(sheet, titles: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _number(figure: Figure | PeriodFigure, value):
    if value is None:
        return None
    return round(value, 1) if figure.indicator.kind in (Kind.RATE, Kind.MEAN) else int(round(value))


def _xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annual_report_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicateurs"
    sheet.append([f"Bilan annuel {data.year} — {data.organization.name}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"Période : {data.period}. Calculé par Ancrage le {data.generated_on:%d/%m/%Y}, "
            "sans donnée nominative."
        ]
    )
    sheet.append([data.status_line])
    sheet.append([])
    _header(
        sheet,
        [
            "Indicateur",
            str(data.year),
            str(data.year - 1),
            "Évolution",
            "Objectif",
            "Atteint (%)",
            "Définition",
        ],
    )
    for figure in data.figures:
        share = figure.target_share
        sheet.append(
            [
                figure.indicator.label,
                _number(figure, figure.current) or 0,
                _number(figure, figure.previous),
                figure.change,
                figure.target,
                round(share) if share is not None else None,
                figure.indicator.definition,
            ]
        )
        sheet.cell(row=sheet.max_row, column=7).alignment = Alignment(wrap_text=True)
    _widths(sheet, [55, 12, 12, 12, 12, 12, 90])

    months = workbook.create_sheet("Par mois")
    _header(months, ["Mois", *[f.indicator.label for f in data.figures]])
    for index in range(12):
        months.append(
            [
                f"{MONTH_NAMES[index]} {data.year}",
                *[_number(f, f.months[index][1]) or 0 for f in data.figures],
            ]
        )
    _widths(months, [14] + [22] * len(data.figures))
    chart = BarChart()
    chart.title = (
        f"{data.figures[0].indicator.label} et {data.figures[1].indicator.label}, {data.year}"
    )
    chart.y_axis.title = "Nombre"
    chart.add_data(
        Reference(months, min_col=2, max_col=3, min_row=1, max_row=13), titles_from_data=True
    )
    chart.set_categories(Reference(months, min_col=1, min_row=2, max_row=13))
    chart.width, chart.height = 22, 9
    months.add_chart(chart, "A16")

    details = workbook.create_sheet("Détails")
    _header(details, ["Indicateur", "Répartition", "Catégorie", str(data.year)])
    for figure in data.figures:
        for dimension, entries in figure.breakdowns:
            for label, value in entries:
                details.append(
                    [
                        figure.indicator.label,
                        dimension,
                        label,
                        _number(figure, value)
                        if value is not None
                        else f"moins de {settings.ANCRAGE_SMALL_CELL_THRESHOLD}",
                    ]
                )
    _widths(details, [50, 22, 40, 12])

    if data.residences:
        lives = workbook.create_sheet("Vie des résidences")
        _header(lives, ["Résidence", "Résident·es", "Ont participé", "Taux", "Séances"])
        for life in data.residences:
            lives.append(
                [
                    life.residence.name,
                    life.shown_residents,
                    life.shown_participants,
                    life.shown_rate,
                    life.sessions,
                ]
            )
        for life in data.residences:
            lines = life.survey_lines
            if lines:
                lives.append([])
                lives.append([life.residence.name])
                lives.cell(row=lives.max_row, column=1).font = Font(bold=True)
                for line in lines:
                    lives.append([line])
        _widths(lives, [70, 14, 14, 10, 10])

    text = workbook.create_sheet("Analyse")
    report = data.report
    text.append(["Freins rencontrés"])
    text.append([report.obstacles if report and report.obstacles else "Non renseigné."])
    text.append([])
    text.append(["Analyse et perspectives"])
    text.append([report.analysis if report and report.analysis else "Non renseigné."])
    for row in (1, 4):
        text.cell(row=row, column=1).font = Font(bold=True)
    for row in (2, 5):
        text.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(text, [120])
    return _xlsx_bytes(workbook)


REPORTING_COLUMNS = [
    ("N° d'accompagnement", 12),
    ("Nom", 18),
    ("Prénom", 16),
    ("Date de naissance", 14),
    ("Âge au 31/12", 10),
    ("Commune", 24),
    ("Situation", 22),
    ("Situation de logement", 24),
    ("Demande le", 12),
    ("Accompagné·e depuis le", 14),
    ("Terminé le", 12),
    ("État", 14),
    ("Situation à la sortie", 30),
    ("Prêt au logement", 10),
    ("Contacts dans l'année", 10),
    ("Démarches", 10),
]


def period_report_xlsx(data: PeriodReportData) -> bytes:
    """The final report as on its page: each figure per year and over the period, the details."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicateurs"
    sheet.append([f"Bilan sur la période {data.period} — {data.organization.name}"])
    sheet["A1"].font = Font(bold=True, size=14)
    computed = timezone.localtime(data.computed_at) if data.computed_at else None
    sheet.append(
        [
            "Chaque personne est comptée une fois sur la période. Calculé par Ancrage"
            + (f" le {computed:%d/%m/%Y à %H:%M}" if computed else "")
            + ", sans donnée nominative."
        ]
    )
    sheet.append(
        [
            "Bilans annuels : "
            + " ; ".join(
                f"{year} {str(report.get_status_display()).lower() if report else 'en rédaction'}"
                for year, report in data.reports
            )
        ]
    )
    sheet.append([])
    years = [year for year, _report in data.reports]
    _header(sheet, ["Indicateur", *[str(y) for y in years], "Sur la période", "Définition"])
    for figure in data.figures:
        sheet.append(
            [
                figure.indicator.label,
                *[_number(figure, value) for _year, value in figure.years],
                _number(figure, figure.value),
                figure.indicator.definition,
            ]
        )
        sheet.cell(row=sheet.max_row, column=len(years) + 3).alignment = Alignment(wrap_text=True)
    _widths(sheet, [55, *[12] * len(years), 16, 90])
    details = workbook.create_sheet("Détails")
    _header(details, ["Indicateur", "Répartition", "Catégorie", "Sur la période"])
    for figure in data.figures:
        for dimension, entries in figure.breakdowns:
            for label, value in entries:
                details.append(
                    [
                        figure.indicator.label,
                        dimension,
                        label,
                        _number(figure, value)
                        if value is not None
                        else f"moins de {settings.ANCRAGE_SMALL_CELL_THRESHOLD}",
                    ]
                )
    _widths(details, [50, 22, 40, 14])
    return _xlsx_bytes(workbook)


def reporting_table_xlsx(organization, year: int, actor) -> bytes:
    """The CLLAJ reporting table: one row per person supported during the year (their latest
    enrollment). Personal data: each person exported is logged in the audit trail."""
    from openpyxl import Workbook

    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    enrollments = (
        Enrollment.objects.filter(organization=organization, started_on__isnull=False)
        .filter(started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("person", "person__commune", "exit")
        .annotate(
            contacts=Count(
                "person__contacts",
                filter=Q(
                    person__contacts__organization=organization,
                    person__contacts__occurred_at__year=year,
                ),
                distinct=True,
            ),
            steps_count=Count("steps", distinct=True),
        )
        .order_by("person__last_name", "person__first_name", "-started_on")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Reporting {year}"
    _header(sheet, [title for title, _ in REPORTING_COLUMNS])
    seen = set()
    december = datetime.date(year, 12, 31)
    for enrollment in enrollments:
        person = enrollment.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        exit_ = getattr(enrollment, "exit", None)
        sheet.append(
            [
                enrollment.pk,
                person.last_name.upper(),
                person.first_name,
                person.birth_date,
                age_on(person.birth_date, december),
                person.commune.name if person.commune else "",
                person.get_situation_display(),
                person.get_housing_situation_display(),
                enrollment.requested_on,
                enrollment.started_on,
                enrollment.ended_on,
                enrollment.get_status_display(),
                exit_.get_outcome_display() if exit_ else "",
                ("oui" if exit_.ready_for_housing else "non") if exit_ else "",
                enrollment.contacts,
                enrollment.steps_count,
            ]
        )
        for column in (4, 9, 10, 11):
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
        object_viewed.send(
            sender=type(person), instance=person, actor=actor, organization=organization
        )
    _widths(sheet, [width for _, width in REPORTING_COLUMNS])
    sheet.auto_filter.ref = sheet.dimensions
    return _xlsx_bytes(workbook)


OPEN_DATA_COLUMNS = [
    "annee",
    "niveau",
    "code_territoire",
    "territoire",
    "dispositif",
    "indicateur",
    "libelle",
    "repartition",
    "categorie",
    "valeur",
    "numerateur",
    "denominateur",
    "secret_statistique",
]


def _suppressed(indicator, value, denominator, threshold) -> bool:
    """People or events counted below the threshold could point at someone: the cell is withheld."""
    if indicator.kind in (Kind.RATE, Kind.MEAN):
        return (denominator or 0) < threshold
    return 0 < value < threshold


def open_data_csv(selection: Selection, year: int, *, threshold: int | None = None) -> str:
    """The slice and its territories (régions, départements) for the year, one figure per line.

    Cells under the threshold are withheld; when a breakdown has exactly one withheld cell, the
    next smallest is withheld too, so that it cannot be found back by subtraction from the total.
    """
    threshold = threshold or settings.ANCRAGE_SMALL_CELL_THRESHOLD
    base = Aggregate.objects.using(reading_database()).filter(
        grain=Grain.YEAR, period=datetime.date(year, 1, 1)
    )
    cells = base.filter(cell_filter(selection))
    if selection.scope in (Scope.PROGRAM, Scope.PROGRAM_TERRITORY, Scope.NATIONAL, Scope.TERRITORY):
        scope = Scope.TERRITORY if selection.program is None else Scope.PROGRAM_TERRITORY
        below = base.filter(
            scope=scope,
            program=selection.program,
            territory__kind__in=(TerritoryKind.REGION, TerritoryKind.DEPARTEMENT),
        )
        if selection.territory is not None:
            below = below.filter(
                Q(territory__region=selection.territory)
                | Q(territory__departement=selection.territory)
            )
        cells = cells | below
    rows = list(
        cells.select_related("territory", "program").order_by(
            "territory__kind", "territory__code", "indicator", "category"
        )
    )
    level_names = {TerritoryKind.REGION: "région", TerritoryKind.DEPARTEMENT: "département"}
    groups: dict[tuple, list] = {}
    for row in rows:
        indicator = INDICATORS[row.indicator]
        row.withheld = _suppressed(indicator, row.value, row.denominator, threshold)
        if row.category:
            dimension = row.category.partition(":")[0]
            groups.setdefault((row.territory_id, row.indicator, dimension), []).append(row)
    for members in groups.values():
        hidden = complete_withholding([m.withheld for m in members], [m.value for m in members])
        for member, withheld in zip(members, hidden, strict=True):
            member.withheld = withheld
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\n")
    writer.writerow(OPEN_DATA_COLUMNS)
    if selection.organization is not None:
        place_level, place_code, place_name = "structure", "", selection.organization.name
    for row in rows:
        indicator = INDICATORS[row.indicator]
        if row.territory is not None:
            level = level_names.get(row.territory.kind, row.territory.get_kind_display().lower())
            code, name = row.territory.code, row.territory.name
        elif selection.organization is not None:
            level, code, name = place_level, place_code, place_name
        else:
            level, code, name = "france", "", "France"
        dimension, category = ("", "")
        if row.category:
            dimension, category = category_label(row.category)
            if row.category.startswith("commune:"):
                category = row.category.partition(":")[2]
                category = "" if category == UNKNOWN else category
        shown = ratio(indicator, row.value, row.denominator)
        writer.writerow(
            [
                year,
                level,
                code,
                name,
                row.program.name if row.program else "",
                indicator.code,
                indicator.label,
                dimension,
                category,
                "" if row.withheld else _csv_number(shown),
                "" if row.withheld or row.denominator is None else _csv_number(row.value),
                "" if row.withheld or row.denominator is None else _csv_number(row.denominator),
                "oui" if row.withheld else "non",
            ]
        )
    return output.getvalue()


def _csv_number(value) -> str:
    if value is None:
        return ""
    return f"{value:.1f}".replace(".", ",") if value != int(value) else str(int(value))
