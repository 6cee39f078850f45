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


@task()
def remind_pathway_modules() -> int:
    """Daily (told once a week): the teams whose apprentices have required modules of the
    citizen pathway neither done nor scheduled."""
    from ancrage.partnerships.services import pathways

    return pathways.remind_modules_to_do()
