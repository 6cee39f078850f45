"""Each morning: both parties of an agreement ending within 90 days are told to renew it, and the
beneficiary is reminded of last year's report before and after 31 March, until it is handed in."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from ancrage.funding import notices
from ancrage.indicators import services as reports
from ancrage.notifications.models import Notification
from tests.funding.conftest import agreement_of

pytestmark = pytest.mark.django_db

D = datetime.date


def told(kind):
    return sorted(
        (n.organization.name, n.recipient.email)
        for n in Notification.objects.filter(kind=kind).select_related("organization", "recipient")
    )


def test_an_agreement_ending_within_90_days_is_told_once_to_both_parties(desk):
    agreement_of(desk)  # ends on 31/12/2026
    assert notices.notify_agreements_ending(D(2026, 10, 1)) == 0  # 90 days before: 2 October
    assert notices.notify_agreements_ending(D(2026, 10, 2)) > 0
    assert notices.notify_agreements_ending(D(2026, 10, 3)) == 0  # told once
    recipients = told("agreement_ending")
    assert ("Département", desk["decider"].email) in recipients
    assert ("CLLAJ de l'Artois", desk["counsellor"].email) in recipients
    assert desk["reader"].email not in [email for _, email in recipients]
    message = Notification.objects.filter(kind="agreement_ending").first().message
    assert "prend fin le 31/12/2026" in message


def test_last_years_report_is_reminded_in_march_and_when_late_until_handed_in(desk):
    agreement_of(desk)
    assert notices.notify_reports_due(D(2026, 2, 28)) == 0
    assert notices.notify_reports_due(D(2026, 3, 1)) == 1  # the counsellor (a writer)
    assert notices.notify_reports_due(D(2026, 3, 2)) == 0
    assert notices.notify_reports_due(D(2026, 4, 1)) == 1
    [soon, late] = Notification.objects.filter(kind="report_due").order_by("created_at", "id")
    assert "au plus tard le 31/03/2026" in soon.message
    assert "attendu le 31/03/2026" in late.message
    Notification.objects.all().delete()
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC), tick=False):
        reports.submit_report(organization=desk["cllaj"], year=2025, actor=desk["counsellor"])
    assert notices.notify_reports_due(D(2026, 4, 3)) == 0
