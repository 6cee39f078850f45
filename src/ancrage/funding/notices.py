"""What funding tells members each morning (through ``ancrage.notifications``): agreements ending
within 90 days (time to renew them), annual reports due at the end of the first quarter."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.queries import members_allowed
from ancrage.funding.models import Agreement
from ancrage.indicators.enums import ReportStatus
from ancrage.indicators.queries import annual_report_of
from ancrage.notifications.enums import NotificationKind
from ancrage.notifications.services import notify

RENEWAL_NOTICE_DAYS = 90
# Reports are due on 31 March: told from 1 March, and again once late.
REPORT_NOTICE_DAYS = 30


def notify_agreements_ending(today: datetime.date | None = None) -> int:
    """Both parties of an agreement ending within 90 days are told once."""
    today = today or timezone.localdate()
    told = 0
    ending = Agreement.objects.filter(
        ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
    ).select_related("funder", "beneficiary", "program")
    for agreement in ending:
        message = _("La convention %(program)s avec %(other)s prend fin le %(day)s : à renouveler.")
        link = reverse("funding:agreement_detail", args=[agreement.pk])
        for organization, other, action in (
            (agreement.funder, agreement.beneficiary, "funding.decide"),
            (agreement.beneficiary, agreement.funder, "indicators.write_report"),
        ):
            told += len(
                notify(
                    recipients=members_allowed(organization, action),
                    organization=organization,
                    kind=NotificationKind.AGREEMENT_ENDING,
                    message=message
                    % {
                        "program": agreement.program.name,
                        "other": other.name,
                        "day": f"{agreement.ends_on:%d/%m/%Y}",
                    },
                    link=link,
                    key=f"agreement:{agreement.pk}:ending",
                )
            )
    return told


def notify_reports_due(today: datetime.date | None = None) -> int:
    """The beneficiary of an agreement covering last year is told from 1 March that last year's
    report is due on 31 March, and once more if it is not handed in on 1 April."""
    today = today or timezone.localdate()
    year = today.year - 1
    due = datetime.date(today.year, 3, 31)
    if today < due - datetime.timedelta(days=REPORT_NOTICE_DAYS) or today.month > 6:
        return 0
    stage = "late" if today > due else "soon"
    told = 0
    beneficiaries = {
        a.beneficiary
        for a in Agreement.objects.filter(
            starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1)
        ).select_related("beneficiary")
    }
    for organization in sorted(beneficiaries, key=lambda o: o.pk):
        report = annual_report_of(organization, year)
        if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            continue
        message = (
            _("Le bilan %(year)d n'est pas remis : il était attendu le %(day)s.")
            if stage == "late"
            else _("Le bilan %(year)d est à remettre au financeur au plus tard le %(day)s.")
        )
        told += len(
            notify(
                recipients=members_allowed(organization, "indicators.write_report"),
                organization=organization,
                kind=NotificationKind.REPORT_DUE,
                message=message % {"year": year, "day": f"{due:%d/%m/%Y}"},
                link=reverse("indicators:annual_report", args=[organization.pk, year]),
                key=f"report:{organization.pk}:{year}:{stage}",
            )
        )
    return told


# An access request holds a contact person's name and e-mail: kept one year (data-protection.md).
ACCESS_REQUEST_DAYS = 365


def forget_old_access_requests(now: datetime.datetime | None = None) -> int:
    from ancrage.funding.models import AccessRequest

    now = now or timezone.now()
    deleted, _ = AccessRequest.objects.filter(
        created_at__lt=now - datetime.timedelta(days=ACCESS_REQUEST_DAYS)
    ).delete()
    return deleted
