from django_tasks import task

from ancrage.partnerships.services import charters


@task()
def remind_charter_signatories() -> int:
    """Daily: a new link to each party who has not signed a week after theirs was sent."""
    return charters.remind_signatories()
