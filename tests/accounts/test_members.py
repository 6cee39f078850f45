import pytest
from django.core import mail
from django.urls import reverse

from ancrage.accounts.enums import Role
from ancrage.accounts.models import Membership, User
from ancrage.audit.models import AuditEvent
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_colleague_who_receives_a_link_to_choose_a_password(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:member_add", args=[world.org.pk]),
            {
                "email": "Nouvelle.Conseillere@Exemple.fr",
                "first_name": "Inès",
                "last_name": "Roux",
                "role": "counsellor",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.conseillere@exemple.fr")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, organization=world.org).role == Role.COUNSELLOR
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle.conseillere@exemple.fr"]
    assert "/compte/password/reset/key/" in mail.outbox[0].body


def test_adding_someone_already_in_the_team_is_refused(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("accounts:member_add", args=[world.org.pk]),
        {
            "email": "colleague@exemple.fr",
            "first_name": "A",
            "last_name": "B",
            "role": "counsellor",
        },
    )
    assert response.status_code == 200
    assert "fait déjà partie de la structure" in response.text


def test_an_existing_account_from_another_organization_is_reused(client, world):
    client.force_login(world.owner)
    client.post(
        reverse("accounts:member_add", args=[world.org.pk]),
        {"email": "outsider@exemple.fr", "first_name": "X", "last_name": "Y", "role": "partner"},
    )
    assert User.objects.filter(email="outsider@exemple.fr").count() == 1
    assert world.outsider.memberships.count() == 2
    assert len(mail.outbox) == 0


def test_the_last_admin_cannot_lose_the_admin_role(client, world):
    client.force_login(world.owner)
    url = reverse("accounts:member_update", args=[world.org.pk, world.owner_membership.pk])
    response = client.post(url, {"action": "role", "role": "counsellor"}, follow=True)
    assert "au moins un·e administrateur·rice" in response.text
    world.owner_membership.refresh_from_db()
    assert world.owner_membership.role == Role.ADMIN


def test_admin_changes_a_role_then_removes_access(client, world):
    client.force_login(world.owner)
    url = reverse("accounts:member_update", args=[world.org.pk, world.colleague_membership.pk])
    client.post(url, {"action": "role", "role": "counsellor"})
    world.colleague_membership.refresh_from_db()
    assert world.colleague_membership.role == Role.COUNSELLOR
    client.post(url, {"action": "deactivate"})
    world.colleague_membership.refresh_from_db()
    assert not world.colleague_membership.is_active
    # The colleague no longer reaches the organization.
    client.force_login(world.colleague)
    assert (
        client.get(reverse("accounts:organization_detail", args=[world.org.pk])).status_code == 404
    )


def test_viewing_a_member_record_is_logged_and_shown_to_admins(client, world):
    client.force_login(world.owner)
    url = reverse("accounts:member_detail", args=[world.org.pk, world.colleague_membership.pk])
    client.get(url)
    response = client.get(url)
    views = AuditEvent.objects.for_object(world.colleague).filter(action="view")
    assert views.count() == 2
    assert {e.actor_id for e in views} == {world.owner.pk}
    assert "Qui a consulté cette fiche" in response.text
    assert response.text.count("owner@exemple.fr") >= 2


def test_member_list_query_count_does_not_grow_with_the_team(client, world, count_queries):
    client.force_login(world.owner)
    url = reverse("accounts:member_list", args=[world.org.pk])

    def count():
        return count_queries(lambda: client.get(url))

    count()  # the first request of a session also writes the session
    with_two = count()
    MembershipFactory.create_batch(30, organization=world.org)
    with_thirty_two = count()
    assert with_two == with_thirty_two
    assert "32 membres" in client.get(url).text


def test_colleague_sees_the_team_but_cannot_open_member_records(client, world):
    client.force_login(world.colleague)
    response = client.get(reverse("accounts:member_list", args=[world.org.pk]))
    assert response.status_code == 200
    assert "owner@exemple.fr" in response.text
    assert "Ajouter un membre" not in response.text
    detail = reverse("accounts:member_detail", args=[world.org.pk, world.owner_membership.pk])
    assert client.get(detail).status_code == 403


def test_a_membership_of_another_organization_answers_404(client, world):
    client.force_login(world.owner)
    url = reverse("accounts:member_detail", args=[world.org.pk, world.outsider_membership.pk])
    assert client.get(url).status_code == 404
