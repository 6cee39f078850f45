"""The citizen pathway through the API: what its pages do — templates with the CLEA modules,
modules changed, pathways opened with their progress, schools opened with consent — and the
school noting attendance on its side; as owner, colleague, outsider, school and anonymous."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from ancrage.accounts.enums import Role
from ancrage.activities.models import Attendance, Registration
from ancrage.activities.services import register, schedule_session
from ancrage.housing.models.calendars import monday_of
from ancrage.housing.services import book_weeks
from ancrage.partnerships.models import Pathway, PathwayModule, PathwayOpening, PathwayTemplate
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.api.clients import token_client
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
API = "/api/v1/"


@pytest.fixture
def setup(world):
    program = ParticipantFactory(organization=world.org, program__name="CLEA").program
    school = OrganizationFactory(name="CFA du Forez", kind="school")
    teacher = MembershipFactory(organization=school, role=Role.PARTNER).user
    residence = ResidenceFactory(organization=world.org)
    person = PersonFactory(organization=world.org, first_name="Élodie", last_name="Roux")
    week = monday_of(timezone.localdate()) + datetime.timedelta(weeks=2)
    book_weeks(
        person=person, bed=BedFactory(unit__residence=residence), weeks=[week], actor=world.owner
    )
    return {
        "program": program,
        "school": school,
        "teacher": teacher,
        "person": person,
        "week": week,
        "residence": residence,
    }


def _template(world, setup) -> dict:
    owner = token_client(world.owner)
    response = owner.post_json(
        f"{API}pathway-templates/",
        {
            "program": setup["program"].pk,
            "title": "Parcours citoyen CLEA",
            "residence": setup["residence"].pk,
            "clea_partner": setup["school"].pk,
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_coordination_builds_a_template_and_its_modules(world, setup):
    body = _template(world, setup)
    assert [m["title"] for m in body["modules"]][:2] == [
        "Premiers secours",
        "Posture professionnelle",
    ]
    owner = token_client(world.owner)
    module = body["modules"][0]["id"]
    changed = owner.patch_json(
        f"{API}pathway-modules/{module}/", {"expected_hours": 4, "is_required": False}
    )
    assert changed.status_code == 200 and changed.json()["expected_hours"] == 4
    added = owner.post_json(
        f"{API}pathway-modules/",
        {
            "template": body["id"],
            "theme": "other",
            "title": "Budget",
            "delivered_by": setup["school"].pk,
            "expected_hours": 3,
        },
    )
    assert added.status_code == 201
    assert owner.delete(f"{API}pathway-modules/{added.json()['id']}/").status_code == 204
    assert PathwayModule.objects.count() == 5


def test_a_change_keeps_what_it_does_not_name(world, setup):
    body = _template(world, setup)
    owner = token_client(world.owner)
    url = f"{API}pathway-templates/{body['id']}/"
    assert owner.patch_json(url, {"title": "Parcours 2027"}).status_code == 200
    template = PathwayTemplate.objects.get()
    assert (template.title, template.residence_id) == ("Parcours 2027", setup["residence"].pk)
    assert owner.patch_json(url, {"residence": None}).status_code == 200
    template.refresh_from_db()
    assert (template.title, template.residence_id) == ("Parcours 2027", None)
    module = PathwayModule.objects.get(pk=body["modules"][0]["id"])
    response = owner.patch_json(f"{API}pathway-modules/{module.pk}/", {"title": "  Secourisme "})
    assert response.status_code == 200
    changed = PathwayModule.objects.get(pk=module.pk)
    assert (changed.title, changed.expected_hours, changed.is_required) == (
        "Secourisme",
        module.expected_hours,
        module.is_required,
    )


def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, setup):
    owner = token_client(world.owner)
    for body, field in (
        ({"program": setup["program"].pk, "title": ""}, "title"),
        ({"program": 10**30, "title": "X"}, "program"),
        ({"program": setup["program"].pk, "title": "X" * 151}, "title"),
        ({"program": setup["program"].pk, "title": "X", "presence": "moon"}, "presence"),
        ({"program": setup["program"].pk, "title": "X", "clea_partner": 999999}, "clea_partner"),
    ):
        response = owner.post_json(f"{API}pathway-templates/", body)
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert not PathwayTemplate.objects.exists()
    template = _template(world, setup)
    response = owner.post_json(
        f"{API}pathway-modules/",
        {
            "template": template["id"],
            "theme": "other",
            "title": "Budget",
            "delivered_by": setup["school"].pk,
            "expected_hours": 500,
        },
    )
    assert response.status_code == 400 and "expected_hours" in response.json()
    assert PathwayModule.objects.count() == 5


def test_personas_on_pathways(world, setup):
    template = _template(world, setup)
    owner = token_client(world.owner)
    opened = owner.post_json(
        f"{API}pathways/", {"template": template["id"], "person": setup["person"].pk}
    )
    assert opened.status_code == 201
    pathway = opened.json()
    assert pathway["completion"] == 0 and len(pathway["modules"]) == 5
    colleague = token_client(world.colleague)
    assert colleague.get(f"{API}pathways/{pathway['id']}/").status_code == 200
    assert colleague.post_json(f"{API}pathways/{pathway['id']}/close/").status_code == 403
    outsider = token_client(world.outsider)
    assert outsider.get(f"{API}pathways/{pathway['id']}/").status_code == 404
    assert outsider.get(f"{API}pathways/").json()["results"] == []
    assert outsider.post_json(
        f"{API}pathways/", {"template": template["id"], "person": setup["person"].pk}
    ).status_code in (400, 403)
    from django.test import Client

    assert Client().get(f"{API}pathways/").status_code == 401
    certificate = owner.get(f"{API}pathways/{pathway['id']}/certificate/")
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")
    assert Pathway.objects.count() == 1


def test_the_school_notes_attendance_through_the_api(world, setup):
    template = _template(world, setup)
    owner = token_client(world.owner)
    pathway = owner.post_json(
        f"{API}pathways/", {"template": template["id"], "person": setup["person"].pk}
    ).json()
    module = PathwayModule.objects.get(pk=template["modules"][0]["id"])
    start = datetime.datetime.combine(
        setup["week"] + datetime.timedelta(days=1), datetime.time(14), tzinfo=PARIS
    )
    session = schedule_session(
        activity=module.activity, starts_at=start, place="CFA", actor=world.owner
    )
    away = schedule_session(
        activity=module.activity,
        starts_at=start + datetime.timedelta(weeks=1),
        place="CFA",
        actor=world.owner,
    )
    refused = owner.post_json(
        f"{API}sessions/{away.pk}/registrations/", {"person": setup["person"].pk}
    )
    assert refused.status_code == 400 and "ne loge pas" in refused.json()["person"][0]
    register(session=session, person=setup["person"], actor=world.owner)
    teacher = token_client(setup["teacher"])
    assert teacher.get(f"{API}pathway-openings/").json()["results"] == []
    opening = owner.post_json(
        f"{API}pathway-openings/",
        {
            "pathway": pathway["id"],
            "partner": setup["school"].pk,
            "consent_on": timezone.localdate().isoformat(),
        },
    )
    assert opening.status_code == 201
    opening_id = opening.json()["id"]
    listed = teacher.get(f"{API}pathway-openings/").json()["results"]
    assert [row["name"] for row in listed] == ["Élodie R."]
    assert "Roux" not in str(listed)
    sessions = teacher.get(f"{API}pathway-openings/{opening_id}/sessions/")
    assert sessions.status_code == 200 and sessions.json()[0]["present"] is False
    with time_machine.travel(start + datetime.timedelta(hours=3)):
        bad = teacher.post_json(
            f"{API}pathway-openings/{opening_id}/attendance/", {"session": away.pk}
        )
        assert bad.status_code == 400 and "session" in bad.json()
        done = teacher.post_json(
            f"{API}pathway-openings/{opening_id}/attendance/", {"session": session.pk}
        )
        assert done.status_code == 200 and done.json()[0]["present"] is True
    assert Attendance.objects.filter(session=session, recorded_by=setup["teacher"]).exists()
    assert Registration.objects.count() == 1
    outsider = token_client(world.outsider)
    assert outsider.get(f"{API}pathway-openings/{opening_id}/sessions/").status_code == 404
    closed = owner.post_json(f"{API}pathway-openings/{opening_id}/close/")
    assert closed.status_code == 200
    assert teacher.get(f"{API}pathway-openings/{opening_id}/sessions/").status_code == 404
    assert PathwayOpening.objects.get().closed_at is not None
