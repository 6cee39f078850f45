"""An annual report's way to its funder: handed in with its figures frozen, sent back with a
comment, handed in again, approved; only the funder decides, nothing changes once approved."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ancrage.accounts.enums import OrganizationKind
from ancrage.indicators import rollup, services
from ancrage.indicators.models import AnnualReport, ReportEvent
from ancrage.notifications.models import Notification
from ancrage.programs.enums import ParticipantRole
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.clients import client_of
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.support.factories import ContactFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.datetime(2026, 2, 16, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def member(organization, role):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def desk(db, settings):
    settings.DEMO = True  # no second factor for the members made here
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois", kind=OrganizationKind.CLLAJ)
    funder = OrganizationFactory(name="Département du Pas-de-Calais", kind=OrganizationKind.FUNDER)
    other_funder = OrganizationFactory(name="Autre financeur", kind=OrganizationKind.FUNDER)
    program = ProgramFactory(name="CLLAJ 62", starts_on=D(2025, 1, 1))
    ParticipantFactory(program=program, organization=cllaj, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    for day in (D(2025, 3, 3), D(2025, 6, 2)):
        ContactFactory(
            organization=cllaj,
            channel="phone",
            occurred_at=datetime.datetime.combine(day, datetime.time(10), datetime.UTC),
        )
    rollup.refresh_year(2025)
    return {
        "cllaj": cllaj,
        "counsellor": member(cllaj, "counsellor"),
        "reader": member(cllaj, "read_only"),
        "funder": member(funder, "funder"),
        "stranger": member(other_funder, "funder"),
    }


def report_url(name, desk, year=2025):
    return reverse(f"indicators:{name}", args=[desk["cllaj"].pk, year])


def test_handed_in_sent_back_handed_in_again_then_approved(desk):
    team, funder = client_of(desk["counsellor"]), client_of(desk["funder"])
    page = team.get(report_url("annual_report", desk))
    assert "Remettre le bilan au financeur" in page.text
    team.post(report_url("report_submit", desk))
    report = AnnualReport.objects.get()
    assert report.status == "submitted"
    assert report.frozen["contacts_telephone_mail"] == 2
    # The funder's deciders are told, in the bell and (immediate or daily) by e-mail later.
    told = Notification.objects.get(recipient=desk["funder"])
    assert told.kind == "report_to_validate" and "CLLAJ de l'Artois" in told.message
    # Handed in: the team can no longer rewrite it.
    refused = team.post(
        report_url("annual_report", desk), {"obstacles": "x", "analysis": "y"}, follow=True
    )
    assert "ne change plus" in refused.text
    # Sent back without a comment: refused, nothing changes.
    funder.post(report_url("report_decide", desk), {"decision": "return", "comment": ""})
    assert AnnualReport.objects.get().status == "submitted"
    funder.post(
        report_url("report_decide", desk),
        {"decision": "return", "comment": "Ajoutez l'analyse des freins."},
    )
    report.refresh_from_db()
    assert (report.status, report.comment) == ("returned", "Ajoutez l'analyse des freins.")
    assert "Ajoutez l&#x27;analyse des freins." in team.get(report_url("annual_report", desk)).text
    assert Notification.objects.filter(recipient=desk["counsellor"], kind="report_decided")
    team.post(report_url("annual_report", desk), {"obstacles": "Peu de T1.", "analysis": "Stable."})
    team.post(report_url("report_submit", desk))
    funder.post(report_url("report_decide", desk), {"decision": "approve", "comment": ""})
    report.refresh_from_db()
    assert report.status == "approved" and report.obstacles == "Peu de T1."
    pdf = funder.get(report_url("annual_report_pdf", desk))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "État : approuvé le 16/02/2026." in text
    sheet = load_workbook(io.BytesIO(funder.get(report_url("annual_report_xlsx", desk)).content))
    assert "État : approuvé le 16/02/2026." in [
        row[0] for row in sheet.active.iter_rows(values_only=True)
    ]
    assert list(ReportEvent.objects.values_list("status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    with pytest.raises(ValidationError, match="approuvé"):
        services.save_annual_report(
            organization=desk["cllaj"],
            year=2025,
            obstacles="",
            analysis="",
            actor=desk["counsellor"],
        )


def test_the_frozen_figures_stay_and_the_page_shows_both(desk):
    services.submit_report(organization=desk["cllaj"], year=2025, actor=desk["counsellor"])
    ContactFactory(
        organization=desk["cllaj"],
        channel="email",
        occurred_at=datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC),
    )
    rollup.refresh_year(2025)
    report = AnnualReport.objects.get()
    assert report.frozen["contacts_telephone_mail"] == 2
    page = client_of(desk["funder"]).get(report_url("annual_report", desk))
    row = page.text[page.text.index("Contacts") :].split("</tr>")[0]
    assert ">3<" in row and "badge text-bg-warning" in row and ">2<" in row


def test_only_the_funder_of_the_program_decides(desk):
    services.submit_report(organization=desk["cllaj"], year=2025, actor=desk["counsellor"])
    report = AnnualReport.objects.get()
    for user in (desk["counsellor"], desk["stranger"]):
        with pytest.raises(PermissionDenied):
            services.decide_report(report=report, approve=True, actor=user)
    assert client_of(desk["stranger"]).post(
        report_url("report_decide", desk), {"decision": "approve"}
    ).status_code in (403, 404)
    assert (
        client_of(desk["counsellor"])
        .post(report_url("report_decide", desk), {"decision": "approve"})
        .status_code
        == 403
    )
    assert Client().post(report_url("report_decide", desk)).status_code == 302
    assert AnnualReport.objects.get().status == "submitted"


def test_the_year_under_way_and_a_reader_cannot_hand_in(desk):
    with pytest.raises(ValidationError, match="1er janvier 2027"):
        services.submit_report(organization=desk["cllaj"], year=2026, actor=desk["counsellor"])
    assert client_of(desk["reader"]).post(report_url("report_submit", desk)).status_code == 403
    assert not AnnualReport.objects.exists()
    page = client_of(desk["counsellor"]).get(report_url("annual_report", desk, 2026))
    assert "Remettre le bilan au financeur" not in page.text


def test_the_api_hands_in_sends_back_and_approves(desk):
    from tests.api.clients import token_client

    team, funder = token_client(desk["counsellor"]), token_client(desk["funder"])
    organization = desk["cllaj"].pk
    early = team.post_json(
        "/api/v1/annual-reports/submit/", {"organization": organization, "year": 2026}
    )
    assert early.status_code == 400 and "2027" in str(early.json())
    handed = team.post_json(
        "/api/v1/annual-reports/submit/", {"organization": organization, "year": 2025}
    )
    assert handed.status_code == 200, handed.content
    pk = handed.json()["id"]
    assert handed.json()["status"] == "submitted"
    assert handed.json()["frozen"]["contacts_telephone_mail"] == 2
    assert team.post_json(f"/api/v1/annual-reports/{pk}/approve/", {}).status_code == 403
    stranger = token_client(desk["stranger"])
    assert stranger.post_json(f"/api/v1/annual-reports/{pk}/approve/", {}).status_code in (403, 404)
    empty = funder.post_json(f"/api/v1/annual-reports/{pk}/return/", {"comment": ""})
    assert empty.status_code == 400 and "comment" in empty.json()
    back = funder.post_json(f"/api/v1/annual-reports/{pk}/return/", {"comment": "Complétez."})
    assert back.json()["status"] == "returned"
    team.post_json("/api/v1/annual-reports/submit/", {"organization": organization, "year": 2025})
    approved = funder.post_json(f"/api/v1/annual-reports/{pk}/approve/", {})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [e["status"] for e in approved.json()["events"]] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert funder.get("/api/v1/annual-reports/").json()["results"][0]["id"] == pk
    assert stranger.get("/api/v1/annual-reports/").json()["results"] == []
