import pytest
from django.urls import reverse

from ancrage.accounts.enums import Role
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_user_of_two_organizations_switches_the_current_one(client, world):
    MembershipFactory(user=world.owner, organization=world.other_org, role=Role.COUNSELLOR)
    client.force_login(world.owner)
    home = client.get(reverse("core:home"))
    assert home.context["membership"].organization == world.org  # first by name
    response = client.post(
        reverse("accounts:switch_organization"), {"organization": world.other_org.pk}, follow=True
    )
    assert response.context["membership"].organization == world.other_org
    assert "Vous travaillez maintenant pour Toit Partagé Rhône" in response.text
    assert "Conseiller·ère" in response.text


def test_switching_to_an_organization_one_does_not_belong_to_is_refused(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("accounts:switch_organization"), {"organization": world.other_org.pk}, follow=True
    )
    assert "Vous ne faites pas partie de cette structure" in response.text
    assert response.context["membership"].organization == world.org


def test_home_page_tells_a_user_without_organization_what_to_do(client, user_factory):
    user = user_factory(email="seul@exemple.fr")
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert "Vous n'êtes rattaché·e à aucune structure" in response.text
    assert "seul@exemple.fr" in response.text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, "Gérer les membres"),
        (Role.COUNSELLOR, "Démarches en retard"),
        (Role.READ_ONLY, "Accès en lecture seule"),
        (Role.PARTNER, "Vos dispositifs"),
        (Role.FUNDER, "Aucun dispositif financé"),
    ],
)
def test_home_page_adapts_to_the_role(client, role, expected):
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    assert expected in client.get(reverse("core:home")).text


@pytest.mark.parametrize(
    ("page", "kwargs", "role", "expected"),
    [
        ("people:person_list", None, Role.COUNSELLOR, "people:person_list"),  # the same list there
        ("people:person_detail", "person", Role.COUNSELLOR, "core:home"),  # a record of the other
        ("housing:rhythm_create", None, Role.READ_ONLY, "core:home"),  # not allowed there
        ("housing:residence_list", None, Role.COUNSELLOR, "core:home"),  # a module it does not use
    ],
)
def test_switching_keeps_the_page_when_it_means_the_same_there(
    client, world, page, kwargs, role, expected
):
    from tests.people.factories import PersonFactory

    if expected == "core:home" and page == "housing:residence_list":
        world.other_org.modules = ["support"]
        world.other_org.save()
    MembershipFactory(user=world.owner, organization=world.other_org, role=role)
    client.force_login(world.owner)
    args = [PersonFactory(organization=world.org).pk] if kwargs else None
    response = client.post(
        reverse("accounts:switch_organization"),
        {"organization": world.other_org.pk, "next": reverse(page, args=args)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(expected)


def test_switching_never_leaves_the_site(client, world):
    MembershipFactory(user=world.owner, organization=world.other_org, role=Role.COUNSELLOR)
    client.force_login(world.owner)
    response = client.post(
        reverse("accounts:switch_organization"),
        {"organization": world.other_org.pk, "next": "https://ailleurs.example/personnes/"},
    )
    assert response["Location"] == reverse("core:home")
