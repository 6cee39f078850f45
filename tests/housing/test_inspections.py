import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.housing import services
from ancrage.housing.models import Inspection
from ancrage.housing.queries import differences
from tests.housing.factories import UnitFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def lease(world):
    return services.prepare_lease(
        person=PersonFactory(organization=world.org),
        unit=UnitFactory(residence__organization=world.org),
        kind="furnished",
        starts_on=D(2026, 1, 5),
        actor=world.owner,
    )


def inspect(world, lease, kind, rows, on):
    return services.record_inspection(
        unit=lease.unit,
        person=lease.person,
        lease=lease,
        kind=kind,
        done_on=on,
        items=[{"room": r, "element": e, "condition": c, "comment": m} for r, e, c, m in rows],
        actor=world.owner,
    )


def test_exit_lists_what_is_worse_than_at_entry(world, lease):
    inspect(
        world,
        lease,
        "entry",
        [
            ("Pièce principale", "Sol", "good", ""),
            ("Pièce principale", "Murs et plafond", "new", ""),
            ("Salle d'eau et WC", "Équipements", "fair", ""),
        ],
        D(2026, 1, 5),
    )
    exit_ = inspect(
        world,
        lease,
        "exit",
        [
            ("Pièce principale", "Sol", "poor", "Brûlure près de la fenêtre"),
            ("Pièce principale", "Murs et plafond", "new", ""),
            ("Salle d'eau et WC", "Équipements", "good", "Robinet changé"),
        ],
        D(2026, 9, 30),
    )
    found = differences(exit_)
    assert [(d.room, d.element, d.at_entry, d.at_exit, d.comment) for d in found] == [
        ("Pièce principale", "Sol", "Bon état", "Mauvais état", "Brûlure près de la fenêtre")
    ]


def test_an_exit_needs_an_entry_and_comes_after_it(world, lease):
    with pytest.raises(ValidationError) as exc:
        inspect(world, lease, "exit", [("Entrée", "Sol", "good", "")], D(2026, 9, 30))
    assert "Aucun état des lieux d'entrée" in exc.value.message_dict["kind"][0]
    inspect(world, lease, "entry", [("Entrée", "Sol", "good", "")], D(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        inspect(world, lease, "exit", [("Entrée", "Sol", "good", "")], D(2026, 1, 1))
    assert "précéder l'entrée" in exc.value.message_dict["done_on"][0]


def test_rows_are_named_when_wrong_and_nothing_is_saved(world, lease):
    with pytest.raises(ValidationError) as exc:
        inspect(
            world,
            lease,
            "entry",
            [
                ("Entrée", "Sol", "good", ""),
                ("entrée", "sol", "fair", ""),
            ],
            D(2026, 1, 5),
        )
    assert "Ligne 2" in exc.value.message_dict["items"][0]
    assert not Inspection.objects.exists()


def test_pages_entry_then_exit_with_the_entry_rows_prefilled(client, world, lease):
    client.force_login(world.owner)
    url = reverse("housing:inspection_create", args=[lease.pk, "entry"])
    form = client.get(url).context["items"]
    assert len(form.forms) == 16 + 3  # 4 rooms × 4 elements, and three free rows
    data = {"done_on": "2026-01-05", "note": "", "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    data.update({"form-0-room": "Entrée", "form-0-element": "Sol", "form-0-condition": "good"})
    data.update({"form-1-room": "Entrée", "form-1-element": "Porte", "form-1-condition": ""})
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert refused.context["items"].errors[1]["condition"] == ["Choisissez l'état."]
    data["form-1-condition"] = "new"
    entry = client.post(url, data)
    assert entry.status_code == 302
    exit_url = reverse("housing:inspection_create", args=[lease.pk, "exit"])
    rows = client.get(exit_url).context["items"].initial
    assert rows == [{"room": "Entrée", "element": "Sol"}, {"room": "Entrée", "element": "Porte"}]
    data.update(
        {"done_on": "2026-09-30", "form-1-condition": "poor", "form-1-comment": "Serrure forcée"}
    )
    page = client.get(client.post(exit_url, data).url)
    assert "Serrure forcée" in page.text
    assert [d.element for d in page.context["differences"]] == ["Porte"]


def test_outsiders_cannot_read_or_record_an_inspection(client, world, lease):
    entry = inspect(world, lease, "entry", [("Entrée", "Sol", "good", "")], D(2026, 1, 5))
    client.force_login(world.outsider)
    assert client.get(reverse("housing:inspection_detail", args=[entry.pk])).status_code == 404
    assert (
        client.get(reverse("housing:inspection_create", args=[lease.pk, "exit"])).status_code == 404
    )


def test_a_huge_row_count_is_refused_in_french_and_writes_nothing(client, world, lease):
    client.force_login(world.owner)
    url = reverse("housing:inspection_create", args=[lease.pk, "entry"])
    data = {"done_on": "2026-01-05", "note": "", "form-TOTAL_FORMS": "1" * 40}
    data.update({"form-INITIAL_FORMS": "0", "form-0-room": "Entrée", "form-0-element": "Sol"})
    refused = client.post(url, {**data, "form-0-condition": "good"})
    assert refused.status_code == 400
    assert "200 éléments au plus." in refused.text
    assert len(refused.context["items"].forms) == 200
    assert not Inspection.objects.exists()


def test_the_service_refuses_more_than_two_hundred_rows(world, lease):
    rows = [(f"Pièce {n}", "Sol", "good", "") for n in range(201)]
    with pytest.raises(ValidationError) as refused:
        inspect(world, lease, "entry", rows, D(2026, 1, 5))
    assert refused.value.message_dict["items"] == ["200 éléments au plus."]
    assert not Inspection.objects.exists()
