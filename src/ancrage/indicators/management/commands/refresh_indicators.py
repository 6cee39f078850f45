"""``ancrage refresh-indicators [--year Y …]``: recompute the figures now (the months marked as
changed by default; whole years with ``--year``), for an import or a repair."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ancrage.indicators.queries import FIRST_YEAR
from ancrage.indicators.rollup import refresh_stale, refresh_year


class Command(BaseCommand):
    help = (
        "Recalcule les indicateurs : les mois modifiés (par défaut), ou des années entières "
        "(--year 2025 --year 2026)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="Année à recalculer.")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["year"] or []
        this_year = timezone.localdate().year
        for year in years:
            if not FIRST_YEAR <= year <= this_year:
                raise CommandError(
                    f"--year : une année de {FIRST_YEAR} à {this_year} est attendue."
                )
        if not years:
            written = refresh_stale()
            self.stdout.write(f"Mois modifiés recalculés : {written} valeur(s) écrite(s).")
            return
        for year in years:
            written = refresh_year(year)
            self.stdout.write(f"{year} recalculée : {written} valeur(s) écrite(s).")
