"""Regenerate src/ancrage/core/data/territories.csv.gz from the official geographic code list.

The data comes from the npm package ``@etalab/decoupage-administratif`` (INSEE's Code officiel
géographique, DGCL's EPCI composition, La Poste's postal codes). Usage, from the project's root:

    python scripts/build_territories.py [VERSION]

It runs ``npm pack`` to fetch the package (the npm registry must be reachable), keeps the current
communes, the municipal arrondissements of Paris, Lyon and Marseille, the EPCI, départements and
régions, and writes one trimmed, sorted CSV so that a change of vintage shows as a readable diff.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DEFAULT_VERSION = "6.0.0"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "ancrage" / "core" / "data" / "territories.csv.gz"
COLUMNS = ["kind", "code", "name", "postal_codes", "population", "departement", "region", "epci"]


def fetch(version: str) -> dict[str, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"@etalab/decoupage-administratif@{version}", "--silent"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = next(Path(tmp).glob("*.tgz"))
        data = {}
        with tarfile.open(tarball) as tar:
            for name in ("communes", "epci", "departements", "regions"):
                member = tar.extractfile(f"package/data/{name}.json")
                data[name] = json.load(member)
        return data


def rows(data: dict[str, list[dict]]) -> list[dict]:
    epci_of = {}
    for epci in data["epci"]:
        for member in epci["membres"]:
            epci_of[member["code"]] = epci["code"]
    out = [{"kind": "region", "code": r["code"], "name": r["nom"]} for r in data["regions"]]
    out += [
        {"kind": "departement", "code": d["code"], "name": d["nom"], "region": d["region"]}
        for d in data["departements"]
    ]
    out += [
        {
            "kind": "epci",
            "code": e["code"],
            "name": e["nom"],
            "population": e.get("populationTotale"),
        }
        for e in data["epci"]
    ]
    for c in data["communes"]:
        if c["type"] not in ("commune-actuelle", "arrondissement-municipal"):
            continue
        parent = c.get("commune", c["code"])
        out.append(
            {
                "kind": "commune",
                "code": c["code"],
                "name": c["nom"],
                "postal_codes": " ".join(c.get("codesPostaux", [])),
                "population": c.get("population"),
                "departement": c.get("departement", ""),
                "region": c.get("region", ""),
                "epci": epci_of.get(c["code"]) or epci_of.get(parent, ""),
            }
        )
    order = {"region": 0, "departement": 1, "epci": 2, "commune": 3}
    out.sort(key=lambda r: (order[r["kind"]], r["code"]))
    return out


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_VERSION
    table = rows(fetch(version))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow(
            {key: ("" if row.get(key) is None else row.get(key, "")) for key in COLUMNS}
        )
    # mtime=0 keeps the gzip bytes identical between two runs on the same data.
    with gzip.GzipFile(TARGET, "wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
    counts = {
        kind: sum(1 for r in table if r["kind"] == kind)
        for kind in ("region", "departement", "epci", "commune")
    }
    print(f"@etalab/decoupage-administratif {version} → {TARGET.relative_to(ROOT)}: {counts}")


if __name__ == "__main__":
    main()
