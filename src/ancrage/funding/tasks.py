from django_tasks import task

from ancrage.funding import notices


@task()
def notify_funding_deadlines() -> int:
    """Daily: agreements to renew, annual reports due (queued by ``ancrage worker``)."""
    return notices.notify_agreements_ending() + notices.notify_reports_due()


@task()
def forget_old_access_requests() -> int:
    """Daily: access requests to calls are deleted a year after they were sent."""
    return notices.forget_old_access_requests()
