"""A program's steering committee: members with or without an account, a meeting's minutes and
attendance, a decision with an owner and a due date that the owner sees on their home page and
marks done; the annual evaluation meeting opens the year's report."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ancrage.partnerships.models import Committee, CommitteeMember, Decision, Meeting
from ancrage.partnerships.services import committees as services
from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.programs.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def steering(world):
    participant = ParticipantFactory(organization=world.org, program__name="CLEA Loire")
    school = ParticipantFactory(program=participant.program, role="partner").organization
    teacher = MembershipFactory(
        organization=school, role="partner", user__first_name="Inès", user__last_name="Roux"
    ).user
    committee = services.create_committee(
        organization=world.org,
        program=participant.program,
        name="Comité de pilotage CLEA",
        kind="steering",
        actor=world.owner,
    )
    return committee, teacher


def test_a_decision_reaches_its_owners_home_page_and_is_followed_to_done(world, steering):
    committee, teacher = steering
    owner = client_of(world.owner)
    page = owner.post(
        reverse("committees:member_add", args=[committee.pk]),
        {"user": teacher.pk, "joined_on": "2026-01-05"},
    )
    assert page.status_code == 302
    owner.post(
        reverse("committees:member_add", args=[committee.pk]),
        {
            "name": "Sophie Morel",
            "represents": "Département de la Loire",
            "joined_on": "2026-01-05",
        },
    )
    seat = CommitteeMember.objects.get(committee=committee, user=teacher)
    outside = CommitteeMember.objects.get(committee=committee, name="Sophie Morel")
    response = owner.post(
        reverse("committees:meeting_create", args=[committee.pk]),
        {"kind": "regular", "held_on": "2026-11-20", "agenda": "Bilan du premier trimestre"},
    )
    meeting = Meeting.objects.get(committee=committee)
    assert response["Location"] == reverse("committees:meeting_detail", args=[meeting.pk])
    owner.post(
        reverse("committees:meeting_update", args=[meeting.pk]),
        {
            "agenda": "Bilan",
            "minutes": "Le comité valide le parcours.",
            "present": [seat.pk, outside.pk],
        },
    )
    assert set(meeting.present.all()) == {seat, outside}
    owner.post(
        reverse("committees:decision_add", args=[meeting.pk]),
        {"text": "Transmettre le calendrier 2027 du CFA", "owner": seat.pk, "due_on": "2026-12-15"},
    )
    decision = Decision.objects.get()
    assert (decision.owner, decision.due_on) == (seat, D(2026, 12, 15))

    # The school's teacher, from another organization, sees it on their home page.
    teacher_client = client_of(teacher)
    home = html.unescape(teacher_client.get(reverse("core:home")).content.decode())
    assert "Mes décisions à suivre" in home
    assert "Transmettre le calendrier 2027 du CFA" in home
    assert (
        "Mes décisions à suivre"
        not in client_of(world.owner).get(reverse("core:home")).content.decode()
    )
    page = html.unescape(
        teacher_client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    )
    assert "Le comité valide le parcours." in page and "Nouvelle décision" not in page
    # The teacher cannot run the committee, but marks their own decision done.
    assert teacher_client.post(
        reverse("committees:decision_add", args=[meeting.pk]),
        {"text": "x", "owner": seat.pk, "due_on": "2026-12-15"},
    ).status_code in (403, 404)
    teacher_client.post(
        reverse("committees:decision_done", args=[decision.pk]), {"done_on": "2026-11-30"}
    )
    decision.refresh_from_db()
    assert decision.done_on == D(2026, 11, 30)
    home = teacher_client.get(reverse("core:home")).content.decode()
    assert "Mes décisions à suivre" not in home


def test_the_annual_evaluation_meeting_opens_the_years_report(world, steering):
    committee, _teacher = steering
    meeting = services.create_meeting(
        committee=committee,
        kind="evaluation",
        held_on=D(2026, 3, 12),
        evaluated_year=2025,
        actor=world.owner,
    )
    owner = client_of(world.owner)
    page = owner.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    report = reverse("indicators:annual_report", args=[world.org.pk, 2025])
    assert f'href="{report}"' in page
    assert owner.get(report).status_code == 200
    assert f"?dispositif={committee.program_id}&amp;annee=2025" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "evaluation", "evaluated_year": None}, "evaluated_year", "année évaluée"),
        ({"kind": "evaluation", "evaluated_year": 2030}, "evaluated_year", "passée ou en cours"),
        ({"held_on": D(1999, 12, 31)}, "held_on", "entre 2000 et 2099"),
        ({"agenda": "x" * 5001}, "agenda", "5000 caractères"),
    ],
)
def test_a_bad_meeting_is_refused_by_name_and_nothing_is_written(
    world, steering, changes, field, message
):
    committee, _teacher = steering
    values = {"kind": "regular", "held_on": D(2026, 11, 20)} | changes
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(committee=committee, actor=world.owner, **values)
    assert message in exc.value.message_dict[field][0]
    assert Meeting.objects.count() == 0


def test_a_decision_needs_an_owner_of_the_committee_and_a_due_date_after_the_meeting(
    world, steering
):
    committee, teacher = steering
    meeting = services.create_meeting(
        committee=committee, held_on=D(2026, 11, 20), actor=world.owner
    )
    seat = services.add_member(committee=committee, user=teacher, actor=world.owner)
    other = services.create_committee(
        organization=world.org,
        program=committee.program,
        name="Autre",
        kind="technical",
        actor=world.owner,
    )
    stranger = services.add_member(committee=other, name="Paul", actor=world.owner)
    with pytest.raises(ValidationError) as exc:
        services.add_decision(
            meeting=meeting, text="Faire", owner=stranger, due_on=D(2026, 12, 1), actor=world.owner
        )
    assert "membre du comité" in exc.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as exc:
        services.add_decision(
            meeting=meeting, text="Faire", owner=seat, due_on=D(2026, 11, 1), actor=world.owner
        )
    assert "suit la réunion" in exc.value.message_dict["due_on"][0]
    assert Decision.objects.count() == 0
    with pytest.raises(ValidationError):
        services.add_member(committee=committee, name="", actor=world.owner)
    with pytest.raises(ValidationError) as exc:
        services.add_member(committee=committee, user=teacher, actor=world.owner)
    assert "siège déjà" in exc.value.message_dict["user"][0]


def test_members_history_is_kept_when_they_leave(world, steering):
    committee, teacher = steering
    seat = services.add_member(
        committee=committee, user=teacher, joined_on=D(2026, 1, 5), actor=world.owner
    )
    with pytest.raises(ValidationError):
        services.end_membership(member=seat, left_on=D(2025, 12, 1), actor=world.owner)
    services.end_membership(member=seat, left_on=D(2026, 6, 30), actor=world.owner)
    # Left: the committee is no longer theirs to read.
    assert (
        client_of(teacher)
        .get(reverse("committees:committee_detail", args=[committee.pk]))
        .status_code
        == 404
    )
    page = (
        client_of(world.owner)
        .get(reverse("committees:committee_detail", args=[committee.pk]))
        .content.decode()
    )
    assert "jusqu&#x27;au 30/06/2026" in page or "jusqu'au 30/06/2026" in page


def test_only_the_organizers_run_a_committee(world, steering):
    committee, teacher = steering
    with pytest.raises(PermissionDenied):
        services.create_meeting(committee=committee, held_on=D(2026, 11, 20), actor=world.colleague)
    with pytest.raises(PermissionDenied):
        services.create_committee(
            organization=world.org,
            program=committee.program,
            name="X",
            kind="steering",
            actor=world.colleague,
        )
    assert (
        client_of(world.outsider)
        .get(reverse("committees:committee_detail", args=[committee.pk]))
        .status_code
        == 404
    )
    assert (
        client_of(world.colleague)
        .get(reverse("committees:committee_detail", args=[committee.pk]))
        .status_code
        == 200
    )
    assert Committee.objects.count() == 1


def test_the_api_records_a_meeting_a_decision_and_its_completion(world, steering):
    committee, teacher = steering
    seat = services.add_member(committee=committee, user=teacher, actor=world.owner)
    api = token_client(world.owner)
    meeting = api.post_json(
        "/api/v1/meetings/",
        {
            "committee": committee.pk,
            "kind": "evaluation",
            "held_on": "2026-03-12",
            "evaluated_year": 2025,
        },
    )
    assert meeting.status_code == 201, meeting.content
    decision = api.post_json(
        "/api/v1/decisions/",
        {
            "meeting": meeting.json()["id"],
            "text": "Relancer le CFA",
            "owner": seat.pk,
            "due_on": "2026-04-01",
        },
    )
    assert decision.status_code == 201, decision.content
    bad = api.post_json(
        "/api/v1/decisions/",
        {"meeting": meeting.json()["id"], "text": "", "owner": seat.pk, "due_on": "2026-04-01"},
    )
    assert bad.status_code == 400 and "text" in bad.json()
    done = token_client(teacher).post_json(
        f"/api/v1/decisions/{decision.json()['id']}/done/", {"done_on": "2026-03-20"}
    )
    assert done.status_code == 200 and done.json()["done_on"] == "2026-03-20"
    assert (
        token_client(world.outsider).get(f"/api/v1/meetings/{meeting.json()['id']}/").status_code
        == 404
    )
    listed = api.get(f"/api/v1/committees/{committee.pk}/").json()
    assert listed["name"] == "Comité de pilotage CLEA"
    assert [m["user"] for m in listed["members"]] == [teacher.pk]
