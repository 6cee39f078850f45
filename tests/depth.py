"""How deep the property-based and fuzzing tests go.

``ANCRAGE_TEST_DEPTH=full`` (the default, and CI's PostgreSQL run) draws every example; ``light``
(CI's second run, on SQLite, so that the whole of ``.ci/run`` stays within its 15 minutes on two
cores) draws a quarter of them, at least three (the stateful run excepted), and sends each hostile value to all the fields of
a form at once instead of also to each field alone. The same code paths run at both depths: the
light run checks the second database, the full run explores.
"""

from __future__ import annotations

import os

LIGHT = os.environ.get("ANCRAGE_TEST_DEPTH", "full") == "light"


def examples(full: int) -> int:
    """The number of Hypothesis examples for a test that draws ``full`` at full depth. (The
    stateful API run keeps its full depth everywhere: with fewer sequences, some runs never
    reached its last steps.)"""
    return max(3, full // 4) if LIGHT else full
