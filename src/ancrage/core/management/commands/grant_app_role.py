"""``ancrage grant_app_role ROLE``: give the application's PostgreSQL role what it needs, no more.

Run as the owner of the tables (the role that runs the migrations), after each ``migrate``. The
application then connects as ``ROLE``: it reads and writes rows, but owns nothing, so it can
neither ``TRUNCATE`` the audit trail nor disable its triggers; on the audit table it may only read,
add, and delete the rows the retention trigger lets go (older than 180 days).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql

AUDIT_TABLE = "audit_auditevent"


def grant_statements(role: str) -> list[sql.Composed]:
    name = sql.Identifier(role)
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            name
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        # The trail: read, add, and delete what the retention trigger lets go. Never change it.
        sql.SQL("REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(
            sql.Identifier(AUDIT_TABLE), name
        ),
        # Only the owner records migrations.
        sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM {}").format(
            name
        ),
    ]


class Command(BaseCommand):
    help = (
        "Donne au rôle PostgreSQL de l'application les droits sur les lignes, sans la propriété "
        "des tables (à lancer par le propriétaire après chaque migrate)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="Le rôle avec lequel l'application se connecte.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Cette commande ne concerne que PostgreSQL.")
        app_role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
            if cursor.fetchone() is None:
                raise CommandError(f"Le rôle PostgreSQL « {app_role} » n'existe pas.")
            cursor.execute("SELECT current_user = %s", [app_role])
            if cursor.fetchone()[0]:
                raise CommandError("Lancez cette commande en tant que propriétaire des tables.")
            with transaction.atomic():
                for statement in grant_statements(app_role):
                    cursor.execute(statement)
        self.stdout.write(f"Droits accordés au rôle « {app_role} » (sans la propriété des tables).")
