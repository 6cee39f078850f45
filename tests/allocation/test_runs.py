import datetime
import logging

import pytest
from django.urls import reverse

from ancrage.allocation.models import AllocationRun
from ancrage.allocation.services import start_run
from ancrage.core.logging import KeyValueFormatter
from ancrage.housing import services as housing
from ancrage.housing.models import Booking, HousingApplication
from tests.api.test_api_scoping import token_client
from tests.core.factories import TerritoryFactory
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
SEPT = datetime.date(2026, 9, 7)
JULY = datetime.date(2027, 7, 1)


@pytest.fixture
def residence(world):
    residence = ResidenceFactory(organization=world.org, name="Résidence Carnot")
    for reference in ("T1-01", "T1-02", "T1-03"):
        BedFactory(unit__residence=residence, unit__reference=reference)
    return residence


def applicant(world, residence, first_name, template, offset):
    person = PersonFactory(organization=world.org, first_name=first_name, last_name="Alternant")
    rhythm = housing.create_rhythm(
        person=person,
        name="BTS",
        template=template,
        first_school_week=SEPT + datetime.timedelta(weeks=offset),
        ends_on=JULY,
        actor=world.owner,
    )
    return housing.submit_application(
        residence=residence, person=person, wished_from=SEPT, rhythm=rhythm, actor=world.owner
    )


def run(world, residence, client=None):
    if client is None:
        started = start_run(
            residence=residence, starts_on=SEPT, ends_on=JULY, time_limit=5, actor=world.owner
        )
        started.refresh_from_db()
        return started
    response = client.post(
        reverse("allocation:run_create", args=[residence.pk]),
        {
            "starts_on": SEPT.isoformat(),
            "ends_on": JULY.isoformat(),
            "engine": "hybrid",
            "time_limit": 5,
        },
    )
    return AllocationRun.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_four_apprentices_on_complementary_rhythms_fill_two_studios(client, world, residence):
    for name, template, offset in (
        ("Ana", "2/2", 0),
        ("Bao", "2/2", 2),
        ("Cléa", "1/1", 0),
        ("Dan", "1/1", 1),
    ):
        applicant(world, residence, name, template, offset)
    client.force_login(world.owner)
    proposal = run(world, residence, client)
    proposal.refresh_from_db()
    assert proposal.status == "done"
    metrics = proposal.result["metrics"]
    assert (
        metrics["units_used"],
        metrics["units_status_quo"],
        len(proposal.result["unhoused"]),
    ) == (2, 4, 0)
    page = client.get(reverse("allocation:run_detail", args=[proposal.pk]))
    assert "au lieu de 4" in page.text
    assert "partagé avec" in page.text
    assert page.text.count("rythmes complémentaires 2/2 et 2/2") == 2
    assert page.text.count("rythmes complémentaires 1/1 et 1/1") == 2
    # Ana's two-week blocks read as ranges, not one label per week.
    assert "Semaines : S37–S38 2026, S41–S42 2026, S45–S46 2026" in page.text
    ids = [item["person_id"] for item in proposal.result["assignments"]]
    response = client.post(reverse("allocation:run_accept", args=[proposal.pk]), {"personne": ids})
    assert response.url == reverse("housing:occupancy", args=[residence.pk])
    assert Booking.objects.filter(status="active").count() == 4
    assert set(HousingApplication.objects.values_list("status", flat=True)) == {"housed"}
    assert len({b.bed.unit_id for b in Booking.objects.all()}) == 2


def test_who_will_not_share_lives_alone_and_a_wheelchair_user_gets_the_accessible_unit(
    client, world, residence
):
    from tests.housing.factories import UnitFactory

    ramp = UnitFactory(
        residence=residence, reference="PMR-01", accessibility=["wheelchair"], weekly_price=130
    )
    BedFactory(unit=ramp)
    ana = applicant(world, residence, "Ana", "2/2", 0)
    # Bao's rhythm complements Ana's, but the counsellor unticks "accepte de partager".
    bao = PersonFactory(organization=world.org, first_name="Bao", last_name="Alternant")
    rhythm = housing.create_rhythm(
        person=bao,
        name="BTS",
        template="2/2",
        first_school_week=SEPT + datetime.timedelta(weeks=2),
        ends_on=JULY,
        actor=world.owner,
    )
    client.force_login(world.owner)
    form = client.get(reverse("housing:application_create", args=[residence.pk]))
    assert "Accepte de partager son logement" in form.text
    response = client.post(
        reverse("housing:application_create", args=[residence.pk]),
        {
            "person": f"{bao} [{bao.pk}]",
            "wished_from": SEPT.isoformat(),
            "granularity": "weeks",
            "rhythm": rhythm.pk,
        },
    )
    assert response.status_code == 302, response.text
    assert HousingApplication.objects.get(person=bao).shares_unit is False
    clea = applicant(world, residence, "Cléa", "1/1", 1)
    clea.needs_accessible = True
    clea.save(update_fields=["needs_accessible"])
    waiting = client.get(reverse("housing:waiting_list", args=[residence.pk])).text
    assert waiting.count("Ne partage pas") == 1 and waiting.count("Accessible PMR") == 1

    proposal = run(world, residence)
    assert proposal.status == "done", proposal.error
    placed = {i["person"]: i for i in proposal.result["assignments"]}
    assert len(placed) == 3 and not proposal.result["unhoused"]
    assert placed[str(bao)]["unit"] != placed[str(ana.person)]["unit"]
    assert placed[str(clea.person)]["unit"] == "PMR-01"
    assert proposal.result["metrics"]["units_used"] == 3
    assert "seul·e : ne souhaite pas partager" in placed[str(bao)]["reason"]
    assert "logement accessible" in placed[str(clea.person)]["reason"]


def test_a_rerun_after_a_calendar_change_moves_only_who_must(world, residence):
    applications = [
        applicant(world, residence, name, template, offset)
        for name, template, offset in (
            ("Ana", "2/2", 0),
            ("Bao", "2/2", 2),
            ("Cléa", "1/1", 0),
            ("Dan", "1/1", 1),
        )
    ]
    first = run(world, residence)
    from ancrage.allocation.services import accept_run

    accept_run(
        run=first,
        person_ids=[i["person_id"] for i in first.result["assignments"]],
        actor=world.owner,
    )
    # Bao's school moves to the 1/1 rhythm of Dan's phase: Bao now collides with Ana.
    bao = applications[1].person
    new_rhythm = housing.create_rhythm(
        person=bao,
        name="BTS modifié",
        template="1/1",
        first_school_week=SEPT,
        ends_on=JULY,
        actor=world.owner,
    )
    for booking in Booking.objects.filter(person=bao):
        booking.rhythm = new_rhythm
        booking.save(update_fields=["rhythm"])
    second = run(world, residence)
    assert second.status == "done"
    metrics = second.result["metrics"]
    assert metrics["moves"] <= 1
    assert not second.result["unhoused"]


def test_an_accepted_proposal_cannot_be_accepted_twice_and_nothing_is_half_written(
    world, residence
):
    from django.core.exceptions import ValidationError

    from ancrage.allocation.services import accept_run

    applicant(world, residence, "Ana", "2/2", 0)
    proposal = run(world, residence)
    ids = [i["person_id"] for i in proposal.result["assignments"]]
    # Someone else takes the proposed studio for those weeks meanwhile: the acceptance is refused.
    unit_id = proposal.result["assignments"][0]["unit_id"]
    housing.book_weeks(
        person=PersonFactory(organization=world.org),
        bed=BedFactory._meta.model.objects.get(unit_id=unit_id),
        weeks=[SEPT],
        actor=world.owner,
    )
    with pytest.raises(ValidationError, match="Relancez le calcul"):
        accept_run(run=proposal, person_ids=ids, actor=world.owner)
    assert Booking.objects.count() == 1
    assert AllocationRun.objects.get(pk=proposal.pk).status == "done"


def test_outsiders_cannot_see_or_accept_a_run(client, world, residence):
    applicant(world, residence, "Ana", "2/2", 0)
    proposal = run(world, residence)
    client.force_login(world.outsider)
    assert client.get(reverse("allocation:run_detail", args=[proposal.pk])).status_code == 404
    response = client.post(reverse("allocation:run_accept", args=[proposal.pk]), {"personne": [1]})
    assert response.status_code == 404
    client.force_login(world.colleague)
    assert client.get(reverse("allocation:run_detail", args=[proposal.pk])).status_code == 200
    assert client.post(reverse("allocation:run_accept", args=[proposal.pk])).status_code == 403


def test_the_progress_bar_moves_while_the_engine_searches(client, world, residence, monkeypatch):
    from ancrage.allocation import services

    applicant(world, residence, "Ana", "2/2", 0)
    client.force_login(world.owner)
    seen = []
    real_solve = services.solve

    def solve_and_look(instance, **kwargs):
        # Halfway through its time limit, the engine says so: the page polled by htmx shows it.
        kwargs["progress"](0.5)
        running = AllocationRun.objects.get()
        page = client.get(
            reverse("allocation:run_detail", args=[running.pk]), HTTP_HX_REQUEST="true"
        )
        seen.append((running.status, running.progress, 'aria-valuenow="62"' in page.text))
        return real_solve(instance, **kwargs)

    monkeypatch.setattr(services, "solve", solve_and_look)
    finished = run(world, residence)
    assert seen == [("running", 62, True)]
    assert (finished.status, finished.progress) == ("done", 100)


def test_bad_period_is_refused_with_the_field_named(client, world, residence):
    client.force_login(world.owner)
    response = client.post(
        reverse("allocation:run_create", args=[residence.pk]),
        {"starts_on": "2027-07-01", "ends_on": "2026-09-01", "engine": "hybrid", "time_limit": 5},
    )
    assert response.status_code == 400
    assert "La fin doit suivre le début." in response.text
    assert not AllocationRun.objects.exists()


@pytest.fixture
def town(world, residence):
    """Two residences of the manager in one commune (the fixture's, with two studios more), and one
    in another commune."""
    commune = TerritoryFactory(name="Arras")
    residence.commune = commune
    residence.save()
    other = ResidenceFactory(organization=world.org, name="Résidence Vauban", commune=commune)
    for reference in ("V-01", "V-02"):
        BedFactory(unit__residence=other, unit__reference=reference)
    far = ResidenceFactory(
        organization=world.org,
        name="Résidence du Littoral",
        commune=TerritoryFactory(name="Calais"),
    )
    BedFactory(unit__residence=far, unit__reference="L-01")
    return commune, residence, other, far


def territory_run(client, commune):
    response = client.post(
        reverse("allocation:territory_run_create"),
        {
            "territory": commune.pk,
            "starts_on": SEPT.isoformat(),
            "ends_on": JULY.isoformat(),
            "engine": "hybrid",
            "time_limit": 5,
        },
    )
    assert response.status_code == 302, response.text
    return AllocationRun.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_a_territory_run_shares_units_across_residences_the_apprentices_asked_for(
    client, world, town
):
    commune, carnot, vauban, far = town
    # Ana asked for Carnot only, Bao for Vauban only: with complementary rhythms they would share,
    # but never in a residence one of them did not ask for. Cléa asked for both and shares with
    # Dan, who asked for Vauban; nobody goes to the residence of the other commune.
    ana = applicant(world, carnot, "Ana", "2/2", 0)
    bao = applicant(world, vauban, "Bao", "2/2", 2)
    clea = applicant(world, carnot, "Cléa", "1/1", 0)
    housing.submit_application(
        residence=vauban,
        person=clea.person,
        wished_from=SEPT,
        rhythm=clea.rhythm,
        actor=world.owner,
    )
    dan = applicant(world, vauban, "Dan", "1/1", 1)
    applicant(world, far, "Éli", "2/2", 0)  # another commune: not in this run
    client.force_login(world.owner)
    page = client.get(reverse("allocation:territory_run_create"))
    assert page.status_code == 200
    assert "Arras (commune)" in page.text and "Calais (commune)" in page.text

    proposal = territory_run(client, commune)
    proposal.refresh_from_db()
    assert proposal.status == "done", proposal.error
    placed = {i["person"]: i for i in proposal.result["assignments"]}
    assert set(placed) == {str(p.person) for p in (ana, bao, clea, dan)}
    residence_of = {name: item["residence_id"] for name, item in placed.items()}
    assert residence_of[str(ana.person)] == carnot.pk
    assert residence_of[str(bao.person)] == vauban.pk
    assert residence_of[str(dan.person)] == vauban.pk
    assert proposal.result["metrics"]["units_used"] == 3  # Ana, Bao, and Cléa with Dan in Vauban
    assert residence_of[str(clea.person)] == vauban.pk
    page = client.get(reverse("allocation:run_detail", args=[proposal.pk]))
    assert "Résidence Vauban — V-0" in page.text
    assert "Toutes vos résidences sur le territoire Arras (commune)" in page.text

    response = client.post(
        reverse("allocation:run_accept", args=[proposal.pk]),
        {"personne": [placed[str(clea.person)]["person_id"]]},
    )
    assert response.url == reverse("allocation:run_detail", args=[proposal.pk])
    booking = Booking.objects.get(person=clea.person)
    assert booking.bed.unit.residence == vauban
    # Housed in Vauban, Cléa no longer waits for Carnot: the manager would otherwise see her on
    # Carnot's waiting list and offer her a second bed.
    applications = {
        a.residence_id: a for a in HousingApplication.objects.filter(person=clea.person)
    }
    assert applications[vauban.pk].status == "housed"
    assert applications[carnot.pk].status == "withdrawn"
    assert applications[carnot.pk].note.startswith(
        "Logé·e à Résidence Vauban par le calcul d'allocation du "
    )
    waiting = client.get(reverse("housing:waiting_list", args=[carnot.pk]))
    assert str(clea.person) not in waiting.text and str(ana.person) in waiting.text


def test_a_territory_without_any_of_the_managers_residences_is_refused(client, world, town):
    from tests.core.factories import TerritoryFactory

    client.force_login(world.owner)
    response = client.post(
        reverse("allocation:territory_run_create"),
        {
            "territory": TerritoryFactory(name="Lens").pk,
            "starts_on": SEPT.isoformat(),
            "ends_on": JULY.isoformat(),
            "engine": "hybrid",
            "time_limit": 5,
        },
    )
    assert response.status_code == 400
    assert "Territoire" in response.text and "Sélectionnez un choix valide" in response.text
    assert not AllocationRun.objects.exists()


def test_territory_runs_as_colleague_outsider_and_anonymous(client, world, town):
    commune = town[0]
    client.force_login(world.colleague)
    assert client.get(reverse("allocation:territory_run_create")).status_code == 403
    client.force_login(world.outsider)
    page = client.get(reverse("allocation:territory_run_create"))
    # The outsider manages nothing in Arras: the territory is not offered, a post is refused.
    assert page.status_code == 200 and "Arras" not in page.text
    response = client.post(
        reverse("allocation:territory_run_create"),
        {
            "territory": commune.pk,
            "starts_on": SEPT,
            "ends_on": JULY,
            "engine": "hybrid",
            "time_limit": 5,
        },
    )
    assert response.status_code == 400
    assert not AllocationRun.objects.exists()
    client.logout()
    response = client.get(reverse("allocation:territory_run_create"))
    assert response.status_code == 302
    assert "next=" in response.url


def test_the_api_shows_a_run_and_its_proposal_to_the_team_only(world, residence):
    from tests.api.test_api_scoping import token_client

    applicant(world, residence, "Ana", "2/2", 0)
    applicant(world, residence, "Bao", "2/2", 2)
    proposal = run(world, residence)
    data = token_client(world.colleague).get(reverse("api:allocation-run-list")).json()
    assert [r["id"] for r in data["results"]] == [proposal.pk]
    detail = (
        token_client(world.owner)
        .get(reverse("api:allocation-run-detail", args=[proposal.pk]))
        .json()
    )
    assert (detail["status"], detail["residence"], detail["territory_code"]) == (
        "done",
        residence.pk,
        None,
    )
    assert detail["metrics"]["units_used"] == 1
    assert {a["person"] for a in detail["assignments"]} == {"Ana ALTERNANT", "Bao ALTERNANT"}
    assert detail["assignments"][0]["weeks"][0] >= SEPT.isoformat()
    outsider = token_client(world.outsider)
    assert outsider.get(reverse("api:allocation-run-list")).json()["results"] == []
    assert outsider.get(reverse("api:allocation-run-detail", args=[proposal.pk])).status_code == 404


def test_the_api_list_of_runs_keeps_a_constant_query_count(world, count_queries):
    client = token_client(world.owner)

    def count():
        return count_queries(lambda: client.get(reverse("api:allocation-run-list")))

    def empty_run(**scope):
        start_run(starts_on=SEPT, ends_on=JULY, time_limit=1, actor=world.owner, **scope)

    empty_run(residence=ResidenceFactory(organization=world.org))
    count()  # the token's first use is recorded once
    one = count()
    commune = TerritoryFactory(name="Béthune")
    ResidenceFactory(organization=world.org, commune=commune)
    for _ in range(3):
        empty_run(territory=commune, organization=world.org)
    assert count() == one


def test_proposal_weeks_read_as_ranges_across_the_new_year():
    from ancrage.allocation.views import _week_ranges

    monday = datetime.date(2026, 12, 21)  # S52 2026; 2026 has a week 53
    weeks = [monday + datetime.timedelta(weeks=n) for n in (0, 1, 2, 4)]
    assert _week_ranges(weeks) == "S52 2026–S01 2027, S03 2027"
    assert _week_ranges([SEPT, SEPT + datetime.timedelta(weeks=1)]) == "S37–S38 2026"
    assert _week_ranges([]) == ""


def test_a_failed_run_is_logged_with_its_id_and_error_type_but_not_the_message(
    world, residence, monkeypatch, caplog
):
    application = applicant(world, residence, "Élodie", "1/1", 0)

    def broken(*args, **kwargs):
        raise ValueError(f"{application.person} n'a pas de semaine")

    monkeypatch.setattr("ancrage.allocation.services.solve", broken)
    with caplog.at_level(logging.INFO, logger="ancrage.allocation.services"):
        failed = run(world, residence)
    assert failed.status == "failed" and "Élodie" in failed.error  # the page says what happened
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert (record.run_id, record.error) == (failed.pk, "ValueError")
    line = KeyValueFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert line.startswith(
        f"ERROR ancrage.allocation.services allocation run failed engine=hybrid error=ValueError "
        f"run_id={failed.pk}\n"
    )
    assert "services.py" in line and "Élodie" not in line


def test_a_run_done_is_logged_with_its_figures(world, residence, caplog):
    applicant(world, residence, "Bao", "1/1", 0)
    with caplog.at_level(logging.INFO, logger="ancrage.allocation.services"):
        done = run(world, residence)
    [record] = [r for r in caplog.records if r.getMessage() == "allocation run done"]
    assert (record.run_id, record.apprentices, record.units_used) == (done.pk, 1, 1)


def test_the_proposal_and_the_booking_show_each_apprentices_school_and_employer(
    client, world, residence
):
    from ancrage.partnerships.services import create_apprenticeship
    from tests.accounts.factories import OrganizationFactory

    school = OrganizationFactory(name="CFA du Forez", kind="school", commune=None)
    employer = OrganizationFactory(name="Boulangerie Vidal", kind="employer", commune=None)
    ana = applicant(world, residence, "Ana", "1/1", 0).person
    applicant(world, residence, "Bao", "1/1", 1)  # no contract recorded: nothing shown
    create_apprenticeship(
        person=ana,
        school=school,
        employer=employer,
        diploma="CAP Boulanger",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2028, 8, 31),
        actor=world.owner,
    )
    client.force_login(world.owner)
    proposal = run(world, residence, client)
    page = client.get(reverse("allocation:run_detail", args=[proposal.pk])).text
    assert page.count("CAP Boulanger — CFA du Forez · employeur : Boulangerie Vidal") == 1
    client.post(
        reverse("allocation:run_accept", args=[proposal.pk]),
        {"personne": [item["person_id"] for item in proposal.result["assignments"]]},
    )
    booking = Booking.objects.get(person=ana)
    page = client.get(reverse("housing:booking_detail", args=[booking.pk])).text
    assert "CAP Boulanger — CFA du Forez · employeur : Boulangerie Vidal" in page
