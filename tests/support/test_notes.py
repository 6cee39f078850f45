import pytest
from django.urls import reverse

from ancrage.accounts.enums import Role
from ancrage.audit.models import AuditEvent
from ancrage.support import services
from ancrage.support.models import Note
from tests.accounts.factories import MembershipFactory
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(world):
    return EnrollmentFactory(organization=world.org, referent=world.owner)


def test_a_note_is_added_with_the_objectivity_warning_shown(client, world, enrollment):
    client.force_login(world.owner)
    page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "Écrivez des faits datés, pas des jugements" in page.text
    client.post(
        reverse("support:note_add", args=[enrollment.pk]),
        {"body": "Dossier APL déposé à la CAF.", "visibility": "team"},
    )
    note = Note.objects.get()
    assert note.author == world.owner
    assert (
        "Dossier APL déposé à la CAF."
        in client.get(reverse("support:enrollment_detail", args=[enrollment.pk])).text
    )
    assert AuditEvent.objects.for_object(note).get().action == "create"


def test_referent_only_notes_are_hidden_from_the_rest_of_the_team(client, world, enrollment):
    services.add_note(
        enrollment=enrollment, body="Visible par l'équipe.", visibility="team", actor=world.owner
    )
    services.add_note(
        enrollment=enrollment,
        body="Réservée au référent.",
        visibility="referent",
        actor=world.owner,
    )
    counsellor = MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    client.force_login(counsellor)
    page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
    assert "Visible par l&#x27;équipe." in page.text
    assert "Réservée au référent." not in page.text
    client.force_login(world.owner)  # the referent
    assert (
        "Réservée au référent."
        in client.get(reverse("support:enrollment_detail", args=[enrollment.pk])).text
    )


def test_an_empty_note_is_refused(client, world, enrollment):
    client.force_login(world.owner)
    response = client.post(
        reverse("support:note_add", args=[enrollment.pk]), {"body": "   ", "visibility": "team"}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.text
    assert Note.objects.count() == 0


def test_outsiders_and_read_only_colleagues_cannot_write_notes(client, world, enrollment):
    url = reverse("support:note_add", args=[enrollment.pk])
    client.force_login(world.colleague)
    assert client.post(url, {"body": "x", "visibility": "team"}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(url, {"body": "x", "visibility": "team"}).status_code == 404
    assert Note.objects.count() == 0
