import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ancrage.accounts.enums import Role
from ancrage.accounts.models import User
from ancrage.audit.models import AppendOnlyError, AuditEvent
from ancrage.core.actor import acting_as

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_who_and_what(world):
    with acting_as(world.owner):
        user = User.objects.create_user(
            "temoin@exemple.fr", "un-mot-de-passe-solide", first_name="Léa"
        )
        user.first_name = "Léa-Marie"
        user.save()
        pk = user.pk
        user.delete()
    events = list(
        AuditEvent.objects.filter(content_type__model="user", object_id=str(pk)).order_by("id")
    )
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert {e.actor_label for e in events} == {"owner@exemple.fr"}
    # Which field changed, never what it held: names are masked like secrets.
    assert events[1].changes == {"first_name": ["••••••", "••••••"]}
    assert "Léa" not in str([e.changes for e in events]) + str([e.object_repr for e in events])
    # Secrets never reach the trail.
    assert events[0].changes["password"] == [None, "••••••"]


def test_a_change_through_a_page_is_attributed_to_the_logged_in_user(client, world):
    client.force_login(world.owner)
    client.post(
        reverse("accounts:member_update", args=[world.org.pk, world.colleague_membership.pk]),
        {"action": "role", "role": "counsellor"},
    )
    event = AuditEvent.objects.for_object(world.colleague_membership).get(action="update")
    assert event.actor == world.owner
    assert event.organization_id == world.org.pk
    assert event.changes == {"role": [Role.READ_ONLY, Role.COUNSELLOR]}


def test_saving_without_change_records_nothing(world):
    before = AuditEvent.objects.count()
    world.org.save()
    assert AuditEvent.objects.count() == before


def test_audit_rows_cannot_be_changed_or_deleted_through_the_application(world):
    event = AuditEvent.objects.first()
    event.object_repr = "falsifié"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="falsifié")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_updates_to_audit_rows(world):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = 'falsifié' WHERE id = %s", [event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).object_repr != "falsifié"


@pytest.mark.postgresql
def test_postgresql_also_refuses_deleting_audit_rows(world):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_keeps_what_they_did_and_what_was_done_to_them(world):
    with acting_as(world.colleague):
        world.colleague.first_name = "Nouveau"
        world.colleague.save()
    with acting_as(world.owner):
        world.colleague.delete()
    by_colleague = AuditEvent.objects.filter(actor_label="colleague@exemple.fr")
    assert by_colleague.filter(action="update").count() == 1
    assert (
        AuditEvent.objects.filter(
            content_type__model="user", action="delete", actor=world.owner
        ).count()
        == 1
    )


def test_member_history_names_changed_fields_in_french(client, world):
    client.force_login(world.owner)
    client.post(
        reverse("accounts:member_update", args=[world.org.pk, world.colleague_membership.pk]),
        {"action": "role", "role": "counsellor"},
    )
    page = client.get(
        reverse("accounts:member_detail", args=[world.org.pk, world.colleague_membership.pk])
    )
    assert "Historique des modifications" in page.text
    assert "Appartenance — modification : rôle</li>" in page.text
