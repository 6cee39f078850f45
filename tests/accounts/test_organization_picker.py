"""Naming an organization in a form among the platform's thousands: a text box with suggestions
(accents and case ignored, one's own département first), resolved by the server whatever was typed,
never a <select> of every organization."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind
from ancrage.support.models import Referral
from tests.accounts.factories import OrganizationFactory
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

SUGGEST = "accounts:organization_suggest"


def logged(user):
    client = Client()
    client.force_login(user)
    return client


def suggestions(user, text, **params):
    response = logged(user).get(reverse(SUGGEST), {"champ": "receiver", "receiver": text, **params})
    assert response.status_code == 200
    return response.text


def labels(fragment):
    return [
        html.unescape(line.split('"')[1])
        for line in fragment.splitlines()
        if line.startswith("<option")
    ]


def test_suggestions_ignore_accents_and_case_and_leave_out_ones_own_and_inactive(world):
    OrganizationFactory(name="Zénith Habitat", kind=OrganizationKind.SOCIAL_LANDLORD)
    OrganizationFactory(name="Zenith Jeunes (fermée)", is_active=False)
    found = labels(suggestions(world.owner, "zenith"))
    assert found == ["Zénith Habitat — Bailleur social"]
    # One's own organization is never suggested; another member sees it.
    assert labels(suggestions(world.owner, "artois")) == []
    assert labels(suggestions(world.outsider, "artois")) == ["CLLAJ de l'Artois — CLLAJ"]
    # Every word must be in the name.
    assert labels(suggestions(world.owner, "zénith rhône")) == []


def test_suggestions_put_ones_own_departement_first(world):
    nord = TerritoryFactory(kind="departement", code="59", name="Nord")
    rhone = TerritoryFactory(kind="departement", code="69", name="Rhône")
    world.org.commune = TerritoryFactory(code="59350", name="Lille", departement=nord)
    world.org.save()
    OrganizationFactory(
        name="Habitat Alpes", commune=TerritoryFactory(code="69123", departement=rhone)
    )
    OrganizationFactory(name="Habitat Lens", commune=TerritoryFactory(code="62498"))
    OrganizationFactory(
        name="Habitat Roubaix", commune=TerritoryFactory(code="59512", departement=nord)
    )
    found = labels(suggestions(world.owner, "habitat"))
    assert [label.split(" — ")[0] for label in found] == [
        "Habitat Roubaix",
        "Habitat Alpes",
        "Habitat Lens",
    ]
    # Without a commune, by name only.
    world.org.commune = None
    world.org.save()
    found = labels(suggestions(world.owner, "habitat"))
    assert [label.split(" — ")[0] for label in found][0] == "Habitat Alpes"


def test_suggestions_follow_the_fields_pool(world):
    OrganizationFactory(name="Habitat Rhône", kind=OrganizationKind.SOCIAL_LANDLORD)
    OrganizationFactory(name="Rhône financeur", kind=OrganizationKind.FUNDER)
    every = labels(suggestions(world.owner, "rhône"))
    assert len(every) == 3
    support = labels(suggestions(world.owner, "rhône", module="support"))
    assert "Rhône financeur — Financeur" not in support
    assert "Toit Partagé Rhône — CLLAJ" in support
    landlords = labels(suggestions(world.owner, "rhône", type="social_landlord"))
    assert landlords == ["Habitat Rhône — Bailleur social"]


@pytest.mark.parametrize(
    "params",
    [
        {"receiver": "x" * 5000},
        {"receiver": "a\x00b"},
        {"receiver": "   "},
        {"receiver": "rhône", "module": "n'importe"},
        {"receiver": "rhône", "type": "<script>"},
        {"champ": "", "q": "rhône", "type": "inconnu"},
    ],
)
def test_bad_input_gets_no_suggestion_and_no_error(world, params):
    response = logged(world.owner).get(reverse(SUGGEST), {"champ": "receiver", **params})
    assert response.status_code == 200
    assert labels(response.text) == []


def test_homonyms_are_told_apart_by_their_number_and_resolved_by_it(world):
    first = OrganizationFactory(name="Habitat Jeunes", kind=OrganizationKind.ASSOCIATION)
    second = OrganizationFactory(name="Habitat Jeunes", kind=OrganizationKind.ASSOCIATION)
    found = labels(suggestions(world.owner, "habitat jeunes"))
    assert found == [
        f"Habitat Jeunes — Association · n° {first.pk}",
        f"Habitat Jeunes — Association · n° {second.pk}",
    ]
    person = PersonFactory(organization=world.org)
    client = logged(world.owner)
    response = send(client, person, found[1])
    assert response.status_code == 302
    assert Referral.objects.get().receiver == second


def send(client, person, receiver_text):
    return client.post(
        reverse("support:referral_create", args=[person.pk]),
        {
            "receiver": receiver_text,
            "purpose": "Accès à une pension de famille",
            "shared_fields": ["last_name", "first_name"],
            "consent_on": timezone.localdate().isoformat(),
        },
    )


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Toit Partagé Rhône — CLLAJ", True),  # the suggestion, as chosen in the list
        ("toit partage", True),  # words of one name only
        ("  TOIT PARTAGÉ RHÔNE ", True),
    ],
)
def test_what_was_typed_is_resolved_without_javascript(world, typed, found):
    person = PersonFactory(organization=world.org)
    response = send(logged(world.owner), person, typed)
    assert response.status_code == 302
    assert Referral.objects.get().receiver == world.other_org


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Inconnue au bataillon", "Aucune structure ne correspond à « Inconnue au bataillon »"),
        ("habitat", "2 structures correspondent à « habitat »"),
        # A funder receives no referral.
        ("Rhône financeur", "Aucune structure ne correspond à « Rhône financeur »"),
        ("CLLAJ de l'Artois", "Aucune structure ne correspond"),  # one's own organization
        ("x" * 400, "Nom de structure trop long (300 caractères au plus)."),
        ("a\x00b", "Aucune structure ne correspond"),
        ("999999999999999999999999", "Aucune structure ne correspond"),
    ],
)
def test_a_name_that_designates_no_single_receiver_is_refused_and_nothing_is_sent(
    world, typed, message
):
    OrganizationFactory(name="Habitat Rhône", kind=OrganizationKind.SOCIAL_LANDLORD)
    OrganizationFactory(name="Habitat Savoie", kind=OrganizationKind.SOCIAL_LANDLORD)
    OrganizationFactory(name="Rhône financeur", kind=OrganizationKind.FUNDER)
    person = PersonFactory(organization=world.org)
    response = send(logged(world.owner), person, typed)
    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "'").replace("&quot;", '"')
    assert Referral.objects.count() == 0


def test_pages_never_list_every_organization(world):
    for index in range(30):
        OrganizationFactory(name=f"Structure lointaine {index:02d}")
    person = PersonFactory(organization=world.org)
    client = logged(world.owner)
    for url in (
        reverse("people:person_detail", args=[person.pk]),
        reverse("support:referral_create", args=[person.pk]),
        reverse("support:contact_create"),
        reverse("housing:residence_create"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Structure lointaine" not in page.text, url


def test_suggestions_keep_a_constant_query_count(world, count_queries):
    for index in range(3):
        OrganizationFactory(name=f"Maison {index}")
    client = logged(world.owner)

    def ask():
        return client.get(reverse(SUGGEST), {"champ": "q", "q": "maison"})

    ask()  # the session's first request reads the memberships once
    few = count_queries(ask)
    for index in range(3, 40):
        OrganizationFactory(name=f"Maison {index}")
    assert count_queries(ask) == few
    assert len(labels(ask().text)) == 15


def test_suggestions_are_for_members_only(world, client):
    response = client.get(reverse(SUGGEST), {"q": "rhône"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    # A member of any organization (owner, colleague, outsider) may name organizations.
    for user in (world.owner, world.colleague, world.outsider):
        assert logged(user).get(reverse(SUGGEST), {"q": "a"}).status_code == 200
