from django_tasks import task

from ancrage.allocation.services import execute_run


@task()
def run_allocation(run_id: int) -> None:
    execute_run(run_id)
