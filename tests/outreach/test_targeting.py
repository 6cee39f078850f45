"""Rules score the targets, the score sorts them into segments, segments go to local actors by
territory — and a local actor sees only what it was given."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ancrage.outreach import queries, services
from ancrage.outreach.models import Prospect
from tests.outreach.conftest import csv_of, line

pytestmark = pytest.mark.django_db

SENIOR_ALONE_UPSTAIRS = [
    {"field": "age", "operator": "gte", "value": 75},
    {"field": "lives_alone", "operator": "true"},
    {"field": "floor", "operator": "gte", "value": 1},
    {"field": "no_lift", "operator": "true"},
]


@pytest.fixture
def loaded(outreach, time_machine):
    time_machine.move_to("2026-03-02 10:00 +01:00")
    outreach.load(
        csv_of(
            # 78 years old this year, alone, 3rd floor, no lift: the rule holds.
            line("A", naissance="1948", seul="oui", etage="3", ascenseur="non"),
            # 75 this year exactly (born in December): holds.
            line(
                "B", naissance="31/12/1951", seul="oui", etage="2", ascenseur="non", commune="62004"
            ),
            # 74 this year: too young.
            line("C", naissance="1952", seul="oui", etage="3", ascenseur="non"),
            # Ground floor.
            line("D", naissance="1940", seul="oui", etage="RDC", ascenseur="non"),
            # Lift unknown: an unknown value never meets a condition.
            line("E", naissance="1940", seul="oui", etage="4", ascenseur="", commune="62498"),
            # Job seeker with arrears.
            line(
                "F",
                naissance="1980",
                seul="non",
                demandeur_emploi="oui",
                impayes="650",
                commune="62498",
            ),
        )
    )
    return outreach


def scores():
    return dict(Prospect.objects.values_list("tenant_ref", "score"))


def test_a_rule_gives_its_points_to_the_targets_meeting_all_its_conditions(loaded):
    services.save_rule(
        outreach_list=loaded.outreach_list,
        name="75 ans et plus, seul·e, étage sans ascenseur",
        conditions=SENIOR_ALONE_UPSTAIRS,
        weight=50,
        actor=loaded.world.owner,
    )
    services.save_rule(
        outreach_list=loaded.outreach_list,
        name="Emploi et impayés",
        conditions=[
            {"field": "job_seeker", "operator": "true"},
            {"field": "arrears", "operator": "gte", "value": "500"},
        ],
        weight=20,
        actor=loaded.world.owner,
    )
    assert scores() == {"A": 50, "B": 50, "C": 0, "D": 0, "E": 0, "F": 20}


def test_segments_take_the_highest_threshold_reached_and_follow_rule_changes(loaded):
    owner = loaded.world.owner
    rule = services.save_rule(
        outreach_list=loaded.outreach_list,
        name="R",
        conditions=SENIOR_ALONE_UPSTAIRS,
        weight=50,
        actor=owner,
    )
    high = services.save_segment(
        outreach_list=loaded.outreach_list, name="Priorité 1", min_score=40, actor=owner
    )
    low = services.save_segment(
        outreach_list=loaded.outreach_list, name="Priorité 2", min_score=10, actor=owner
    )
    segments = dict(Prospect.objects.values_list("tenant_ref", "segment"))
    assert segments == {"A": high.pk, "B": high.pk, "C": None, "D": None, "E": None, "F": None}
    services.save_rule(
        outreach_list=loaded.outreach_list,
        name="R",
        conditions=SENIOR_ALONE_UPSTAIRS,
        weight=15,
        actor=owner,
        rule=rule,
    )
    assert Prospect.objects.get(tenant_ref="A").segment_id == low.pk
    services.delete_rule(rule=rule, actor=owner)
    assert set(Prospect.objects.values_list("segment", flat=True)) == {None}


def test_a_rule_with_a_bad_condition_is_refused_and_nothing_changes(loaded):
    with pytest.raises(ValidationError) as raised:
        services.save_rule(
            outreach_list=loaded.outreach_list,
            name="Âge",
            conditions=[{"field": "age", "operator": "gte", "value": "soixante"}],
            weight=10,
            actor=loaded.world.owner,
        )
    assert "Condition 1 : donnez un nombre entre 0 et 130." in raised.value.messages
    assert not loaded.outreach_list.rules.exists()
    assert set(scores().values()) == {0}


def test_assignment_by_territory_and_the_assignees_view(loaded):
    owner = loaded.world.owner
    services.save_rule(
        outreach_list=loaded.outreach_list,
        name="R",
        conditions=SENIOR_ALONE_UPSTAIRS,
        weight=50,
        actor=owner,
    )
    segment = services.save_segment(
        outreach_list=loaded.outreach_list, name="P1", min_score=40, actor=owner
    )
    services.add_assignment(
        outreach_list=loaded.outreach_list,
        segment=segment,
        territory=loaded.epci,
        assignee=loaded.association,
        actor=owner,
    )
    assigned = set(
        Prospect.objects.filter(assignee=loaded.association).values_list("tenant_ref", flat=True)
    )
    assert assigned == {"A", "B"}  # Arras and Achicourt are in the EPCI; nobody else is in P1
    visible = set(queries.prospects_for(loaded.volunteer).values_list("tenant_ref", flat=True))
    assert visible == {"A", "B"}
    # Outside the assigned territory or segment: 404.
    other = Prospect.objects.get(tenant_ref="F")
    from django.http import Http404

    with pytest.raises(Http404):
        queries.get_prospect_for_user(loaded.volunteer, other.pk)
    with pytest.raises(Http404):
        queries.get_prospect_for_user(loaded.world.outsider, other.pk)


def test_a_more_precise_territory_wins_and_worked_targets_stay_put(loaded, django_user_model):
    from ancrage.accounts.enums import OrganizationKind
    from ancrage.programs.enums import ParticipantRole
    from tests.accounts.factories import OrganizationFactory
    from tests.programs.factories import ParticipantFactory

    owner = loaded.world.owner
    services.save_rule(
        outreach_list=loaded.outreach_list,
        name="R",
        conditions=SENIOR_ALONE_UPSTAIRS,
        weight=50,
        actor=owner,
    )
    segment = services.save_segment(
        outreach_list=loaded.outreach_list, name="P1", min_score=40, actor=owner
    )
    local = OrganizationFactory(name="Association d'Achicourt", kind=OrganizationKind.ASSOCIATION)
    ParticipantFactory(program=loaded.program, organization=local, role=ParticipantRole.RELAY)
    services.add_assignment(
        outreach_list=loaded.outreach_list,
        segment=segment,
        territory=loaded.epci,
        assignee=loaded.association,
        actor=owner,
    )
    services.add_assignment(
        outreach_list=loaded.outreach_list,
        segment=segment,
        territory=loaded.achicourt,
        assignee=local,
        actor=owner,
    )
    assert Prospect.objects.get(tenant_ref="A").assignee == loaded.association
    assert Prospect.objects.get(tenant_ref="B").assignee == local
    # A target already contacted stays with whoever contacted it.
    import datetime

    services.record_attempt(
        prospect=Prospect.objects.get(tenant_ref="B"),
        channel="call",
        outcome="contacted",
        occurred_on=datetime.date(2026, 3, 2),
        actor=owner,
    )
    services.remove_assignment(
        assignment=loaded.outreach_list.assignments.get(assignee=local), actor=owner
    )
    assert Prospect.objects.get(tenant_ref="B").assignee == local
    assert Prospect.objects.get(tenant_ref="A").assignee == loaded.association


def test_only_the_operators_coordination_targets(loaded):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied) as raised:
        services.save_segment(
            outreach_list=loaded.outreach_list,
            name="P1",
            min_score=10,
            actor=loaded.world.colleague,
        )
    assert "coordination" in str(raised.value)
    with pytest.raises(PermissionDenied):
        services.save_segment(
            outreach_list=loaded.outreach_list, name="P1", min_score=10, actor=loaded.volunteer
        )
    assert not loaded.outreach_list.segments.exists()


def test_the_keyset_pages_cover_every_target_once(loaded):
    services.save_rule(
        outreach_list=loaded.outreach_list,
        name="Seul·e",
        conditions=[{"field": "lives_alone", "operator": "true"}],
        weight=5,
        actor=loaded.world.owner,
    )
    seen = []
    after = None
    while True:
        page = queries.targets_page(Prospect.objects.all(), after=after, size=2)
        seen += [row.tenant_ref for row in page.rows]
        after = page.next_key
        if after is None:
            break
    assert sorted(seen) == ["A", "B", "C", "D", "E", "F"]
    # By score (F, not alone, last), then by number.
    assert seen == list(
        Prospect.objects.order_by("-score", "id").values_list("tenant_ref", flat=True)
    )
    assert seen[-1] == "F"
