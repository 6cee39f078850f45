"""Lists paged by key (``?apres=`` / ``?avant=``): every row once, in the order of the sort, empty
cells last whatever the direction, the same on the way back; a key altered by hand or from another
sort gives the first page; the count stops at a cap; the next page costs the same queries as the
first, and none of them skips rows with OFFSET."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.core import listing
from tests.clients import client_of
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def link(response, rel: str) -> str | None:
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', response.text)
    return html.unescape(found.group(1)) if found else None


def walk(client: Client, url: str, query: str = "") -> tuple[list[int], list[int], int]:
    """Every row's id following « Suivante » from the first page, then following « Précédente »
    back from the last one; and how many pages."""
    response = client.get(url + query)
    assert response.status_code == 200
    forward: list[int] = []
    pages = 0
    while True:
        pages += 1
        forward += [row.pk for row in response.context["page"].object_list]
        following = link(response, "next")
        if following is None:
            break
        response = client.get(url + following)
        assert response.status_code == 200
    backward: list[int] = []
    while True:
        backward = [row.pk for row in response.context["page"].object_list] + backward
        previous = link(response, "prev")
        if previous is None:
            break
        response = client.get(url + previous)
        assert response.status_code == 200
    return forward, backward, pages


@pytest.fixture
def people(world, monkeypatch):
    """Seven people, three pages of three: two share a name (the id decides), two have no birth
    date and two no commune (empty cells), one belongs to another organization."""
    monkeypatch.setattr("ancrage.people.views.persons.PAGE_SIZE", 3)
    arras = TerritoryFactory(kind="commune", code="62041", name="Arras")
    lens = TerritoryFactory(kind="commune", code="62498", name="Lens")
    rows = [
        ("Martin", "Élodie", D(2001, 5, 1), arras),
        ("Martin", "Élodie", D(1999, 2, 3), lens),
        ("Dubois", "Hugo", None, arras),
        ("Bernard", "Inès", D(2004, 7, 9), None),
        ("Zola", "Noah", None, None),
        ("Petit", "Zoé", D(2001, 5, 1), lens),
        ("Roux", "Yanis", D(1997, 12, 30), arras),
    ]
    made = [
        PersonFactory(
            organization=world.org, last_name=last, first_name=first, birth_date=born, commune=town
        )
        for last, first, born, town in rows
    ]
    PersonFactory(organization=world.other_org, last_name="Aubert")
    return made


def expected(people, key, *, descending: bool, ties_descending: bool | None = None) -> list[int]:
    """The order a reader expects: by the column, empty cells last either way, then by id (going
    down when the column was clicked to go down)."""
    ties_descending = descending if ties_descending is None else ties_descending
    filled = [p for p in people if key(p) is not None]
    empty = [p for p in people if key(p) is None]
    filled.sort(key=lambda p: p.pk, reverse=ties_descending)
    filled.sort(key=key, reverse=descending)
    empty.sort(key=lambda p: p.pk, reverse=ties_descending)
    return [p.pk for p in filled + empty]


@pytest.mark.parametrize(
    ("sort", "key", "descending", "ties_descending"),
    [
        ("nom", lambda p: (p.last_name, p.first_name), False, False),
        ("-nom", lambda p: (p.last_name, p.first_name), True, True),
        # « Âge » going up is the birth date going down.
        ("age", lambda p: p.birth_date, True, False),
        ("-age", lambda p: p.birth_date, False, True),
        ("commune", lambda p: p.commune.name if p.commune else None, False, False),
        ("-commune", lambda p: p.commune.name if p.commune else None, True, True),
    ],
)
def test_every_person_once_in_the_sort_order_forward_and_back(
    world, people, sort, key, descending, ties_descending
):
    forward, backward, pages = walk(
        client_of(world.owner), reverse("people:person_list"), f"?tri={sort}"
    )
    assert forward == expected(people, key, descending=descending, ties_descending=ties_descending)
    assert backward == forward
    assert pages == 3


def test_first_page_has_no_way_back_and_the_last_no_way_forward(world, people):
    client = client_of(world.owner)
    url = reverse("people:person_list")
    first = client.get(url)
    assert link(first, "prev") is None
    assert "Première page" not in first.text
    assert "7 personnes" in first.text
    second = client.get(url + link(first, "next"))
    assert "Première page" in second.text
    assert "7 personnes" in second.text  # the count is the list's, not the page's
    last = client.get(url + link(second, "next"))
    assert link(last, "next") is None
    assert [p.pk for p in last.context["page"].object_list] == expected(
        people, lambda p: (p.last_name, p.first_name), descending=False
    )[6:]


def test_the_filters_and_the_sort_are_kept_and_a_new_sort_starts_again(world, people):
    client = client_of(world.owner)
    url = reverse("people:person_list")
    first = client.get(url, {"tri": "-nom", "q": "martin"})
    assert link(first, "next") is None  # two Martin: one page
    second_page = client.get(url + link(client.get(url, {"tri": "-nom"}), "next"))
    header_links = [h.url for h in second_page.context["headers"] if h.url]
    assert header_links and all(
        "apres" not in u and "avant" not in u and "page" not in u for u in header_links
    )
    assert all("apres" not in u for u in second_page.context["exports"].values())


@pytest.mark.parametrize(
    "key",
    [
        "n'importe quoi",
        "WyJNYXJ0aW4iXQ:1abc:forged",
        "",
        "x" * 5000,
    ],
)
def test_a_key_altered_by_hand_gives_the_first_page(world, people, key):
    client = client_of(world.owner)
    url = reverse("people:person_list")
    first = [p.pk for p in client.get(url).context["page"].object_list]
    for name in ("apres", "avant"):
        response = client.get(url, {name: key})
        assert response.status_code == 200
        assert [p.pk for p in response.context["page"].object_list] == first


def test_a_key_from_another_sort_gives_the_first_page(world, people):
    client = client_of(world.owner)
    url = reverse("people:person_list")
    by_age = client.get(url, {"tri": "age"})
    key = re.search(r"apres=([^&]*)", link(by_age, "next")).group(1)
    response = client.get(f"{url}?tri=nom&apres={key}")
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [
        p.pk for p in client.get(url, {"tri": "nom"}).context["page"].object_list
    ]


def test_the_count_stops_at_the_cap(world, people, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 5)
    response = client_of(world.owner).get(reverse("people:person_list"))
    page = response.context["page"]
    assert (page.count, page.capped) == (5, True)
    assert "5 personnes ou plus" in response.text


@pytest.fixture
def contacts(world):
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    made = [
        ContactFactory(organization=world.org, occurred_at=start + datetime.timedelta(hours=i % 97))
        for i in range(260)
    ]
    ContactFactory(organization=world.other_org, occurred_at=start)
    return made


def test_contacts_latest_first_every_one_once(world, contacts):
    forward, backward, pages = walk(client_of(world.owner), reverse("support:contact_list"))
    by_date = sorted(contacts, key=lambda c: c.pk, reverse=True)
    by_date.sort(key=lambda c: c.occurred_at, reverse=True)  # ties: the latest recorded first
    assert forward == [c.pk for c in by_date]
    assert backward == forward
    assert pages == 6


def test_a_deep_page_costs_the_queries_of_the_first_and_skips_nothing_by_offset(world, contacts):
    client = client_of(world.owner)
    url = reverse("support:contact_list")
    response = client.get(url)
    for _ in range(3):  # the fourth page
        response = client.get(url + link(response, "next"))
    deep = url + link(response, "next")
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as fifth:
        assert client.get(deep).status_code == 200
    assert len(fifth) == len(first)
    assert not any("OFFSET" in q["sql"].upper() for q in fifth.captured_queries)


@pytest.mark.parametrize("who", ["colleague", "outsider", "anonymous"])
def test_keys_open_nothing_beyond_the_readers_scope(world, contacts, who):
    """A key carries sort values, never a permission: the outsider following the owner's link
    sees their own (empty) list, the anonymous visitor the login page."""
    owner_page = client_of(world.owner).get(reverse("support:contact_list"))
    following = reverse("support:contact_list") + link(owner_page, "next")
    if who == "anonymous":
        response = Client().get(following)
        assert response.status_code == 302
        return
    response = client_of(getattr(world, who)).get(following)
    assert response.status_code == 200
    shown = {c.pk for c in response.context["page"].object_list}
    if who == "colleague":
        assert shown and shown <= {c.pk for c in contacts}
    else:  # their own organization's contact only, older than the key
        assert [c.organization_id for c in response.context["page"].object_list] == [
            world.other_org.pk
        ]
