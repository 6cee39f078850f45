"""Targets never followed are forgotten after their program's retention period; those who asked
not to be contacted keep only that wish; the people followed stay; the files go."""

from __future__ import annotations

import datetime

import pytest

from ancrage.outreach import services
from ancrage.outreach.models import Prospect, ProspectImport
from tests.outreach.conftest import csv_of, line

pytestmark = pytest.mark.django_db


def test_idle_targets_go_after_the_programs_retention_period(outreach, time_machine):
    time_machine.move_to("2025-03-02 10:00 +01:00")
    outreach.load(csv_of(line("A"), line("B"), line("C"), line("D")))
    day = datetime.date(2025, 3, 2)
    volunteer = outreach.world.owner
    a, b, c, d = (Prospect.objects.get(tenant_ref=ref) for ref in "ABCD")
    services.record_attempt(
        prospect=b, channel="call", outcome="do_not_contact", occurred_on=day, actor=volunteer
    )
    services.record_consent(prospect=c, on=day, actor=volunteer)
    services.convert_prospect(prospect=c, pathway="insertion", actor=volunteer)
    # D is contacted again in the autumn: its activity starts the count again.
    time_machine.move_to("2025-10-01 10:00 +02:00")
    services.record_attempt(
        prospect=d,
        channel="call",
        outcome="unreachable",
        occurred_on=datetime.date(2025, 10, 1),
        actor=volunteer,
    )
    time_machine.move_to("2026-03-03 03:00 +01:00")
    result = services.forget_prospects()
    assert result["deleted"] == 1 and result["minimised"] == 1
    assert not Prospect.objects.filter(pk=a.pk).exists()
    b.refresh_from_db()
    assert (b.status, b.tenant_ref, b.last_name, b.phone, b.birth_year) == (
        "do_not_contact",
        "B",
        "",
        "",
        None,
    )
    assert Prospect.objects.filter(pk=c.pk, status="converted").exists()
    assert Prospect.objects.filter(pk=d.pk).exists()
    # A shorter period set on the program.
    outreach.program.outreach_retention_months = 3
    outreach.program.save()
    assert services.forget_prospects()["deleted"] == 1
    assert not Prospect.objects.filter(pk=d.pk).exists()
    # Nothing left to do the next day.
    assert services.forget_prospects() == {"deleted": 0, "minimised": 0, "files": 0, "jobs": 0}


def test_a_checked_file_is_kept_seven_days_and_its_report_ninety(outreach, time_machine):
    time_machine.move_to("2026-01-05 10:00 +01:00")
    job = outreach.load(csv_of(line("A")), dry_run=True)
    assert job.file
    time_machine.move_to("2026-01-13 10:00 +01:00")
    assert services.forget_prospects()["files"] == 1
    job.refresh_from_db()
    assert not job.file
    time_machine.move_to("2026-04-06 10:00 +02:00")
    assert services.forget_prospects()["jobs"] == 1
    assert not ProspectImport.objects.exists()
