import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client

pytestmark = pytest.mark.django_db


def test_organizations_lists_only_the_users_organizations(world):
    data = token_client(world.owner).get(reverse("api:organization-list")).json()
    assert [o["name"] for o in data["results"]] == ["CLLAJ de l'Artois"]
    assert data["results"][0]["kind_label"] == "CLLAJ"


def test_another_organization_answers_404(world):
    client = token_client(world.outsider)
    assert client.get(reverse("api:organization-detail", args=[world.org.pk])).status_code == 404
    assert (
        client.get(reverse("api:membership-detail", args=[world.owner_membership.pk])).status_code
        == 404
    )


def test_memberships_of_the_team_are_visible_to_team_members_only(world):
    emails = {
        m["user_email"]
        for m in token_client(world.colleague).get(reverse("api:membership-list")).json()["results"]
    }
    assert emails == {"owner@exemple.fr", "colleague@exemple.fr"}
    emails = {
        m["user_email"]
        for m in token_client(world.outsider).get(reverse("api:membership-list")).json()["results"]
    }
    assert emails == {"outsider@exemple.fr"}


def test_anonymous_requests_are_refused(world):
    assert Client().get(reverse("api:organization-list")).status_code in (401, 403)
    response = Client(HTTP_AUTHORIZATION="Token anc_faux_jeton").get(
        reverse("api:organization-list")
    )
    assert response.status_code == 401


def test_the_api_is_read_only_for_now(world):
    client = token_client(world.owner)
    response = client.post(
        reverse("api:organization-list"), {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 405


def test_list_query_count_is_constant(world, count_queries):
    client = token_client(world.owner)
    url = reverse("api:membership-list")
    client.get(url)  # the first use of a token records its last use
    few = count_queries(lambda: client.get(url))
    MembershipFactory.create_batch(20, organization=world.org)
    assert count_queries(lambda: client.get(url)) == few
    assert len(client.get(url).json()["results"]) == 22


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/organizations/" in schema.json()["paths"]
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()


def test_memberships_filter_by_organization_and_refuse_garbage(world):
    client = token_client(world.owner)
    url = reverse("api:membership-list")
    assert len(client.get(url, {"organization": world.org.pk}).json()["results"]) == 2
    assert client.get(url, {"organization": world.other_org.pk}).json()["results"] == []
    response = client.get(url, {"organization": "9" * 30})
    assert response.status_code == 400
    assert "organization" in response.json()


def test_a_search_box_holding_only_control_characters_means_no_filter(world):
    client = token_client(world.owner)
    assert client.get(reverse("api:person-list"), {"q": "\x1d"}).status_code == 200
    assert client.get(reverse("api:step-list"), {"reference": "\x1d"}).status_code == 200


def test_an_unknown_api_address_answers_json_not_an_html_page(world):
    client = token_client(world.owner)
    for url in ("/api/v1/nothing/", "/api/v1/persons/1.5/", "/api/v1/persons/999999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["Content-Type"].startswith("application/json"), url
        assert response.json()["detail"], url
    page = client.get("/nulle-part/")
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "true"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),  # beyond the schema's maximum: said, not silently capped
        ({"limit": "５"}, "limit"),  # a full-width digit
        ({"offset": "-1"}, "offset"),
        ({"offset": str(2**31)}, "offset"),
    ],
)
def test_a_malformed_page_parameter_is_a_400_naming_it(world, params, field):
    response = token_client(world.owner).get(reverse("api:membership-list"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_token_gets_the_browsers_default_organization(world, client):
    """Nothing asked: the indicator values cover the same slice through a token as in a session
    (the first membership's organization), not a program the organization takes part in."""
    import datetime

    from django.utils import timezone

    from ancrage.indicators.models import Aggregate
    from tests.programs.factories import ParticipantFactory

    program = ParticipantFactory(organization=world.org).program
    year = datetime.date(timezone.localdate().year, 1, 1)
    common = {"indicator": "personnes_recues", "grain": "year", "period": year, "category": ""}
    Aggregate.objects.create(scope="org", organization=world.org, value=3, **common)
    Aggregate.objects.create(scope="program", program=program, value=7, **common)
    url = reverse("api:indicator-values", args=["personnes_recues"])
    client.force_login(world.owner)
    through_session = client.get(url).json()["results"]
    through_token = token_client(world.owner).get(url).json()["results"]
    assert [(row["scope"], row["value"]) for row in through_session] == [("org", 3.0)]
    assert through_token == through_session


def test_the_directory_finds_other_organizations_with_their_name_kind_and_commune_only(world):
    from tests.accounts.factories import OrganizationFactory

    OrganizationFactory(name="Bailleur Élan Habitat", kind="social_landlord")
    OrganizationFactory(name="Ancien partenaire", is_active=False)
    api = token_client(world.owner)
    found = api.get(reverse("api:organization-directory"), {"q": "elan"}).json()["results"]
    assert [o["name"] for o in found] == ["Bailleur Élan Habitat"]
    assert set(found[0]) == {"id", "name", "kind", "kind_label", "commune_code", "commune_name"}
    everyone = api.get(reverse("api:organization-directory")).json()["results"]
    names = {o["name"] for o in everyone}
    assert world.other_org.name in names and world.org.name not in names  # not one's own
    assert "Ancien partenaire" not in names
    bad = api.get(reverse("api:organization-directory"), {"kind": ""})
    assert bad.status_code == 400 and "kind" in bad.json()
