from django_tasks import task


@task()
def refresh_stale_indicators() -> int:
    """Recompute the months marked as changed (and their years)."""
    from ancrage.indicators.rollup import refresh_stale

    return refresh_stale()
