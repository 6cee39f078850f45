from django_tasks import task

from ancrage.indicators.rollup import refresh_stale


@task()
def refresh_stale_indicators() -> int:
    """Recompute the months marked as changed (and their years)."""
    return refresh_stale()
