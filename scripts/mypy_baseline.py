"""mypy on the whole package, against a baseline that can only shrink.

The strict modules (the allocation engine, every ``services`` module, the permissions module) must
have no error at all. Elsewhere, the errors mypy finds today are counted per file and error code in
``mypy-baseline.json``: a new error fails, and so does a baseline that counts errors since fixed
(run ``make mypy-baseline`` and commit the smaller file).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.json"
ERROR = re.compile(r"^(?P<path>[^:]+):(?:\d+:)? error: .*\[(?P<code>[\w-]+)\]$")
STRICT = re.compile(
    r"^src/ancrage/(allocation/engine/.*|\w+/services\.py|\w+/services/.*|accounts/permissions\.py)$"
)


def current() -> tuple[Counter[str], list[str]]:
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):  # 2: mypy itself failed (configuration, crash)
        sys.exit(result.stdout + result.stderr)
    counts: Counter[str] = Counter()
    strict = []
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            counts[f"{match['path']} [{match['code']}]"] += 1
            if STRICT.match(match["path"]):
                strict.append(line)
    return counts, strict


def main() -> int:
    counts, strict = current()
    if strict:
        print("Strict modules must type-check without error:\n" + "\n".join(strict))
        return 1
    if "--update" in sys.argv:
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")
        print(f"mypy-baseline.json: {sum(counts.values())} errors in {len(counts)} entries.")
        return 0
    baseline = Counter(json.loads(BASELINE.read_text()))
    grown = {k: (baseline[k], v) for k, v in counts.items() if v > baseline[k]}
    shrunk = {k: (v, counts[k]) for k, v in baseline.items() if counts[k] < v}
    for key, (before, now) in sorted(grown.items()):
        print(f"new mypy error: {key}: {before} -> {now}")
    for key, (before, now) in sorted(shrunk.items()):
        print(f"fixed, shrink the baseline (make mypy-baseline): {key}: {before} -> {now}")
    if grown or shrunk:
        return 1
    print(
        f"mypy: strict modules clean, {sum(counts.values())} errors elsewhere as in the baseline."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
