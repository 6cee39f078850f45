from django_tasks import task


@task()
def run_allocation(run_id: int) -> None:
    from ancrage.allocation.services import execute_run

    execute_run(run_id)
