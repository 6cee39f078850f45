"""The test databases are built from the models, not by replaying the migrations.

Replaying 140 migrations renders Django's model states again after each operation: about 50 s
of one core for each test process, twice per CI run (PostgreSQL, then SQLite), while the same
tables are created from the models in about two seconds. The database the tests use must
nevertheless be the one the migrations build, so:

- the tables, columns, indexes and constraints come from the models (Django's ``run_syncdb``,
  what ``makemigrations --check`` keeps equal to the migrations' end state);
- what Ancrage's migrations do beyond the models — triggers, extensions, storage settings, written
  in ``RunPython``/``RunSQL`` operations — runs in the migrations' order, except the operations
  marked ``elidable`` (data changes that have nothing to change in a new database); the other
  apps' such operations (Django's, allauth's, axes', django-tasks') only change rows;
- every migration is then recorded as applied, so that a test may still migrate backwards and
  forwards (``tests/audit/test_pseudonymise_migration.py``), and a kept database (``--reuse-db``)
  gets the later migrations the usual way.

``scripts/restore-drill`` proves the two equal on PostgreSQL: it compares the schema of a database
the migrations built (and a dump restored) with one built here (``python -m tests.database``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps as live_apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations.special import RunPython, RunSQL
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings


class _NoMigrations:
    """``MIGRATION_MODULES`` for which no app has migrations: ``migrate`` creates every table
    from its model."""

    def __contains__(self, app_label: str) -> bool:
        return True

    def __getitem__(self, app_label: str) -> None:
        return None


class _LiveState:
    """What a ``RunPython`` operation reads of the migration state: the models themselves."""

    apps = live_apps

    def clear_delayed_apps_cache(self) -> None:
        pass


def _is_ours(app_label: str) -> bool:
    return live_apps.get_app_config(app_label).name.startswith("ancrage.")


def _is_new(connection: BaseDatabaseWrapper) -> bool:
    recorder = MigrationRecorder(connection)
    return not recorder.has_table() or not recorder.migration_qs.exists()


def build_from_models(connection: BaseDatabaseWrapper, migrate: Any, **options: Any) -> None:
    """Create the tables from the models, run the migrations' own schema work, record them all.

    ``migrate`` is the ``migrate`` command's ``handle`` to call with ``options``."""
    with override_settings(MIGRATION_MODULES=_NoMigrations()):
        migrate(**options)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    state = _LiveState()
    with connection.schema_editor() as schema_editor:
        for migration, _backwards in plan:
            if not _is_ours(migration.app_label):
                continue
            for operation in migration.operations:
                if isinstance(operation, RunPython | RunSQL) and not operation.elidable:
                    operation.database_forwards(migration.app_label, schema_editor, state, state)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(
        recorder.Migration(app=migration.app_label, name=migration.name)
        for migration, _backwards in plan
    )


@contextmanager
def tables_from_models() -> Iterator[None]:
    """While active, ``migrate --run-syncdb`` on a new database (Django's test database creation)
    builds it from the models; on a kept database it migrates as usual."""
    from django.core.management.commands import migrate

    original = migrate.Command

    class Command(original):  # type: ignore[misc, valid-type]
        def handle(self, *args: Any, **options: Any) -> Any:
            connection = connections[options["database"]]
            if not options.get("run_syncdb") or args or not _is_new(connection):
                return super().handle(*args, **options)
            build_from_models(connection, super().handle, **options)
            return None

    migrate.Command = Command
    try:
        yield
    finally:
        migrate.Command = original


# Django's own difference between its two ways: auth's 0001 migration gives the table of groups'
# permissions the project's default key (DEFAULT_AUTO_FIELD, bigint), the model its app's
# (AutoField, integer). The table holds Django's group permissions, which Ancrage does not use.
_SAME_IN_BOTH_WAYS = {
    "column auth_group_permissions.id integer ": "column auth_group_permissions.id bigint ",
}


def schema(cursor: Any, vendor: str) -> set[str]:
    """The schema as lines to compare, whatever the order columns were added in."""
    return _postgresql_schema(cursor) if vendor == "postgresql" else _sqlite_schema(cursor)


def _sqlite_schema(cursor: Any) -> set[str]:
    """Each table's columns and constraints (the items of its ``CREATE TABLE``, in any order),
    its indexes and triggers."""
    cursor.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
        " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    )
    lines: set[str] = set()
    for kind, name, table, sql in cursor.fetchall():
        if kind == "table":
            lines.update(f"table {name}: {item}" for item in _table_items(sql))
        else:
            lines.add(f"{kind} {name} ON {table}: {sql}")
    return lines


def _table_items(create_table: str) -> list[str]:
    """The comma-separated items between a ``CREATE TABLE``'s outer parentheses."""
    body = create_table[create_table.index("(") + 1 : create_table.rindex(")")]
    items, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip())
    return items


def _postgresql_schema(cursor: Any) -> set[str]:
    """Columns (type, nullability, default, storage), constraints, indexes, triggers, functions
    and extensions."""
    queries = [
        """SELECT 'column ' || c.relname || '.' || a.attname || ' '
                  || format_type(a.atttypid, a.atttypmod) || ' not-null=' || a.attnotnull::text
                  || ' identity=' || a.attidentity::text || ' storage=' || a.attstorage::text
                  || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
              AND a.attnum > 0 AND NOT a.attisdropped""",
        """SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
                  || pg_get_constraintdef(oid)
             FROM pg_constraint WHERE connamespace = 'public'::regnamespace""",
        "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'",
        """SELECT 'trigger ' || pg_get_triggerdef(oid) || ' enabled=' || tgenabled::text
             FROM pg_trigger WHERE NOT tgisinternal""",
        """SELECT 'function ' || proname || ' ' || md5(prosrc)
             FROM pg_proc WHERE pronamespace = 'public'::regnamespace""",
        "SELECT 'extension ' || extname FROM pg_extension",
    ]
    lines: set[str] = set()
    for query in queries:
        cursor.execute(query)
        lines.update(row[0] for row in cursor.fetchall())
    return {_as_migrated(line) for line in lines}


def _as_migrated(line: str) -> str:
    for prefix, migrated in _SAME_IN_BOTH_WAYS.items():
        if line.startswith(prefix):
            return migrated + line.removeprefix(prefix)
    return line


def _connect(url: str) -> Any:
    if url.startswith("sqlite:///"):
        import sqlite3

        return sqlite3.connect(url.removeprefix("sqlite:///"))
    import psycopg

    return psycopg.connect(url)


def main(argv: list[str]) -> int:
    """``python -m tests.database build`` builds the database of ``DATABASE_URL`` as the tests do;
    ``python -m tests.database compare URL`` compares its schema with the database at ``URL``'s."""
    import django

    django.setup()
    if argv[:1] == ["build"]:
        from django.core.management import call_command

        with tables_from_models():
            call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        return 0
    if argv[:1] == ["compare"] and len(argv) == 2:
        connection = connections["default"]
        with connection.cursor() as cursor:
            ours = schema(cursor, connection.vendor)
        theirs = schema(_connect(argv[1]).cursor(), connection.vendor)
        out = sys.stdout
        for line in sorted(ours - theirs):
            out.write(f"- construite par les tests seulement : {line}\n")
        for line in sorted(theirs - ours):
            out.write(f"+ construite par les migrations seulement : {line}\n")
        out.write(f"schéma : {len(ours)} lignes, {len(ours ^ theirs)} différences\n")
        return 1 if ours != theirs else 0
    sys.stderr.write("usage : python -m tests.database build | compare DATABASE_URL\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
