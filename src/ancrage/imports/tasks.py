from django_tasks import task

from ancrage.imports import services


@task()
def run_import(job_id: int) -> str:
    """Run an import sent from the page (queued once the sending commits)."""
    return services.run_job(job_id).status


@task()
def forget_old_imports() -> dict[str, int]:
    """Daily: the files and reports of old imports are deleted (queued by ``ancrage worker``)."""
    return services.forget_old_imports()
