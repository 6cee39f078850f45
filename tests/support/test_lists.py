"""The referrals list (sent and received in one list) and the caseload's people: filters, sort,
exports of exactly the rows on screen."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.audit.models import AuditEvent
from tests.accounts.factories import OrganizationFactory
from tests.clients import client_of
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory, ReferralFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def referrals(world):
    landlord = OrganizationFactory(name="Bailleur du Nord")
    mission = OrganizationFactory(name="Mission locale")
    sent = ReferralFactory(
        sender=world.org,
        receiver=landlord,
        person=PersonFactory(organization=world.org, last_name="Roux", first_name="Inès"),
        sent_on=D(2026, 10, 5),
    )
    received = ReferralFactory(
        sender=mission,
        receiver=world.org,
        person=PersonFactory(organization=mission, last_name="Petit", first_name="Zoé"),
        sent_on=D(2026, 11, 2),
        shared_data={"first_name": "Zoé", "last_name": "Petit"},
    )
    ReferralFactory(sender=mission, receiver=landlord, sent_on=D(2026, 11, 3))  # not ours
    return {"sent": sent, "received": received}


def test_sent_and_received_referrals_in_one_list_filtered_and_exported(world, referrals):
    client = client_of(world.owner)
    url = reverse("support:referral_list")
    page = client.get(url)
    assert page.context["page"].count == 2
    assert "à traiter" in page.text  # the received one waits for our answer
    received = client.get(url, {"direction": "received"})
    assert received.context["page"].count == 1
    assert "Zoé PETIT" in received.text and "Roux" not in received.text
    rows = csv_rows(client.get(url, {"tri": "partenaire", "export": "csv"}))
    assert rows[0][:5] == ["Date", "Sens", "Partenaire", "Personne", "État"]
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        ("envoyée", "Bailleur du Nord", "Inès ROUX"),
        ("reçue", "Mission locale", "Zoé PETIT"),
    ]
    assert AuditEvent.objects.filter(object_repr="export csv de 2").exists()
    october = client.get(url, {"start": "2026-10-01", "end": "2026-10-31"})
    assert october.context["page"].count == 1


def test_a_bad_referral_filter_is_named_and_shows_nothing(world, referrals):
    page = client_of(world.owner).get(reverse("support:referral_list"), {"start": "hier"})
    assert page.status_code == 400
    assert "Saisissez une date valide." in page.text
    assert page.context["page"].count == 0


def test_a_third_organization_and_anonymous_see_no_referral(world, referrals):
    outsider = client_of(world.outsider).get(reverse("support:referral_list"), {"export": "csv"})
    assert len(csv_rows(outsider)) == 1  # the header only
    anonymous = Client().get(reverse("support:referral_list"))
    assert anonymous.status_code == 302


def test_the_caseload_filters_by_step_and_exports_the_counsellors_people(world):
    for last_name, status in (("Roux", "support"), ("Bernard", "assessment"), ("Petit", "support")):
        EnrollmentFactory(
            organization=world.org,
            referent=world.owner,
            status=status,
            person=PersonFactory(organization=world.org, last_name=last_name),
        )
    EnrollmentFactory(organization=world.org, referent=world.colleague)  # not theirs
    client = client_of(world.owner)
    url = reverse("support:caseload")
    assert client.get(url).context["page"].count == 3
    rows = csv_rows(client.get(url, {"status": "support", "export": "csv"}))
    assert [r[0].split()[-1] for r in rows[1:]] == ["PETIT", "ROUX"]
    assert rows[1][1] == "Accompagnement"
