import logging

from django_tasks import task

from ancrage.indicators.rollup import refresh_periods, refresh_stale

logger = logging.getLogger(__name__)


@task()
def refresh_stale_indicators() -> int:
    """Recompute the months marked as changed (and their years), then the periods holding them."""
    try:
        return refresh_stale() + refresh_periods()
    except Exception:
        logger.exception("indicators refresh failed")  # figures only: no personal data in it
        raise


@task()
def refresh_reporting_periods() -> int:
    """Compute the periods asked for (a final report, a new agreement) and not computed yet."""
    try:
        return refresh_periods()
    except Exception:
        logger.exception("indicators period refresh failed")
        raise
