"""Data built once per test module instead of once per test (Django's ``setUpTestData`` for
pytest): the module's rows are written inside a transaction left open while its tests run, each
test runs in a savepoint rolled back after it (pytest-django's ``db``), and each test gets its own
deep copy of the Python objects, so that what a test changes, in the database or in memory, does
not reach the next one. The transaction is rolled back when the module's last test has run.

Only for tests that run in a transaction (``db``): a transactional test (``transactional_db``,
a live server) commits, so it builds its own data."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction

T = TypeVar("T")


def built_once_per_module(build: Callable[[], T]):
    """A module-scoped fixture holding ``build()``'s rows; request it before ``db``."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker) -> Iterator[T]:
        with django_db_blocker.unblock():
            atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            # Marked as Django's test cases mark theirs: a durable atomic block inside is allowed.
            atomic._from_testcase = True  # type: ignore[attr-defined]
            atomic.__enter__()
            try:
                yield build()
            finally:
                transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
                atomic.__exit__(None, None, None)

    return fixture


def fresh_copy(value: T) -> T:
    return copy.deepcopy(value)
