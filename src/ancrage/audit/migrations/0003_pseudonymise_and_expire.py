"""Personal values leave the trail, and old events may expire.

1. Events written before the trail masked personal values (names, phone numbers, free text, birth
   dates, a record's label) are rewritten the way the recorder now writes them: the field names
   stay, the values become ``••••••``, the label becomes « kind n° id ». The append-only triggers
   are lifted for this one rewrite, in the migration's transaction, and put back.
2. On PostgreSQL, DELETE is allowed for rows older than 180 days only, so that the retention task
   can purge expired events while no one can erase recent history (UPDATE stays refused).
"""

from django.apps import apps as live_apps
from django.db import migrations, models

MASKED = "••••••"
PLATFORM_OBJECTS = {"accounts.organization", "programs.program", "programs.programparticipant"}
KEEP_AT_LEAST_DAYS = 180
# As audit.recorder.keeps_value when this migration was written (a migration stays frozen).
PERSONAL_FIELDS = {"birth_date", "birth_year", "password", "key_hash"}
KEPT_TYPES = (
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
    models.DateField,
    models.TimeField,
    models.DurationField,
    models.UUIDField,
)


def keeps_value(field) -> bool:
    if field.name in PERSONAL_FIELDS:
        return False
    return bool(field.choices) or field.is_relation or isinstance(field, KEPT_TYPES)

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{KEEP_AT_LEAST_DAYS} days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_TRIGGER = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)');
END;
"""


def _kept_fields(content_type) -> set[str] | None:
    """The attnames whose values the trail keeps for this kind of record (None: all of them)."""
    label = f"{content_type.app_label}.{content_type.model}"
    if label in PLATFORM_OBJECTS:
        return None
    try:
        model = live_apps.get_model(content_type.app_label, content_type.model)
    except LookupError:
        return set()
    return {f.attname for f in model._meta.concrete_fields if keeps_value(f)}


def _masked(changes: dict, kept: set[str] | None) -> dict:
    if kept is None or not isinstance(changes, dict):
        return changes
    out = {}
    for key, pair in changes.items():
        if key == "ids" or key in kept or not isinstance(pair, list):
            out[key] = pair
            continue
        if "." in key:  # a bulk write's summary: « model (name).field »
            field = key.rsplit(".", 1)[1]
            out[key] = [v if v in (None, "", [], {}) or field in kept else MASKED for v in pair]
            continue
        if " (" in key:  # a bulk write's row count
            out[key] = pair
            continue
        out[key] = [v if v in (None, "", [], {}) else MASKED for v in pair]
    return out


def pseudonymise(apps, schema_editor):
    connection = schema_editor.connection
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    kinds = {ct.pk: ct for ct in ContentType.objects.all()}
    kept_by_kind = {pk: _kept_fields(ct) for pk, ct in kinds.items()}
    batch = []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        content_type = kinds.get(event.content_type_id)
        kept = kept_by_kind.get(event.content_type_id, set())
        if kept is None:
            continue
        label = f"{content_type.model if content_type else 'fiche'} n° {event.object_id}"
        if event.object_id == "liste":
            label = event.object_repr
        changes = _masked(event.changes, kept)
        if changes != event.changes or label != event.object_repr:
            event.changes, event.object_repr = changes, label[:300]
            batch.append(event)
        if len(batch) >= 1000:
            AuditEvent.objects.bulk_update(batch, ["changes", "object_repr"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["changes", "object_repr"])
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        schema_editor.execute(POSTGRES_UP, params=None)
    elif connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(pseudonymise, backwards)]
