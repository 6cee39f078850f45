"""The access registry of the web benchmark: the application's, and its floor view for any
signed-in user (default deny applies to the bench's own page too)."""

from ancrage.access_registry import *  # noqa: F403
from ancrage.access_registry import REGISTRY as APPLICATION_REGISTRY
from ancrage.core.access import authenticated

REGISTRY = {**APPLICATION_REGISTRY, "bench_floor": authenticated()}
