"""The CLLAJ's observatory of needs (seed 003) and the employee partnership's figures (seed 002),
hand-built: requests by subject, age, situation and commune; needs found by the assessments;
refusals and unmet needs by reason; referrals received and accepted; sub-lets slid into leases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.housing.enums import LeaseKind, LeaseStatus
from ancrage.housing.models import Lease
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate
from ancrage.indicators.rollup import refresh_year
from ancrage.support.enums import Channel, Direction, ReferralStatus, StepStatus
from ancrage.support.models import Assessment, Enrollment, Referral
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.indicators.conftest import D, _person, at, shared_year_refreshed
from tests.support.factories import ContactFactory, StepFactory

pytestmark = pytest.mark.django_db

# The tests here start from the figures of 2026: computed once for the module.
_shared_year = shared_year_refreshed(2026)


def value(code, organization, category="", scope=Scope.ORGANIZATION, **cell):
    row = Aggregate.objects.filter(
        indicator=code,
        grain=Grain.YEAR,
        period=D(2026, 1, 1),
        scope=scope,
        organization=organization if scope == Scope.ORGANIZATION else None,
        category=category,
        **cell,
    ).first()
    return None if row is None else row.value


@pytest.fixture
def observed(year):
    y = year
    baseline = {
        code: value(code, y.cllaj) or 0
        for code in ("demandes_recues", "besoins_diagnostics", "besoins_non_couverts")
    }
    # Two anonymous calls about housing and solvency; a named youth's e-mail about health.
    for subjects in (["housing"], ["housing", "solvency"]):
        ContactFactory(
            organization=y.cllaj,
            channel=Channel.PHONE,
            direction=Direction.INCOMING,
            occurred_at=at(D(2026, 9, 7)),
            subjects=subjects,
        )
    ContactFactory(
        organization=y.cllaj,
        channel=Channel.EMAIL,
        direction=Direction.INCOMING,
        occurred_at=at(D(2026, 9, 8)),
        subjects=["health"],
        person=y.yanis,
    )
    # Yanis's assessment: housing high, health medium, mobility low (not a need).
    enrollment = Enrollment.objects.filter(person=y.yanis).first()
    Assessment.objects.create(
        organization=y.cllaj,
        enrollment=enrollment,
        assessed_on=D(2026, 9, 10),
        assessor=UserFactory(),
        housing_priority="high",
        health_priority="medium",
        mobility_priority="low",
        monthly_resources=Decimal("600"),
    )
    # A refused FSL; a referral to the landlord refused.
    StepFactory(
        enrollment=enrollment, kind="fsl", status=StepStatus.REFUSED, done_on=D(2026, 9, 15)
    )
    referral = Referral.objects.create(
        sender=y.cllaj,
        receiver=y.landlord,
        person=y.yanis,
        purpose="Logement social T1",
        shared_data={"first_name": "Yanis"},
        consent_on=D(2026, 9, 1),
        sent_on=D(2026, 9, 2),
        status=ReferralStatus.REFUSED,
        decided_on=D(2026, 9, 20),
        refusal_reason="Pas de T1 disponible",
        sent_by=UserFactory(),
    )
    # The association's sub-let slid into a lease in the household's name in October.
    tenant = _person(y.association, "Durand", "Inès", D(1990, 1, 1))
    Lease.objects.create(
        organization=y.association,
        person=tenant,
        unit=Lease.objects.first().unit,
        kind=LeaseKind.SUBLET,
        status=LeaseStatus.ENDED,
        starts_on=D(2025, 10, 1),
        ends_on=D(2026, 10, 15),
        monthly_rent=Decimal("400"),
        monthly_charges=Decimal("0"),
        deposit=Decimal("400"),
        is_sliding=True,
        slid_on=D(2026, 10, 15),
    )
    refresh_year(2026)
    y.baseline, y.referral = baseline, referral
    return y


def test_requests_count_each_request_once_with_each_subject(observed):
    y = observed
    assert value("demandes_recues", y.cllaj) == y.baseline["demandes_recues"] + 3
    assert value("demandes_recues", y.cllaj, "objet:solvency") >= 1
    assert value("demandes_recues", y.cllaj, "objet:health") >= 1
    # Yanis (born 6 May 2004) was 22 in September; the anonymous calls have no age.
    assert value("demandes_recues", y.cllaj, "age:21_25") >= 1
    assert value("demandes_recues", y.cllaj, "age:inconnu") >= 2
    # Communes detail an organization's figures only, not the program's or the territory's.
    assert not Aggregate.objects.filter(
        indicator="demandes_recues", category__startswith="commune:", scope=Scope.NATIONAL
    ).exists()


def test_needs_found_by_the_assessments_by_domain(observed):
    y = observed
    assert value("besoins_diagnostics", y.cllaj) == y.baseline["besoins_diagnostics"] + 1
    assert value("besoins_diagnostics", y.cllaj, "domaine:housing") >= 1
    assert value("besoins_diagnostics", y.cllaj, "domaine:health") >= 1
    assert value("besoins_diagnostics", y.cllaj, "domaine:mobility") is None


def test_refusals_and_unmet_needs_by_reason_on_the_day_of_the_answer(observed):
    y = observed
    assert value("besoins_non_couverts", y.cllaj) == y.baseline["besoins_non_couverts"] + 2
    assert value("besoins_non_couverts", y.cllaj, "motif:fsl") >= 1
    assert value("besoins_non_couverts", y.cllaj, "motif:referral_refused") >= 1
    september = Aggregate.objects.get(
        indicator="besoins_non_couverts",
        grain=Grain.MONTH,
        period=D(2026, 9, 1),
        scope=Scope.ORGANIZATION,
        organization=y.cllaj,
        category="motif:referral_refused",
    )
    assert september.value >= 1  # answered on 20 September, sent on the 2nd


def test_the_landlord_counts_referrals_received_and_a_sublet_slid(observed):
    y = observed
    assert value("orientations_recues", y.landlord) >= 1
    assert value("baux_glissants_aboutis", y.association) == 1


def test_the_observatory_is_in_the_report_and_small_cells_are_withheld_for_the_funder(observed):
    y = observed
    funder = UserFactory()
    MembershipFactory(user=funder, organization=y.funder, role="funder")
    client = Client()
    client.force_login(funder)
    response = client.get(reverse("indicators:annual_report", args=[y.cllaj.pk, 2026]))
    assert response.status_code == 200
    figure = next(
        f for f in response.context["data"].figures if f.indicator.code == "demandes_recues"
    )
    subjects = dict(
        next(entries for name, entries in figure.breakdowns if name == "Objet de la demande")
    )
    assert subjects["Solvabilisation"] is None  # 1 < the small-cell threshold: withheld


def test_a_referral_typed_late_counts_in_the_month_it_was_sent(year):
    y = year
    Referral.objects.create(
        sender=y.cllaj,
        receiver=y.landlord,
        person=y.yanis,
        purpose="Logement social T1",
        shared_data={"first_name": "Yanis"},
        consent_on=D(2026, 3, 1),
        sent_on=D(2026, 3, 2),  # typed in November (the fixture's today), sent in March
        sent_by=UserFactory(),
    )
    refresh_year(2026)
    march = Aggregate.objects.get(
        indicator="orientations_recues",
        grain=Grain.MONTH,
        period=D(2026, 3, 1),
        scope=Scope.ORGANIZATION,
        organization=y.landlord,
        category="",
    )
    assert march.value >= 1
    assert not Aggregate.objects.filter(
        indicator="orientations_recues",
        grain=Grain.MONTH,
        period=D(2026, 11, 1),
        scope=Scope.ORGANIZATION,
        organization=y.landlord,
    ).exists()
