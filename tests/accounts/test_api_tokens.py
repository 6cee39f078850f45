import pytest
from django.urls import reverse

from ancrage.accounts.models import ApiToken, hash_token

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
