from django_tasks import task

from ancrage.support import notices


@task()
def notify_due_today() -> int:
    """Daily: steps and follow-ups due, tomorrow's appointments (queued by ``ancrage worker``)."""
    return notices.notify_due_today()
