"""The application's PostgreSQL role owns nothing: it cannot erase or rewrite the audit trail."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ancrage.audit.models import AuditEvent
from tests.people.factories import PersonFactory

ROLE = "ancrage_app_test"
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the roles are PostgreSQL's"
)


def _as_app(statement: str, params=()):
    """Run ``statement`` as the application's role, in a savepoint; the error if refused."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {ROLE}")
            cursor.execute(statement, params)
            cursor.execute("RESET ROLE")
    except DatabaseError as exc:
        return str(exc)
    return None


@pytest.fixture
def app_role(db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")  # rolled back with the test
    out = io.StringIO()
    call_command("grant_app_role", ROLE, stdout=out)
    assert f"Droits accordés au rôle « {ROLE} »" in out.getvalue()
    return ROLE


def test_the_app_role_reads_and_writes_rows(app_role, world):
    person = PersonFactory(organization=world.org)
    assert _as_app("SELECT count(*) FROM people_person") is None
    assert _as_app("UPDATE people_person SET phone = '' WHERE id = %s", [person.pk]) is None
    assert (
        _as_app(
            "INSERT INTO audit_auditevent (at, actor_label, action, content_type_id, object_id,"
            " object_repr, changes) VALUES (now(), 'x', 'view', 1, '1', '', '{}')"
        )
        is None
    )


def test_the_app_role_can_neither_rewrite_nor_empty_the_audit_trail(app_role, world):
    event = AuditEvent.objects.create(
        action="view", content_type_id=1, object_id="1", actor_label="système"
    )
    assert "permission denied" in _as_app(
        "UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [event.pk]
    )
    assert "permission denied" in _as_app("TRUNCATE audit_auditevent")
    assert "must be owner" in _as_app(
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only"
    )
    assert "must be owner" in _as_app("DROP TABLE audit_auditevent")
    # A recent event cannot be deleted either (the trigger), only expired ones.
    assert "append-only" in _as_app("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert "permission denied" in _as_app("DELETE FROM django_migrations")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_unknown_role_is_a_clear_error(db):
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("grant_app_role", "personne_de_ce_nom")
