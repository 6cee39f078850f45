"""Migration audit 0003 rewrites the events written before the trail masked personal values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("audit", "0002_append_only_triggers")]
AFTER = [("audit", "0003_pseudonymise_and_expire")]


@pytest.mark.django_db(transaction=True)
def test_past_events_lose_names_and_free_text_but_keep_codes_and_dates():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    person_type, _ = ContentType.objects.get_or_create(app_label="people", model="person")
    org_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="organization")
    old = AuditEvent.objects.create(
        action="create",
        content_type=person_type,
        object_id="7",
        object_repr="Élodie MARTINEZ",
        actor_label="conseil@exemple.fr",
        changes={
            "last_name": [None, "Martinez"],
            "phone": [None, "+33612345678"],
            "birth_date": [None, "2004-05-06"],
            "situation": [None, "apprentice"],
            "informed_on": [None, "2026-01-05"],
            "organization_id": [None, 3],
        },
    )
    platform = AuditEvent.objects.create(
        action="update",
        content_type=org_type,
        object_id="3",
        object_repr="CLLAJ de l'Artois",
        actor_label="système",
        changes={"name": ["CLLAJ", "CLLAJ de l'Artois"]},
    )
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        AuditEvent = apps.get_model("audit", "AuditEvent")
        event = AuditEvent.objects.get(pk=old.pk)
        assert event.object_repr == "person n° 7"
        assert event.changes == {
            "last_name": [None, "••••••"],
            "phone": [None, "••••••"],
            "birth_date": [None, "••••••"],
            "situation": [None, "apprentice"],
            "informed_on": [None, "2026-01-05"],
            "organization_id": [None, 3],
        }
        # The platform's own objects name no one: unchanged.
        kept = AuditEvent.objects.get(pk=platform.pk)
        assert kept.object_repr == "CLLAJ de l'Artois" and kept.changes == platform.changes
        # And the trail is append-only again.
        with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [old.pk])
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
