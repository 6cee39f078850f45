"""A stored upload lives and dies with the writes that name it: gone when they fail, and the file
it replaces gone once they commit."""

from __future__ import annotations

import io

import pytest
from django.db import transaction

from ancrage.core import documents

PDF = b"%PDF-1.4\n%test\n"


def exists(name: str) -> bool:
    return documents.storage().exists(name)


def test_a_failed_write_takes_its_new_file_with_it(db):
    kept: list[str] = []
    with (
        pytest.raises(RuntimeError),
        documents.stored(7, io.BytesIO(PDF), "application/pdf") as name,
    ):
        kept.append(name)
        assert exists(name)
        raise RuntimeError("the row was refused")
    assert kept and not exists(kept[0])


def test_the_replaced_file_goes_once_the_writes_commit(db, django_capture_on_commit_callbacks):
    with documents.stored(7, io.BytesIO(PDF), "application/pdf") as old:
        pass
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with (
            documents.stored(7, io.BytesIO(PDF), "application/pdf", replaces=old) as new,
            transaction.atomic(),
        ):
            pass
        assert exists(old) and exists(new)  # not before the commit
    for callback in callbacks:
        callback()
    assert not exists(old) and exists(new)
    assert new.startswith("7/") and new.endswith(".pdf")
