"""No two active periods of one bed overlap — held by the database itself.

PostgreSQL: an exclusion constraint on (bed, daterange) with btree_gist. SQLite: triggers that abort
an insert or update overlapping an active period of the same bed (SQLite serializes writers, so the
check and the write cannot interleave). An open-ended period has no end (infinite range).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE housing_bookingperiod ADD CONSTRAINT housing_bookingperiod_no_overlap
    EXCLUDE USING gist (bed_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&)
    WHERE (is_active)
    """,
]
PG_BACKWARD = ["ALTER TABLE housing_bookingperiod DROP CONSTRAINT housing_bookingperiod_no_overlap"]

SQLITE_CONDITION = """
    NEW.is_active AND EXISTS (
        SELECT 1 FROM housing_bookingperiod p
        WHERE p.bed_id = NEW.bed_id AND p.is_active AND p.id IS NOT NEW.id
          AND p.starts_on < COALESCE(NEW.ends_on, '9999-12-31')
          AND NEW.starts_on < COALESCE(p.ends_on, '9999-12-31')
    )
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER housing_bookingperiod_no_overlap_insert
    BEFORE INSERT ON housing_bookingperiod WHEN {SQLITE_CONDITION}
    BEGIN SELECT RAISE(ABORT, 'housing_bookingperiod_no_overlap'); END
    """,
    f"""
    CREATE TRIGGER housing_bookingperiod_no_overlap_update
    BEFORE UPDATE ON housing_bookingperiod WHEN {SQLITE_CONDITION}
    BEGIN SELECT RAISE(ABORT, 'housing_bookingperiod_no_overlap'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER housing_bookingperiod_no_overlap_insert",
    "DROP TRIGGER housing_bookingperiod_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
