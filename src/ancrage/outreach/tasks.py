from django_tasks import task

from ancrage.outreach import services


@task()
def run_prospect_import(job_id: int) -> str:
    """Run a landlord's extract sent from the page or the API (queued once the sending commits)."""
    return services.run_import(job_id).status


@task()
def forget_prospects() -> dict[str, int]:
    """Daily: targets idle past their program's retention period, old files and reports go."""
    return services.forget_prospects()
