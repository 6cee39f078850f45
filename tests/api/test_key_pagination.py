"""The API's lists page by key unless the client asks for an offset: following ``next`` gives
every row once, in the list's order, at the same cost on every page; ``previous`` walks back the
same pages; an ``offset`` keeps the links by offset; an altered key gives the first page; a key
opens nothing beyond the reader's scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.clients import token_client
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    """Eleven people of the organization (two share a name: the id decides), one elsewhere."""
    names = ["Martin", "Martin", "Dubois", "Bernard", "Zola", "Petit", "Roux", "Aubert", "Leroy"]
    names += ["Moreau", "Simon"]
    made = [
        PersonFactory(organization=world.org, last_name=name, first_name="Élodie") for name in names
    ]
    PersonFactory(organization=world.other_org, last_name="Ailleurs")
    return sorted(made, key=lambda p: (p.last_name, p.first_name, p.pk))


def follow(client, url: str, link: str) -> tuple[list[int], dict]:
    ids: list[int] = []
    body: dict = {}
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        url = body[link]
    return ids, body


def test_following_next_then_previous_reads_every_person_once_in_order(world, people):
    client = token_client(world.owner)
    first = client.get(reverse("api:person-list"), {"limit": 4}).json()
    assert first["count"] == 11
    assert first["previous"] is None
    assert "apres=" in first["next"] and "offset" not in first["next"]
    forward, last = follow(client, first["next"], "next")
    forward = [row["id"] for row in first["results"]] + forward
    assert forward == [p.pk for p in people]
    assert last["count"] == 11
    pages_back: list[int] = []
    url = last["previous"]
    while url:
        body = client.get(url).json()
        pages_back = [row["id"] for row in body["results"]] + pages_back
        url = body["previous"]
    assert pages_back == [p.pk for p in people][:8]


def test_an_offset_keeps_links_by_offset(world, people):
    client = token_client(world.owner)
    body = client.get(reverse("api:person-list"), {"limit": 4, "offset": 4}).json()
    assert [row["id"] for row in body["results"]] == [p.pk for p in people][4:8]
    assert "offset=8" in body["next"] and "apres" not in body["next"]
    assert "avant" not in body["previous"]


@pytest.mark.parametrize("key", ["n'importe quoi", "abc:def:ghi", "x" * 3000, ""])
def test_an_altered_key_gives_the_first_page(world, people, key):
    client = token_client(world.owner)
    for name in ("apres", "avant"):
        response = client.get(reverse("api:person-list"), {"limit": 4, name: key})
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [p.pk for p in people][:4]


def test_a_deep_page_costs_the_queries_of_the_first(world, people):
    client = token_client(world.owner)
    url = reverse("api:person-list") + "?limit=2"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        body = client.get(url).json()
    for _ in range(3):
        body = client.get(body["next"]).json()
    with CaptureQueriesContext(connection) as deep:
        assert client.get(body["next"]).status_code == 200
    assert len(deep) == len(first)
    assert not any("OFFSET" in q["sql"].upper() for q in deep.captured_queries)


@pytest.mark.parametrize("who", ["colleague", "outsider", "anonymous"])
def test_a_key_opens_nothing_beyond_the_readers_scope(world, people, who):
    following = token_client(world.owner).get(reverse("api:person-list"), {"limit": 4}).json()
    if who == "anonymous":
        assert Client().get(following["next"]).status_code in (401, 403)
        return
    body = token_client(getattr(world, who)).get(following["next"]).json()
    organizations = {row["organization"] for row in body["results"]}
    if who == "colleague":
        assert [row["id"] for row in body["results"]] == [p.pk for p in people][4:8]
    else:
        assert organizations <= {world.other_org.pk}
