from django_tasks import task

from ancrage.notifications import services


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """The immediate e-mails of notifications just created (queued once their write commits)."""
    return services.send_emails(notification_ids)


@task()
def send_daily_summaries() -> int:
    """Daily: one summary e-mail per member who chose it (queued by ``ancrage worker``)."""
    return services.send_daily_summaries()


@task()
def forget_old_notifications() -> int:
    """Daily: read notifications after 90 days, any after a year (queued by ``ancrage worker``)."""
    return services.forget_old_notifications()
