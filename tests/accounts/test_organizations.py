import pytest
from django.urls import reverse

from ancrage.accounts.models import Organization
from tests.core.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_members_see_their_organization_page(client, world):
    client.force_login(world.colleague)
    response = client.get(reverse("accounts:organization_detail", args=[world.org.pk]))
    assert response.status_code == 200
    assert "CLLAJ de l&#x27;Artois" in response.text
    assert "Modifier la fiche" not in response.text  # read-only colleague


def test_admin_updates_name_siret_and_commune(client, world):
    arras = TerritoryFactory(code="62041", name="Arras", postal_codes="62000")
    client.force_login(world.owner)
    response = client.post(
        reverse("accounts:organization_update", args=[world.org.pk]),
        {
            "name": "CLLAJ Artois Ternois",
            "siret": "732 829 320 00074",
            "address": "3 rue Gambetta",
            "commune": "Arras (62000) [62041]",
        },
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.name == "CLLAJ Artois Ternois"
    assert world.org.siret == "73282932000074"
    assert world.org.commune == arras


def test_an_invalid_siret_is_refused_with_a_french_message_and_nothing_changes(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("accounts:organization_update", args=[world.org.pk]),
        {"name": "Nouveau nom", "siret": "12345678901234", "address": "", "commune": ""},
    )
    assert response.status_code == 200
    assert "SIRET invalide" in response.text
    assert 'aria-invalid="true"' in response.text
    assert Organization.objects.get(pk=world.org.pk).name == "CLLAJ de l'Artois"


def test_an_unknown_commune_is_refused(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("accounts:organization_update", args=[world.org.pk]),
        {"name": "Nom", "siret": "", "address": "", "commune": "Atlantide"},
    )
    assert "Commune inconnue" in response.text


def test_commune_search_suggests_communes_by_name_without_accents(client, world):
    TerritoryFactory(
        code="42218", name="Saint-Étienne", postal_codes="42000 42100", population=170000
    )
    client.force_login(world.colleague)
    response = client.get(reverse("core:commune_search"), {"commune": "saint-eti"})
    assert 'value="Saint-Étienne (42000) [42218]"' in response.text


def test_outsiders_cannot_change_another_organization(client, world):
    client.force_login(world.outsider)
    url = reverse("accounts:organization_update", args=[world.org.pk])
    assert client.post(url, {"name": "Piraté"}).status_code == 404
    assert Organization.objects.get(pk=world.org.pk).name == "CLLAJ de l'Artois"


def test_colleague_cannot_change_own_organization(client, world):
    client.force_login(world.colleague)
    url = reverse("accounts:organization_update", args=[world.org.pk])
    assert client.post(url, {"name": "Modifié"}).status_code == 403
