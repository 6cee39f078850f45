from django_tasks import task

from ancrage.partnerships.services import charters


@task()
def remind_charter_signatories() -> int:
    """Daily: a new link to each party who has not signed a week after theirs was sent."""
    return charters.remind_signatories()


@task()
def notify_partner_agreements_ending() -> int:
    """Daily: the parties of a partner agreement nearing its end are told once."""
    from ancrage.partnerships.services import agreements

    return agreements.notify_agreements_ending()
