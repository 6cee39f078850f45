"""A funder's agreement with a CLLAJ: €25,000 a year, objectives set by the funder, an advance of
at most 80 %, the balance payable only once the year's report is approved and its objectives
reached (on the figures handed in)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from ancrage.funding import queries, services
from ancrage.funding.models import Agreement, Installment, Objective
from ancrage.indicators import services as reports
from ancrage.indicators.models import Target
from tests.api.clients import token_client
from tests.funding.conftest import EUROS, agreement_of, member  # noqa: F401

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.datetime(2026, 2, 16, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_an_advance_above_80_percent_is_refused_and_writes_nothing(desk):
    agreement = agreement_of(desk)
    with pytest.raises(ValidationError, match="80 %"):
        services.plan_installment(
            agreement=agreement,
            year=2025,
            kind="advance",
            amount_cents=20_000 * EUROS + 1,
            planned_on=D(2025, 3, 1),
            actor=desk["decider"],
        )
    assert not Installment.objects.exists()
    services.plan_installment(
        agreement=agreement,
        year=2025,
        kind="advance",
        amount_cents=15_000 * EUROS,
        planned_on=D(2025, 3, 1),
        actor=desk["decider"],
    )
    with pytest.raises(ValidationError, match="dont 15"):
        services.plan_installment(
            agreement=agreement,
            year=2025,
            kind="advance",
            amount_cents=5_001 * EUROS,
            planned_on=D(2025, 6, 1),
            actor=desk["decider"],
        )


def test_objectives_are_the_funders_and_feed_the_report(desk):
    agreement = agreement_of(desk)
    services.set_objective(
        agreement=agreement,
        year=2025,
        indicator="contacts_telephone_mail",
        value=3,
        actor=desk["decider"],
    )
    target = Target.objects.get()
    assert (target.organization, target.year, target.value) == (desk["cllaj"], 2025, 3)
    with pytest.raises(ValidationError, match="hors de la convention"):
        services.set_objective(
            agreement=agreement,
            year=2027,
            indicator="contacts_telephone_mail",
            value=3,
            actor=desk["decider"],
        )
    with pytest.raises(PermissionDenied):
        services.set_objective(
            agreement=agreement,
            year=2025,
            indicator="contacts_telephone_mail",
            value=1,
            actor=desk["counsellor"],
        )
    assert Objective.objects.get().value == 3


def test_the_balance_waits_for_the_approved_report_and_the_objectives(desk):
    agreement = agreement_of(desk)
    services.set_objective(
        agreement=agreement,
        year=2025,
        indicator="contacts_telephone_mail",
        value=4,
        actor=desk["decider"],
    )
    balance = services.plan_installment(
        agreement=agreement,
        year=2025,
        kind="balance",
        amount_cents=5_000 * EUROS,
        planned_on=D(2026, 4, 1),
        actor=desk["decider"],
    )
    assert queries.balance_blockers(agreement, 2025) == [
        "Le bilan 2025 n'est pas approuvé (état : pas encore rédigé)."
    ]
    reports.submit_report(organization=desk["cllaj"], year=2025, actor=desk["counsellor"])
    report = reports.AnnualReport.objects.get()
    reports.decide_report(report=report, approve=True, actor=desk["decider"])
    blockers = queries.balance_blockers(agreement, 2025)
    assert len(blockers) == 1 and "3 pour 4 (75 %), il en faut 100 %" in blockers[0]
    with pytest.raises(ValidationError, match="il en faut 100 %"):
        services.pay_installment(installment=balance, on=D(2026, 2, 16), actor=desk["decider"])
    assert Installment.objects.get(pk=balance.pk).status == "planned"
    # The funder accepts 75 % of each objective: the balance becomes payable.
    agreement.objectives_percent = 75
    agreement.save()
    assert queries.balance_blockers(agreement, 2025) == []


def test_the_cllaj_year_through_the_pages(desk):
    funder, team = Client(), Client()
    funder.force_login(desk["decider"])
    team.force_login(desk["counsellor"])
    created = funder.post(
        reverse("funding:agreement_create"),
        {
            "beneficiary": desk["cllaj"].pk,
            "program": desk["program"].pk,
            "subject": "Accueil des jeunes",
            "starts_on": "2025-01-01",
            "ends_on": "2026-12-31",
            "yearly_amount": "25 000",
            "objectives_percent": "100",
        },
        follow=True,
    )
    assert "Convention enregistrée." in created.text
    agreement = Agreement.objects.get()
    assert [a.amount_cents for a in agreement.amounts.all()] == [2_500_000, 2_500_000]
    url = reverse("funding:agreement_detail", args=[agreement.pk])
    funder.post(
        reverse("funding:objective_set", args=[agreement.pk]),
        {"year": "2025", "indicator": "contacts_telephone_mail", "value": "3"},
    )
    too_much = funder.post(
        reverse("funding:installment_add", args=[agreement.pk]),
        {"year": "2025", "kind": "advance", "amount": "20 000,01", "planned_on": "2025-03-01"},
    )
    assert too_much.status_code == 400 and "80 %" in too_much.text
    funder.post(
        reverse("funding:installment_add", args=[agreement.pk]),
        {"year": "2025", "kind": "advance", "amount": "20000", "planned_on": "2025-03-01"},
    )
    advance = Installment.objects.get()
    funder.post(
        reverse("funding:installment_pay", args=[agreement.pk, advance.pk]), {"on": "2025-03-05"}
    )
    funder.post(
        reverse("funding:installment_add", args=[agreement.pk]),
        {"year": "2025", "kind": "balance", "amount": "5000", "planned_on": "2026-04-01"},
    )
    balance = Installment.objects.get(kind="balance")
    blocked = team.post(
        reverse("funding:installment_request", args=[agreement.pk, balance.pk]),
        {"on": "2026-02-16"},
        follow=True,
    )
    assert "n&#x27;est pas approuvé" in blocked.text
    team.post(reverse("indicators:report_submit", args=[desk["cllaj"].pk, 2025]))
    funder.post(
        reverse("indicators:report_decide", args=[desk["cllaj"].pk, 2025]),
        {"decision": "approve"},
    )
    team.post(
        reverse("funding:installment_request", args=[agreement.pk, balance.pk]),
        {"on": "2026-02-16"},
    )
    funder.post(
        reverse("funding:installment_pay", args=[agreement.pk, balance.pk]), {"on": "2026-02-16"}
    )
    page = funder.get(url)
    assert "payable" in page.text
    assert [i.status for i in Installment.objects.order_by("pk")] == ["paid", "paid"]
    # A paid installment never changes.
    with pytest.raises(ValidationError, match="déjà fait"):
        services.pay_installment(
            installment=Installment.objects.get(pk=balance.pk),
            on=D(2026, 2, 16),
            actor=desk["decider"],
        )


def test_who_sees_and_who_decides(desk):
    agreement = agreement_of(desk)
    url = reverse("funding:agreement_detail", args=[agreement.pk])
    for user in (desk["decider"], desk["counsellor"], desk["reader"]):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200
    stranger = Client()
    stranger.force_login(desk["stranger"])
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    team = Client()
    team.force_login(desk["counsellor"])
    refused = team.post(
        reverse("funding:installment_add", args=[agreement.pk]),
        {"year": "2025", "kind": "advance", "amount": "100", "planned_on": "2025-03-01"},
    )
    assert refused.status_code == 403
    assert not Installment.objects.exists()


def test_the_api_runs_the_same_rules(desk):
    funder, team = token_client(desk["decider"]), token_client(desk["counsellor"])
    body = {
        "beneficiary": desk["cllaj"].pk,
        "program": desk["program"].pk,
        "subject": "Accueil des jeunes",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "amounts": [{"year": 2025, "amount_cents": 2_500_000}],
    }
    assert team.post_json("/api/v1/agreements/", body).status_code == 403
    outside = funder.post_json(
        "/api/v1/agreements/", {**body, "amounts": [{"year": 2030, "amount_cents": 1}]}
    )
    assert outside.status_code == 400 and "amounts" in outside.json()
    created = funder.post_json("/api/v1/agreements/", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    advance = funder.post_json(
        f"/api/v1/agreements/{pk}/installments/",
        {"year": 2025, "kind": "advance", "amount_cents": 2_000_001, "planned_on": "2025-03-01"},
    )
    assert advance.status_code == 400 and "amount_cents" in advance.json()
    advance = funder.post_json(
        f"/api/v1/agreements/{pk}/installments/",
        {"year": 2025, "kind": "advance", "amount_cents": 2_000_000, "planned_on": "2025-03-01"},
    )
    assert advance.status_code == 201
    installment = advance.json()["id"]
    assert (
        team.post_json(f"/api/v1/installments/{installment}/pay/", {"on": "2025-03-05"}).status_code
        == 403
    )
    asked = team.post_json(f"/api/v1/installments/{installment}/request/", {"on": "2025-03-02"})
    assert asked.status_code == 200 and asked.json()["status"] == "requested"
    paid = funder.post_json(f"/api/v1/installments/{installment}/pay/", {"on": "2025-03-05"})
    assert paid.json()["status"] == "paid"
    read = team.get(f"/api/v1/agreements/{pk}/").json()
    assert read["budget"][0] == {
        "year": 2025,
        "granted": 2_500_000,
        "paid": 2_000_000,
        "planned": 0,
        "blockers": ["Le bilan 2025 n'est pas approuvé (état : pas encore rédigé)."],
    }
    stranger = token_client(desk["stranger"])
    assert stranger.get("/api/v1/agreements/").json()["results"] == []


def test_the_budget_page_sums_granted_paid_and_planned_by_program_and_year(desk, count_queries):
    agreement = agreement_of(desk)
    advance = services.plan_installment(
        agreement=agreement,
        year=2025,
        kind="advance",
        amount_cents=20_000 * EUROS,
        planned_on=D(2025, 3, 1),
        actor=desk["decider"],
    )
    services.pay_installment(installment=advance, on=D(2025, 3, 15), actor=desk["decider"])
    client = Client()
    client.force_login(desk["decider"])
    response = client.get(reverse("funding:budget"))
    lines = {line.year: line for line in response.context["lines"]}
    assert (lines[2025].granted, lines[2025].paid, lines[2025].left) == (
        25_000 * EUROS,
        20_000 * EUROS,
        5_000 * EUROS,
    )
    assert lines[2025].used_percent == 80.0
    assert (lines[2026].granted, lines[2026].paid) == (25_000 * EUROS, 0)
    assert "20\u202f000,00" in response.content.decode().replace("\u00a0", "\u202f")
    before = count_queries(lambda: client.get(reverse("funding:budget")))
    other = agreement_of(desk)
    services.plan_installment(
        agreement=other,
        year=2026,
        kind="advance",
        amount_cents=1_000 * EUROS,
        planned_on=D(2026, 3, 1),
        actor=desk["decider"],
    )
    assert count_queries(lambda: client.get(reverse("funding:budget"))) == before
    api = token_client(desk["counsellor"]).get(reverse("api:agreement-budget")).json()
    # Two agreements of the same parties and program add up: €50,000 a year.
    assert sorted((b["year"], b["granted"], b["paid"]) for b in api) == [
        (2025, 50_000 * EUROS, 20_000 * EUROS),
        (2026, 50_000 * EUROS, 0),
    ]
