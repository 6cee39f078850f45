"""Every create of the API refuses a read-only member and a funder with a 403 that says why, and
an anonymous client with a 401/403, before anything is written."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.test import Client

from ancrage.accounts.enums import Role
from tests.accounts.factories import MembershipFactory
from tests.activities.factories import ActivityFactory
from tests.api.clients import token_client
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory

ITEM = {"room": "Entrée", "element": "Sol", "condition": "good"}

# (URL, model whose rows are counted, the body as a function of the world's records)
CREATES = [
    ("persons", "people.Person", lambda r: {"last_name": "Nouveau", "first_name": "Yanis"}),
    (
        "contacts",
        "support.Contact",
        lambda r: {"channel": "phone", "subjects": ["housing"], "outcome": "information"},
    ),
    (
        "enrollments",
        "support.Enrollment",
        lambda r: {"person": r.person, "requested_on": "2025-01-02"},
    ),
    ("steps", "support.Step", lambda r: {"enrollment": r.enrollment, "kind": "fsl"}),
    (
        "assessments",
        "support.Assessment",
        lambda r: {"enrollment": r.enrollment, "assessed_on": "2025-03-01"},
    ),
    (
        "referrals",
        "support.Referral",
        lambda r: {
            "person": r.person,
            "receiver": r.other_org,
            "purpose": "Logement",
            "shared_fields": ["last_name", "first_name"],
            "consent_on": "2025-01-02",
        },
    ),
    (
        "appointments",
        "support.Appointment",
        lambda r: {"person": r.person, "starts_at": "2025-05-12T09:30:00Z"},
    ),
    ("desks", "support.Desk", lambda r: {"name": "Mairie"}),
    (
        "activities",
        "activities.Activity",
        lambda r: {"kind": "housing_workshop", "title": "Atelier"},
    ),
    (
        "sessions",
        "activities.Session",
        lambda r: {"activity": r.activity, "starts_at": "2025-04-08T14:00:00Z", "place": "Siège"},
    ),
    ("residences", "housing.Residence", lambda r: {"name": "Résidence", "kind": "social"}),
    (
        "units",
        "housing.Unit",
        lambda r: {
            "residence": r.residence,
            "reference": "Z9",
            "typology": "t1",
            "monthly_rent": "300.00",
        },
    ),
    (
        "rhythms",
        "housing.Rhythm",
        lambda r: {
            "person": r.person,
            "name": "CAP",
            "template": "1/1",
            "first_school_week": "2025-09-01",
            "ends_on": "2026-06-30",
        },
    ),
    (
        "bookings",
        "housing.Booking",
        lambda r: {
            "person": r.person,
            "bed": r.bed,
            "granularity": "open",
            "starts_on": "2025-09-01",
        },
    ),
    (
        "leases",
        "housing.Lease",
        lambda r: {
            "person": r.person,
            "unit": r.unit,
            "kind": "furnished",
            "starts_on": "2025-09-01",
        },
    ),
    (
        "inspections",
        "housing.Inspection",
        lambda r: {
            "unit": r.unit,
            "person": r.person,
            "kind": "entry",
            "done_on": "2025-09-01",
            "items": [ITEM],
        },
    ),
    (
        "payments",
        "housing.Payment",
        lambda r: {
            "person": r.person,
            "amount": "10.00",
            "paid_on": "2025-09-01",
            "method": "cash",
        },
    ),
    (
        "payments/allowances",
        "housing.ThirdPartyPayment",
        lambda r: {"person": r.person, "source": "apl", "month": "2025-09-01", "amount": "10.00"},
    ),
    (
        "housing-applications",
        "housing.HousingApplication",
        lambda r: {"residence": r.residence, "person": r.person, "wished_from": "2025-09-01"},
    ),
    (
        "memberships",
        "accounts.Membership",
        lambda r: {"email": "n@exemple.fr", "first_name": "N", "last_name": "B", "role": "admin"},
    ),
]


class Records:
    def __init__(self, world):
        self.person = PersonFactory(organization=world.org).pk
        self.enrollment = EnrollmentFactory(
            organization=world.org, referent=world.owner, requested_on=datetime.date(2025, 1, 2)
        ).pk
        self.activity = ActivityFactory(organization=world.org).pk
        bed = BedFactory(unit__residence__organization=world.org)
        self.bed, self.unit, self.residence = bed.pk, bed.unit_id, bed.unit.residence_id
        self.other_org = world.other_org.pk


@pytest.mark.parametrize("url, model, body", CREATES, ids=[c[0] for c in CREATES])
def test_a_read_only_member_a_funder_and_a_stranger_write_nothing(world, url, model, body):
    records = Records(world)
    funder = MembershipFactory(organization=world.org, role=Role.FUNDER).user
    data = body(records)
    rows = apps.get_model(model)._default_manager.count()
    for user in (world.colleague, funder):
        response = token_client(user).post_json(f"/api/v1/{url}/", data)
        assert response.status_code == 403, (user, response.content)
        assert "rôle" in response.json()["detail"] or "Seul" in response.json()["detail"]
    anonymous = Client().post(f"/api/v1/{url}/", data, content_type="application/json")
    assert anonymous.status_code in (401, 403)
    assert apps.get_model(model)._default_manager.count() == rows
    # The same body from the organization's administrator is accepted: the 403 was the role.
    assert token_client(world.owner).post_json(f"/api/v1/{url}/", data).status_code == 201
