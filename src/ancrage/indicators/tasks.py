import logging

from django_tasks import task

from ancrage.indicators.rollup import refresh_stale

logger = logging.getLogger(__name__)


@task()
def refresh_stale_indicators() -> int:
    """Recompute the months marked as changed (and their years)."""
    try:
        return refresh_stale()
    except Exception:
        logger.exception("indicators refresh failed")  # figures only: no personal data in it
        raise
