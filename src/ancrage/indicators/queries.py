"""Reading the stored figures for a slice and a year: a handful of indexed lookups, whatever the size
of the raw tables. Used by the dashboards, the reports and the API."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.routers import reading_database
from ancrage.indicators.access import Selection
from ancrage.indicators.definitions import (
    CLLAJ_SIX,
    DIMENSIONS,
    FAMILIES,
    INDICATORS,
    UNKNOWN,
    Indicator,
    category_label,
)
from ancrage.indicators.enums import Grain, Kind, Scope, Unit
from ancrage.indicators.models import Aggregate, Refresh, Target
from ancrage.programs.enums import SUPPORTING_ROLES, ParticipantRole, ProgramKind
from ancrage.programs.models import ProgramParticipant

# The first year the dashboards, reports and API accept.
FIRST_YEAR = 2015
MONTH_NAMES = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]

# The indicators a program's funder looks at first, by kind of program.
KEY_INDICATORS = {
    ProgramKind.YOUTH_HOUSING_DESK: CLLAJ_SIX,
    ProgramKind.SENIORS_AND_INSERTION: (
        "logements_adaptes",
        "parcours_insertion",
        "taux_sorties_emploi",
        "taux_maintien_domicile",
        "personnes_accompagnees",
        "sorties",
    ),
    ProgramKind.APPRENTICE_HOUSING: (
        "taux_occupation",
        "semaines_lits_vides",
        "acces_logement",
        "duree_moyenne_sejour",
        "taux_impayes",
        "modules_parcours_valides",
    ),
    ProgramKind.THEMATIC_RESIDENCES: (
        "taux_occupation",
        "semaines_lits_vides",
        "acces_logement",
        "duree_moyenne_sejour",
        "taux_impayes",
        "participation_residents",
        "satisfaction_residents",
    ),
    ProgramKind.EMPLOYEE_HOUSING: (
        "personnes_accompagnees",
        "acces_logement",
        "delai_acces_logement",
        "sorties",
        "taux_sorties_emploi",
    ),
}
DEFAULT_KEY_INDICATORS = ("personnes_accompagnees", "acces_logement", "sorties", "taux_occupation")


def ratio(indicator: Indicator, value: float | None, denominator: float | None) -> float | None:
    """The figure users read: a rate in %, a mean, or the count itself."""
    if value is None:
        return None
    if indicator.kind == Kind.RATE:
        return 100.0 * value / denominator if denominator else None
    if indicator.kind == Kind.MEAN:
        return value / denominator if denominator else None
    return value


def format_number(number: float | None, unit: str) -> str:
    if number is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{number:.1f}".replace(".", ",") + " %"
    if unit == Unit.EUROS:
        return f"{number:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"
    text = f"{round(number):,}".replace(",", "\u202f")
    return f"{text} j" if unit == Unit.DAYS else text


# Below this previous value, a change is shown as a difference rather than a percentage.
SMALL_BASE = 20


def month_label(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


@dataclass
class Figure:
    indicator: Indicator
    current: float | None = None
    previous: float | None = None
    target: float | None = None
    months: list[tuple[datetime.date, float | None, float | None]] = field(default_factory=list)
    breakdowns: list[tuple[str, list[tuple[str, float]]]] = field(default_factory=list)
    current_denominator: float | None = None
    # The value handed in with the annual report, and whether the data changed since.
    frozen: float | None = None
    changed_since: bool = False

    @property
    def shown(self) -> str:
        return format_number(self.current, self.indicator.unit)

    @property
    def shown_frozen(self) -> str:
        return format_number(self.frozen, self.indicator.unit)

    @property
    def shown_previous(self) -> str:
        return format_number(self.previous, self.indicator.unit)

    @property
    def shown_target(self) -> str:
        return format_number(self.target, self.indicator.unit)

    @property
    def change(self) -> str:
        """N vs N-1: points for a rate, % otherwise."""
        if self.current is None or self.previous is None:
            return ""
        if self.indicator.unit == Unit.PERCENT:
            points = self.current - self.previous
            return f"{points:+.1f}".replace(".", ",") + " pt"
        if not self.previous:
            return ""
        if abs(self.previous) < SMALL_BASE:
            # « +6350 % » from 2 to 129 says nothing: on a small base, the difference itself.
            return f"{self.current - self.previous:+.0f}".replace(".", ",")
        percent = 100.0 * (self.current - self.previous) / self.previous
        return f"{percent:+.0f} %"

    @property
    def target_share(self) -> float | None:
        """The share of the objective reached: 387 for 350 is 111 %, not « 100 % »."""
        if self.target and self.current is not None:
            return 100.0 * self.current / self.target
        return None

    @property
    def target_reached(self) -> float | None:
        """The same, capped at 100: the width of a progress bar."""
        share = self.target_share
        return None if share is None else min(100.0, share)

    found: bool = False  # a stored figure exists for N or N-1

    @property
    def has_data(self) -> bool:
        return self.found


def cell_filter(selection: Selection) -> Q:
    return Q(
        scope=selection.scope,
        organization=selection.organization,
        program=selection.program,
        territory=selection.territory,
    )


def _commune_names(codes: set[str]) -> dict[str, str]:
    codes = {c for c in codes if c and c != UNKNOWN}
    if not codes:
        return {}
    return dict(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, code__in=codes).values_list(
            "code", "name"
        )
    )


def figures(
    selection: Selection, year: int, *, codes=None, mask_below: int | None = None
) -> list[Figure]:
    """Every indicator for the slice: year N and N-1, the months of both, N's breakdowns, target.

    ``mask_below``: breakdown cells counting fewer people or events are withheld (``None``), for
    readers outside the organization's team: a commune with two young people could point at them.
    """
    start, previous = datetime.date(year, 1, 1), datetime.date(year - 1, 1, 1)
    wanted = [INDICATORS[c] for c in (codes or INDICATORS)]
    rows = (
        Aggregate.objects.using(reading_database())
        .filter(cell_filter(selection), indicator__in=[i.code for i in wanted])
        .filter(
            Q(grain=Grain.YEAR, period__in=(start, previous))
            | Q(grain=Grain.MONTH, period__gte=previous, period__lt=datetime.date(year + 1, 1, 1))
        )
        .values_list("indicator", "grain", "period", "category", "value", "denominator")
    )
    by_code = {i.code: Figure(i) for i in wanted}
    months: dict[str, dict[datetime.date, float | None]] = defaultdict(dict)
    breakdowns: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    communes = set()
    for code, grain, period, category, value, denominator in rows:
        figure = by_code[code]
        shown = ratio(figure.indicator, value, denominator)
        if grain == Grain.MONTH:
            if not category:
                months[code][period] = shown
            continue
        if category:
            if period == start:
                dimension, _, raw = category.partition(":")
                breakdowns[code][dimension].append((raw, shown))
                if dimension == "commune":
                    communes.add(raw)
        elif period == start:
            figure.current, figure.current_denominator, figure.found = shown, denominator, True
        else:
            figure.previous, figure.found = shown, True
    # A count with no row in a year already computed is zero; a rate or a mean stays unknown.
    computed = set(
        Refresh.objects.using(reading_database())
        .filter(month__year__in=(year, year - 1))
        .values_list("month__year", flat=True)
        .distinct()
    )
    for figure in by_code.values():
        if figure.indicator.kind in (Kind.DISTINCT, Kind.SUM):
            if figure.current is None and year in computed:
                figure.current = 0.0
            if figure.previous is None and year - 1 in computed:
                figure.previous = 0.0
    names = _commune_names(communes)
    for code, figure in by_code.items():
        series = months[code]
        figure.months = [
            (
                datetime.date(year, m, 1),
                series.get(datetime.date(year, m, 1)),
                series.get(datetime.date(year - 1, m, 1)),
            )
            for m in range(1, 13)
        ]
        figure.breakdowns = _labelled(figure.indicator, breakdowns[code], names, mask_below)
    _add_targets(selection, year, by_code)
    return list(by_code.values())


def _labelled(
    indicator: Indicator,
    entries: dict[str, list],
    names: dict[str, str],
    mask_below: int | None,
) -> list[tuple[str, list[tuple[str, float | None]]]]:
    """An indicator's breakdowns with their French labels, largest first, small cells withheld."""
    result = []
    for dimension in indicator.breakdowns:
        labelled = []
        for raw, value in entries.get(dimension, []):
            if mask_below and indicator.kind in (Kind.DISTINCT, Kind.SUM):
                value = None if value is not None and 0 < value < mask_below else value
            if dimension == "commune":
                label = names.get(raw, "Non renseignée" if raw == UNKNOWN else raw)
            else:
                label = category_label(f"{dimension}:{raw}")[1]
            labelled.append((label, value))
        labelled.sort(key=lambda item: (item[1] is None, -(item[1] or 0), item[0]))
        if labelled:
            result.append((DIMENSIONS[dimension].label, labelled))
    return result


@dataclass
class PeriodFigure:
    """One indicator over a run of months, beside each calendar year of the run."""

    indicator: Indicator
    value: float | None = None
    # (year, figure of that calendar year) for each year the period touches.
    years: list[tuple[int, float | None]] = field(default_factory=list)
    breakdowns: list[tuple[str, list[tuple[str, float | None]]]] = field(default_factory=list)
    found: bool = False

    @property
    def shown(self) -> str:
        return format_number(self.value, self.indicator.unit)

    @property
    def shown_years(self) -> list[tuple[int, str]]:
        return [(year, format_number(value, self.indicator.unit)) for year, value in self.years]

    @property
    def counted_once(self) -> bool:
        """A distinct count whose period figure is less than the sum of its years: people seen in
        two years counted once (the page says so)."""
        total = sum(v for _, v in self.years if v is not None)
        return (
            self.indicator.kind == Kind.DISTINCT
            and self.value is not None
            and len(self.years) > 1
            and self.value < total
        )


def period_figures(
    selection: Selection,
    first_month: datetime.date,
    last_month: datetime.date,
    *,
    codes=None,
    mask_below: int | None = None,
) -> list[PeriodFigure]:
    """Every indicator over the period (stored by ``rollup.refresh_period``) and over each
    calendar year it touches; breakdowns of the period. Two indexed queries."""
    wanted = [INDICATORS[c] for c in (codes or INDICATORS)]
    years = list(range(first_month.year, last_month.year + 1))
    cells = (
        Aggregate.objects.using(reading_database())
        .filter(cell_filter(selection), indicator__in=[i.code for i in wanted])
        .values_list("indicator", "grain", "period", "category", "value", "denominator")
    )
    # Two indexed lookups (scope, organization, grain, period): an OR of both would scan.
    rows = [
        *cells.filter(grain=Grain.PERIOD, period=first_month, last_month=last_month),
        *cells.filter(
            grain=Grain.YEAR, period__in=[datetime.date(y, 1, 1) for y in years], category=""
        ),
    ]
    by_code = {i.code: PeriodFigure(i) for i in wanted}
    by_year: dict[str, dict[int, float | None]] = defaultdict(dict)
    breakdowns: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    communes = set()
    for code, grain, period, category, value, denominator in rows:
        figure = by_code[code]
        shown = ratio(figure.indicator, value, denominator)
        if grain == Grain.YEAR:
            by_year[code][period.year] = shown
            continue
        if category:
            dimension, _, raw = category.partition(":")
            breakdowns[code][dimension].append((raw, shown))
            if dimension == "commune":
                communes.add(raw)
        else:
            figure.value, figure.found = shown, True
    computed_years = set(
        Refresh.objects.using(reading_database())
        .filter(month__year__in=years)
        .values_list("month__year", flat=True)
    )
    names = _commune_names(communes)
    for code, figure in by_code.items():
        counts = figure.indicator.kind in (Kind.DISTINCT, Kind.SUM)
        figure.years = [
            (y, by_year[code].get(y, 0.0 if counts and y in computed_years else None))
            for y in years
        ]
        if figure.value is None and counts and computed_years:
            figure.value = 0.0
        figure.breakdowns = _labelled(figure.indicator, breakdowns[code], names, mask_below)
    return list(by_code.values())


def _add_targets(selection: Selection, year: int, by_code: dict[str, Figure]) -> None:
    if selection.program is None:
        return
    targets = Target.objects.filter(
        program=selection.program, organization=selection.organization, year=year
    )
    if selection.scope == Scope.PROGRAM_TERRITORY:
        return  # targets are set for a whole program or one organization
    for target in targets:
        if target.indicator in by_code:
            by_code[target.indicator].target = target.value


def grouped(figures_list: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """Figures with data, by family, in the families' order."""
    groups = []
    for family, label in FAMILIES.items():
        members = [f for f in figures_list if f.indicator.family == family and f.has_data]
        if members:
            groups.append((label, members))
    return groups


@dataclass
class Child:
    label: str
    params: dict
    values: dict[str, str]
    cells: list[str] = field(default_factory=list)  # in the order of the key indicators


def key_indicators(selection: Selection) -> tuple[str, ...]:
    if selection.program is not None:
        return KEY_INDICATORS.get(selection.program.kind, DEFAULT_KEY_INDICATORS)
    if selection.organization is not None and selection.organization.kind == "cllaj":
        return CLLAJ_SIX
    return DEFAULT_KEY_INDICATORS


def children(
    selection: Selection, year: int, *, months: tuple[datetime.date, datetime.date] | None = None
) -> tuple[str, str, list[Child]]:
    """The next level down, for the drill-down table: régions, départements, then organizations;
    of a year, or of a period (its first and last months) already computed."""
    codes = key_indicators(selection)
    if months is None:
        base = Aggregate.objects.using(reading_database()).filter(
            grain=Grain.YEAR, period=datetime.date(year, 1, 1), category="", indicator__in=codes
        )
    else:
        base = Aggregate.objects.using(reading_database()).filter(
            grain=Grain.PERIOD,
            period=months[0],
            last_month=months[1],
            category="",
            indicator__in=codes,
        )
    territory = selection.territory
    if selection.scope in (Scope.PROGRAM, Scope.NATIONAL) or (
        territory is not None and territory.kind == TerritoryKind.REGION
    ):
        kind = TerritoryKind.DEPARTEMENT if territory is not None else TerritoryKind.REGION
        scope = Scope.PROGRAM_TERRITORY if selection.program else Scope.TERRITORY
        rows = base.filter(scope=scope, program=selection.program, territory__kind=kind)
        if territory is not None:
            rows = rows.filter(territory__region=territory)
        heading = "Département" if kind == TerritoryKind.DEPARTEMENT else "Région"
        rows = rows.select_related("territory").order_by("territory__name")
        return (
            f"Par {heading.lower()}",
            heading,
            _pivot(rows, lambda r: r.territory, selection, codes),
        )
    if territory is not None and territory.kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.EPCI):
        scope = Scope.ORGANIZATION_PROGRAM if selection.program else Scope.ORGANIZATION
        place = "departement" if territory.kind == TerritoryKind.DEPARTEMENT else "epci"
        rows = (
            base.filter(
                scope=scope,
                program=selection.program,
                **{f"organization__commune__{place}": territory},
            )
            .select_related("organization")
            .order_by("organization__name")
        )
        return (
            "Par structure",
            "Structure",
            _pivot(rows, lambda r: r.organization, selection, codes),
        )
    return "", "", []


def _pivot(rows, key, selection: Selection, codes) -> list[Child]:
    table: dict[int, Child] = {}
    for row in rows:
        thing = key(row)
        child = table.get(thing.pk)
        if child is None:
            params = {"dispositif": selection.program.pk} if selection.program is not None else {}
            if thing._meta.model_name == "organization":
                params["structure"] = thing.pk
            else:
                params["territoire"] = thing.pk
            child = table[thing.pk] = Child(getattr(thing, "name", str(thing)), params, {})
        indicator = INDICATORS[row.indicator]
        child.values[row.indicator] = format_number(
            ratio(indicator, row.value, row.denominator), indicator.unit
        )
    for child in table.values():
        child.cells = [
            child.values.get(
                code, "0" if INDICATORS[code].kind in (Kind.DISTINCT, Kind.SUM) else "—"
            )
            for code in codes
        ]
    return list(table.values())


def trail(selection: Selection) -> list[tuple[str, dict]]:
    """The levels above the slice, for the breadcrumb: (label, query) from the top down."""
    steps: list[tuple[str, dict]] = []
    base = {"dispositif": selection.program.pk} if selection.program else {}
    top = selection.program.name if selection.program else "France"
    if selection.program is None and selection.scope != Scope.ORGANIZATION:
        base = {"national": 1}
    if selection.scope in (Scope.ORGANIZATION, Scope.PROGRAM, Scope.NATIONAL):
        return steps
    steps.append((top, dict(base)))
    territory = selection.territory
    if selection.organization is not None and selection.organization.commune is not None:
        commune = selection.organization.commune
        places = [commune.region, commune.departement]
    elif territory is not None and territory.kind != TerritoryKind.REGION:
        places = [territory.region]
    else:
        places = []
    for place in places:
        if place is not None:
            params = {k: v for k, v in base.items() if k != "national"}
            steps.append((place.name, {**params, "territoire": place.pk}))
    return steps


def last_refresh() -> Refresh | None:
    return Refresh.objects.using(reading_database()).order_by("-finished_at").first()


def freshness() -> dict:
    """How fresh the figures are: the months marked as changed and waiting for a refresh, and the
    last refresh (no personal data)."""
    from ancrage.indicators.models import StaleMonth

    stale = list(StaleMonth.objects.order_by("month").values_list("month", flat=True))
    last = last_refresh()
    return {
        "stale_months": [month.strftime("%Y-%m") for month in stale],
        "up_to_date": not stale,
        "last_refresh": None
        if last is None
        else {
            "month": last.month.strftime("%Y-%m"),
            "finished_at": last.finished_at.isoformat(),
            "seconds": round(last.seconds, 3),
        },
    }


def funder_organizations_of(organization) -> list:
    """The organizations that fund a program in which ``organization`` follows people: those
    whose members approve its annual report."""
    from ancrage.accounts.models import Organization

    programs = ProgramParticipant.objects.filter(
        organization=organization, role__in=SUPPORTING_ROLES
    ).values("program_id")
    return list(
        Organization.objects.filter(
            pk__in=ProgramParticipant.objects.filter(
                program_id__in=programs, role=ParticipantRole.FUNDER
            ).values("organization_id"),
            is_active=True,
        ).order_by("name")
    )


def annual_report_of(organization, year: int):
    """The organization's annual report for ``year`` (its status, its frozen figures), or None."""
    from ancrage.indicators.models import AnnualReport

    return AnnualReport.objects.filter(organization=organization, year=year).first()
