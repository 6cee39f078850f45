"""The support panel of the home page: what a counsellor (or an employer's social service) came
for — today's and tomorrow's appointments, steps past due, referrals to answer or just decided,
follow-ups due — with the one-key new contact."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ancrage.accounts.enums import Module, OrganizationKind
from ancrage.accounts.permissions import current_organization_for
from ancrage.support.queries import (
    coming_appointments,
    follow_ups_due,
    overdue_steps,
    referrals_sent,
    referrals_to_answer,
)

SHOWN = 5  # rows per list; the count says how many more the linked page holds
FOLLOW_UP_DAYS = 7
DECIDED_DAYS = 14


def build(request: HttpRequest) -> dict[str, Any] | None:
    organization = current_organization_for(request, action="support.record", module=Module.SUPPORT)
    if organization is None:
        return None
    today = timezone.localdate()
    day_after_tomorrow = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=2), datetime.time())
    )
    appointments = list(
        coming_appointments(request.user, organization, until=day_after_tomorrow)[:20]
    )
    overdue = overdue_steps(request.user, organization)
    follow_ups = follow_ups_due(
        request.user, organization, until=today + datetime.timedelta(days=FOLLOW_UP_DAYS)
    )
    to_answer = referrals_to_answer(request.user, organization)
    sent = referrals_sent(
        request.user, organization, decided_since=today - datetime.timedelta(days=DECIDED_DAYS)
    )
    return {
        "employer_service": organization.kind == OrganizationKind.CORPORATE_SOCIAL_SERVICE,
        "today": [a for a in appointments if timezone.localtime(a.starts_at).date() == today],
        "tomorrow": [a for a in appointments if timezone.localtime(a.starts_at).date() != today],
        "overdue": list(overdue[:SHOWN]),
        "overdue_count": overdue.count(),
        "follow_ups": list(follow_ups[:SHOWN]),
        "follow_ups_count": follow_ups.count(),
        "to_answer": list(to_answer[:SHOWN]),
        "to_answer_count": to_answer.count(),
        "sent": list(sent[:SHOWN]),
        "sent_count": sent.count(),
    }
