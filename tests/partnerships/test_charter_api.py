"""The charter through the API: prepared, followed, withdrawn, links sent again, the PDF read;
the signature itself only through each party's link. Bad input named, nothing written."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.utils import timezone

from ancrage.partnerships.models import Charter, Signatory
from tests.api.clients import token_client
from tests.partnerships.factories import prepare, ready

pytestmark = pytest.mark.django_db


def _body(r, **changes):
    names = {role: {"name": n, "email": e} for role, (n, e) in r.parties.items()}
    return {
        "apprenticeship": r.apprenticeship.pk,
        "template": r.template.pk,
        "consent_on": "2026-09-02",
        **names,
    } | changes


def test_an_integrator_prepares_a_charter_and_follows_it(world, django_capture_on_commit_callbacks):
    r = ready(world)
    api = token_client(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post_json("/api/v1/charters/", _body(r))
    assert response.status_code == 201, response.content
    charter = response.json()
    assert charter["status"] == "à signer"
    assert {s["role"] for s in charter["signatories"]} == {"apprentice", "school", "employer"}
    assert len(mail.outbox) == 3
    pdf = api.get(f"/api/v1/charters/{charter['id']}/document/")
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(pdf)).hexdigest() == charter["document_sha256"]

    school = next(s for s in charter["signatories"] if s["role"] == "school")
    with django_capture_on_commit_callbacks(execute=True):
        resent = api.post_json(
            f"/api/v1/charters/{charter['id']}/resend/", {"signatory": school["id"]}
        )
    assert resent.status_code == 200 and len(mail.outbox) == 4
    revoked = api.post_json(f"/api/v1/charters/{charter['id']}/revoke/")
    assert revoked.json()["status"] == "révoquée"
    again = api.post_json(f"/api/v1/charters/{charter['id']}/revoke/")
    assert again.status_code == 400 and "déjà retirée" in again.content.decode()


def test_a_minor_without_guardian_is_refused_by_name_and_nothing_is_written(world):
    today = timezone.localdate()
    r = ready(world, birth_date=today.replace(year=today.year - 16))
    response = token_client(world.owner).post_json("/api/v1/charters/", _body(r))
    assert response.status_code == 400
    assert "représentant·e légal·e" in response.json()["guardian_name"][0]
    assert Charter.objects.count() == 0 and Signatory.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"employer": None}, "employer"),
        ({"school": {"name": "Paul", "email": "pas-une-adresse"}}, "school"),
        ({"consent_on": "3026-01-01"}, "consent_on"),
        ({"template": 2**62}, "template"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(world, changes, field):
    r = ready(world)
    response = token_client(world.owner).post_json("/api/v1/charters/", _body(r, **changes))
    assert response.status_code == 400
    assert field in response.json()
    assert Charter.objects.count() == 0


def test_outsiders_and_colleagues_cannot_prepare_and_see_nothing(world):
    r = ready(world)
    charter = prepare(world, r)
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/charters/{charter.pk}/").status_code == 404
    assert outsider.get("/api/v1/charters/").json()["results"] == []
    response = outsider.post_json("/api/v1/charters/", _body(r))
    assert response.status_code == 400 and "apprenticeship" in response.json()
    colleague = token_client(world.colleague)
    assert colleague.get(f"/api/v1/charters/{charter.pk}/").status_code == 200
    assert colleague.post_json(f"/api/v1/charters/{charter.pk}/revoke/").status_code == 403


def test_the_programs_operator_writes_a_new_version(world):
    r = ready(world)
    api = token_client(world.owner)
    response = api.post_json(
        "/api/v1/charter-templates/",
        {"program": r.template.program_id, "title": "Charte", "body": "## Objet\n{apprenti}."},
    )
    assert response.status_code == 201 and response.json()["version"] == 2
    bad = api.post_json(
        "/api/v1/charter-templates/",
        {"program": r.template.program_id, "title": "Charte", "body": "{inconnu}"},
    )
    assert bad.status_code == 400 and "{inconnu}" in bad.json()["body"][0]
    assert (
        token_client(world.outsider)
        .post_json(
            "/api/v1/charter-templates/",
            {"program": r.template.program_id, "title": "Charte", "body": "Texte."},
        )
        .status_code
        == 403
    )
    assert [t["version"] for t in api.get("/api/v1/charter-templates/").json()["results"]] == [2, 1]


def test_the_list_keeps_a_constant_query_count(world, count_queries):
    r = ready(world)
    prepare(world, r)
    api = token_client(world.owner)
    api.get("/api/v1/charters/")
    before = count_queries(lambda: api.get("/api/v1/charters/"))
    for _ in range(3):
        other = ready_more(world, r)
        prepare(world, other)
    assert count_queries(lambda: api.get("/api/v1/charters/")) == before


def ready_more(world, r):
    """Another adult apprentice's contract under the same template (a random birth date
    could make them a minor, whose charter needs a guardian)."""
    import datetime

    from ancrage.partnerships.services import create_apprenticeship
    from tests.people.factories import PersonFactory

    apprenticeship = create_apprenticeship(
        person=PersonFactory(organization=world.org, birth_date=datetime.date(2001, 3, 7)),
        school=r.apprenticeship.school,
        employer=r.apprenticeship.employer,
        diploma="CAP Cuisine",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2028, 8, 31),
        actor=world.owner,
    )
    return type(r)(r.template, apprenticeship, r.parties)
