"""Intergenerational pairs: a senior and a young resident of the same residence, their
commitments, one pair at a time each, ended on a date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.housing import services
from ancrage.housing.models import Pairing
from ancrage.people.queries import person_label
from tests.api.clients import token_client
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lien(world):
    return ResidenceFactory(organization=world.org, name="Maison du Lien", kind="intergenerational")


def resident(world, residence, born, **kwargs):
    person = PersonFactory(organization=world.org, birth_date=born, **kwargs)
    services.book_open_ended(
        person=person,
        bed=BedFactory(unit__residence=residence, unit__organization=world.org),
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
        actor=world.owner,
    )
    return person


def pair(world, lien, senior, junior, **kwargs):
    return services.create_pairing(
        residence=lien,
        actor=world.owner,
        senior=senior,
        junior=junior,
        started_on=kwargs.pop("started_on", timezone.localdate()),
        commitments=kwargs.pop("commitments", "Un dîner partagé le jeudi."),
    )


def test_a_senior_and_a_young_resident_pair_up_once_at_a_time(world, lien):
    jeanne = resident(world, lien, datetime.date(1944, 3, 1))
    hugo = resident(world, lien, datetime.date(2005, 6, 1))
    sofia = resident(world, lien, datetime.date(2004, 1, 1))
    pairing = pair(world, lien, jeanne, hugo)
    with pytest.raises(ValidationError, match="déjà un binôme en cours"):
        pair(world, lien, jeanne, sofia)
    services.end_pairing(pairing=pairing, actor=world.owner, on=timezone.localdate())
    pair(world, lien, jeanne, sofia)
    assert Pairing.objects.current().get().junior == sofia


def test_wrong_pairs_are_refused_naming_the_field(world, lien):
    jeanne = resident(world, lien, datetime.date(1944, 3, 1))
    hugo = resident(world, lien, datetime.date(2005, 6, 1))
    elsewhere = PersonFactory(organization=world.org, birth_date=datetime.date(2003, 1, 1))
    cases = [
        ((hugo, jeanne), "senior", "au moins 60 ans"),
        ((jeanne, elsewhere), "junior", "n'habite pas la résidence"),
        ((jeanne, jeanne), "junior", "deux personnes"),
    ]
    for (senior, junior), field, words in cases:
        with pytest.raises(ValidationError) as exc:
            pair(world, lien, senior, junior)
        assert words in exc.value.message_dict[field][0]
    with pytest.raises(ValidationError) as exc:
        pair(world, lien, jeanne, hugo, commitments="")
    assert "commitments" in exc.value.message_dict
    assert not Pairing.objects.exists()


def test_the_residence_page_forms_and_ends_a_pair(client, world, lien):
    jeanne = resident(world, lien, datetime.date(1944, 3, 1), first_name="Jeanne")
    hugo = resident(world, lien, datetime.date(2005, 6, 1), first_name="Hugo")
    client.force_login(world.owner)
    formed = client.post(
        reverse("housing:pairing_add", args=[lien.pk]),
        {
            "pair-senior": person_label(jeanne),
            "pair-junior": person_label(hugo),
            "pair-started_on": timezone.localdate().isoformat(),
            "pair-commitments": "Courses le samedi, aide au numérique.",
        },
    )
    assert formed.status_code == 302
    page = client.get(reverse("housing:residence_detail", args=[lien.pk]))
    assert "Binômes intergénérationnels" in page.text and "aide au numérique" in page.text
    wrong = client.post(
        reverse("housing:pairing_add", args=[lien.pk]),
        {"pair-senior": "Inconnu", "pair-junior": "", "pair-started_on": "2026-02-30"},
    )
    assert wrong.status_code == 400 and "Personne introuvable" in wrong.text
    pairing = Pairing.objects.get()
    client.post(
        reverse("housing:pairing_end", args=[lien.pk, pairing.pk]),
        {"on": timezone.localdate().isoformat()},
    )
    pairing.refresh_from_db()
    assert pairing.ended_on == timezone.localdate()
    client.force_login(world.colleague)
    assert client.post(reverse("housing:pairing_add", args=[lien.pk]), {}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(reverse("housing:pairing_add", args=[lien.pk]), {}).status_code == 404


def test_the_api_forms_and_ends_pairs(world, lien):
    jeanne = resident(world, lien, datetime.date(1944, 3, 1))
    hugo = resident(world, lien, datetime.date(2005, 6, 1))
    api = token_client(world.owner)
    created = api.post_json(
        "/api/v1/pairings/",
        {
            "residence": lien.pk,
            "senior": jeanne.pk,
            "junior": hugo.pk,
            "started_on": timezone.localdate().isoformat(),
            "commitments": "Jardinage ensemble.",
        },
    )
    assert created.status_code == 201, created.content
    again = api.post_json(
        "/api/v1/pairings/",
        {
            "residence": lien.pk,
            "senior": jeanne.pk,
            "junior": hugo.pk,
            "started_on": timezone.localdate().isoformat(),
            "commitments": "x",
        },
    )
    assert again.status_code == 400
    ended = api.post_json(
        f"/api/v1/pairings/{created.json()['id']}/end/", {"on": timezone.localdate().isoformat()}
    )
    assert ended.status_code == 200 and ended.json()["ended_on"] == timezone.localdate().isoformat()
    assert (
        token_client(world.outsider).get(f"/api/v1/pairings/{created.json()['id']}/").status_code
        == 404
    )
    assert Client().get("/api/v1/pairings/").status_code == 401
    assert Pairing.objects.count() == 1
