"""Loading the committed territory file into the database (idempotent, all or nothing)."""

from __future__ import annotations

import csv
import functools
import gzip
import io
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.text import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "territories.csv.gz"


def read_rows(path: Path = DATA_FILE) -> list[dict[str, str]]:
    return [dict(row) for row in _parsed(path, path.stat().st_mtime_ns)]


@functools.lru_cache(maxsize=1)
def _parsed(path: Path, modified: int) -> tuple[dict[str, str], ...]:
    """The file parsed once per process and version (36,000 rows, 0.4 s), since the demo and the
    tests load it many times; callers only read it (``read_rows`` hands out copies)."""
    with gzip.open(path, "rb") as handle:
        return tuple(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


def forget_file() -> None:
    """Drop the parsed file: a long-lived process that loaded the territories once (``ancrage demo
    --serve`` serves right after) need not keep 36,000 rows (≈ 35 MB)."""
    _parsed.cache_clear()


@transaction.atomic
def load_territories(
    *, only_departements: Iterable[str] | None = None, path: Path = DATA_FILE
) -> dict[str, int]:
    """Insert missing territories and update changed names; returns counts per kind.

    ``only_departements`` restricts communes (and the EPCI, départements and régions they use) to a
    few départements: tests and small demos need no 35,000 communes.
    """
    rows: Iterable[dict[str, str]] = _parsed(path, path.stat().st_mtime_ns)
    if only_departements is not None:
        wanted = set(only_departements)
        communes = [r for r in rows if r["kind"] == "commune" and r["departement"] in wanted]
        epcis = {r["epci"] for r in communes}
        regions = {r["region"] for r in communes}
        rows = (
            [r for r in rows if r["kind"] == "region" and r["code"] in regions]
            + [r for r in rows if r["kind"] == "departement" and r["code"] in wanted]
            + [r for r in rows if r["kind"] == "epci" and r["code"] in epcis]
            + communes
        )

    counts = {}
    ids: dict[tuple[str, str], int] = {}
    for kind in (
        TerritoryKind.REGION,
        TerritoryKind.DEPARTEMENT,
        TerritoryKind.EPCI,
        TerritoryKind.COMMUNE,
    ):
        batch = [r for r in rows if r["kind"] == kind]
        existing = {t.code: t for t in Territory.objects.filter(kind=kind)}
        new, changed = [], []
        for row in batch:
            fields = {
                "name": row["name"],
                "search_name": fold(row["name"]),
                "postal_codes": row["postal_codes"],
                "population": int(row["population"]) if row["population"] else None,
                "departement_id": ids.get((TerritoryKind.DEPARTEMENT, row["departement"])),
                "region_id": ids.get((TerritoryKind.REGION, row["region"])),
                "epci_id": ids.get((TerritoryKind.EPCI, row["epci"])),
            }
            current = existing.get(row["code"])
            if current is None:
                new.append(Territory(kind=kind, code=row["code"], **fields))
            elif any(getattr(current, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(current, key, value)
                changed.append(current)
        Territory.objects.bulk_create(new, batch_size=2000)
        if changed:
            Territory.objects.bulk_update(changed, list(fields), batch_size=2000)
        ids.update(
            ((kind, code), pk)
            for code, pk in Territory.objects.filter(kind=kind).values_list("code", "id")
        )
        counts[kind.value] = len(batch)
    return counts
