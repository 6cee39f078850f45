import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from ancrage.accounts.enums import Role
from ancrage.accounts.models import ApiToken, hash_token
from ancrage.accounts.services import change_member_role, create_api_token
from tests.accounts.factories import MembershipFactory, activate_mfa
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_stored_hashed_and_works_until_revoked(client, world):
    client.force_login(world.owner)
    response = client.post(reverse("accounts:token_create"), {"name": "Tableur du financeur"})
    raw = response.context["raw"]
    assert raw.startswith("anc_")
    assert raw in response.text
    token = ApiToken.objects.get(user=world.owner)
    assert token.key_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.values_list(flat=True))
    listing = client.get(reverse("accounts:token_list"))
    assert raw not in listing.text
    assert "Tableur du financeur" in listing.text

    api = client_class_for_token(raw)
    assert api.get(reverse("api:organization-list")).status_code == 200

    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    response = client_class_for_token(raw).get(reverse("api:organization-list"))
    assert response.status_code == 401
    assert "révoqué" in response.json()["detail"]


def client_class_for_token(raw):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Token {raw}")


def test_a_token_needs_a_name(client, world):
    client.force_login(world.owner)
    response = client.post(reverse("accounts:token_create"), {"name": "  "})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_nobody_revokes_someone_elses_token(client, world):
    client.force_login(world.owner)
    client.post(reverse("accounts:token_create"), {"name": "Outil"})
    token = ApiToken.objects.get()
    client.force_login(world.colleague)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_list_query_count_does_not_grow(client, world, count_queries):

    from ancrage.accounts.services import create_api_token

    client.force_login(world.owner)
    url = reverse("accounts:token_list")
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    create_api_token(user=world.owner, name="Premier", actor=world.owner)
    one = count()
    for index in range(20):
        create_api_token(user=world.owner, name=f"Jeton {index}", actor=world.owner)
    assert count() == one


# --- The second factor holds for tokens too (issue 15, gap 1) ---------------------------------


def _token_of(user):
    _, raw = create_api_token(user=user, name="Intégration", actor=user)
    return client_class_for_token(raw)


@override_settings(DEMO=False)  # as in production: the team must use a second factor
def test_a_token_of_a_counsellor_without_totp_is_refused_until_totp_is_on(world):
    membership = MembershipFactory(
        organization=world.org, role=Role.COUNSELLOR, user__with_mfa=False
    )
    PersonFactory(organization=world.org)
    api = _token_of(membership.user)
    response = api.get(reverse("api:person-list"))
    assert response.status_code == 403
    assert "double authentification" in response.json()["detail"]
    activate_mfa(membership.user, True, None)
    response = api.get(reverse("api:person-list"))
    assert response.status_code == 200 and len(response.json()["results"]) == 1


@override_settings(DEMO=False)
def test_turning_totp_off_suspends_the_tokens(world):
    api = _token_of(world.owner)
    assert api.get(reverse("api:person-list")).status_code == 200
    Authenticator.objects.filter(user=world.owner).delete()  # TOTP removed
    assert api.get(reverse("api:person-list")).status_code == 403


@override_settings(DEMO=False)
def test_a_partner_token_works_without_totp_until_a_team_role_is_granted(world):
    membership = MembershipFactory(organization=world.org, role=Role.PARTNER, user__with_mfa=False)
    api = _token_of(membership.user)
    assert api.get(reverse("api:organization-list")).status_code == 200
    change_member_role(membership=membership, role=Role.READ_ONLY, actor=world.owner)
    response = api.get(reverse("api:organization-list"))
    assert response.status_code == 403
    assert "suspendus" in response.json()["detail"]
