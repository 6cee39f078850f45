from django_tasks import task

from ancrage.allocation.services import execute_run, solve_part


@task()
def run_allocation(run_id: int) -> None:
    execute_run(run_id)


@task()
def solve_allocation_part(part_id: int) -> None:
    solve_part(part_id)
