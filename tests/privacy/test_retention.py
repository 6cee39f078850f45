"""The RGPD lifecycle: 2 years without activity → archived (admins only), 5 years → anonymised,
with nothing left that names the person, in the file or in the audit trail, and the figures of
past years unchanged."""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from ancrage.audit.models import AuditEvent
from ancrage.indicators.models import Aggregate
from ancrage.indicators.rollup import refresh_stale, refresh_year
from ancrage.people.services import restore_person
from ancrage.privacy import retention
from ancrage.privacy.models import RetentionPolicy
from ancrage.support.services import (
    open_enrollment,
    record_contact,
)
from tests.people.factories import PersonFactory
from tests.privacy.files import EMAIL, FIRST, LAST, at, rich_file


def _text_values_naming(needles: list[str]) -> list[str]:
    """Every text or JSON value, in every table, that holds one of ``needles``."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*(f.attname for f in fields)):
            text = " ".join(str(v) for v in row).casefold()
            found += [f"{model._meta.label}: {n}" for n in needles if n.casefold() in text]
    return found


def test_two_years_archive_five_years_anonymise_and_nothing_names_them(world, counsellor):
    person = rich_file(world, counsellor)
    needles = [LAST, FIRST, "612345678", EMAIL, "Gédéon", "062019A01234", "2001-04-17"]
    with at(datetime.date(2020, 1, 15)):
        refresh_year(2019)
    figures_2019 = sorted(
        Aggregate.objects.filter(period__year=2019).values_list(
            "indicator", "grain", "period", "scope", "organization_id", "category", "value"
        )
    )
    assert figures_2019, "the year 2019 has figures to keep"

    # 23 months after the exit: still active.
    with at(datetime.date(2021, 5, 27)):
        assert person.pk not in retention.apply().archive
    # Two years after the exit (the last activity): archived.
    with at(datetime.date(2021, 6, 29)):
        result = retention.apply()
    assert result.archive == [person.pk] and result.anonymise == []
    person.refresh_from_db()
    assert person.archived_on == datetime.date(2021, 6, 29) and person.anonymised_on is None

    # Five years on: anonymised.
    with at(datetime.date(2024, 6, 29)):
        result = retention.apply()
    assert result.anonymise == [person.pk]
    person.refresh_from_db()
    assert person.anonymised_on == datetime.date(2024, 6, 29)
    assert (person.last_name, person.first_name, person.phone, person.email) == ("", "", "", "")
    assert person.birth_date == datetime.date(2001, 7, 1)  # the year stays, for the age bands
    assert person.identity_key == ""
    assert str(person) == f"Personne anonymisée n° {person.pk}"
    # Nothing, in any table (the audit trail included), names them any more.
    assert _text_values_naming(needles) == []
    assert not AuditEvent.objects.filter(changes__icontains=LAST).exists()
    # The notes about them are gone; the dated facts stay for the statistics.
    assert person.enrollments.get().steps.count() == 1
    assert not apps.get_model("support", "Note").objects.exists()
    # The figures of 2019 did not move, and nothing was marked for a recount.
    refresh_stale()
    assert (
        sorted(
            Aggregate.objects.filter(period__year=2019).values_list(
                "indicator", "grain", "period", "scope", "organization_id", "category", "value"
            )
        )
        == figures_2019
    )


def test_an_archived_file_is_for_admins_only_and_can_be_given_back(world, counsellor):
    person = rich_file(world, counsellor)
    with at(datetime.date(2021, 7, 1)):
        retention.apply()
        client = Client()
        client.force_login(counsellor)
        detail = reverse("people:person_detail", args=[person.pk])
        assert client.get(detail).status_code == 404
        assert LAST not in client.get(reverse("people:person_list")).text
        assert detail not in client.get(reverse("people:person_list"), {"q": LAST}).text
        # Nor through the records about them: their enrollment, their contacts.
        enrollment = person.enrollments.get()
        page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk]))
        assert page.status_code == 404
        assert LAST.upper() not in client.get(reverse("support:contact_list")).text
        client.force_login(world.owner)  # the organization's admin
        page = client.get(detail)
        assert page.status_code == 200
        assert "archivée le 01/07/2021" in page.text
        response = client.post(reverse("privacy:person_restore", args=[person.pk]))
        assert response.status_code == 302
        client.force_login(counsellor)
        assert client.get(detail).status_code == 200
        # Given back: a new activity, the next run leaves it alone.
        assert person.pk not in retention.apply().archive


def test_open_support_or_recent_activity_keeps_a_file_active(world, counsellor):
    with at(datetime.date(2019, 1, 10)):
        open_file = PersonFactory(organization=world.org)
        open_enrollment(
            person=open_file,
            referent=counsellor,
            requested_on=datetime.date(2019, 1, 10),
            actor=counsellor,
        )
        recent = PersonFactory(organization=world.org)
        quiet = PersonFactory(organization=world.org)
    with at(datetime.date(2020, 12, 1)):
        record_contact(
            organization=world.org,
            actor=counsellor,
            channel="phone",
            subjects=["housing"],
            outcome="information",
            person=recent,
        )
    with at(datetime.date(2021, 6, 1)):
        assert retention.apply().archive == [quiet.pk]


def test_an_organization_may_shorten_its_durations_within_the_bounds(world, counsellor):
    with at(datetime.date(2019, 1, 10)):
        person = PersonFactory(organization=world.org)
        elsewhere = PersonFactory(organization=world.other_org)
    RetentionPolicy.objects.create(
        organization=world.org, archive_after_months=12, anonymise_after_months=36
    )
    with at(datetime.date(2020, 1, 11)):
        assert retention.apply().archive == [person.pk]  # not the other organization's
    with at(datetime.date(2022, 1, 11)):
        assert retention.apply().anonymise == [person.pk]
    elsewhere.refresh_from_db()  # the defaults: archived after 24 months, not yet anonymised
    assert elsewhere.archived_on == datetime.date(2022, 1, 11) and elsewhere.anonymised_on is None


def test_dry_run_says_what_it_would_do_and_does_nothing(world, counsellor):
    with at(datetime.date(2019, 1, 10)):
        person = PersonFactory(organization=world.org)
    out = io.StringIO()
    with at(datetime.date(2021, 6, 1)):
        call_command("retention", "--dry-run", stdout=out)
    assert "1 fiche(s) seraient archivée(s), 0 anonymisée(s)" in out.getvalue()
    person.refresh_from_db()
    assert person.archived_on is None
    out = io.StringIO()
    with at(datetime.date(2021, 6, 1)):
        call_command("retention", stdout=out)
    assert "1 fiche(s) ont été archivée(s)" in out.getvalue()


def test_a_bad_date_for_the_command_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("retention", "--date", "2026-13-45")


def test_restore_is_refused_for_a_file_that_is_not_archived(world):
    person = PersonFactory(organization=world.org)
    with pytest.raises(Exception, match="pas archivée"):
        restore_person(person=person, actor=world.owner)


def test_expired_audit_events_login_failures_and_sessions_are_purged(world):
    from axes.models import AccessAttempt

    with at(datetime.date(2019, 1, 10)):
        ancient_write = AuditEvent.objects.create(
            action="update", content_type_id=1, object_id="1", actor_label="système"
        )
    with at(datetime.date(2024, 1, 10)):
        old_view = AuditEvent.objects.create(
            action="view", content_type_id=1, object_id="1", actor_label="système"
        )
        old_write = AuditEvent.objects.create(
            action="update", content_type_id=1, object_id="1", actor_label="système"
        )
        AccessAttempt.objects.create(
            username="x@exemple.fr",
            ip_address="127.0.0.1",
            user_agent="test",
            failures_since_start=1,
            get_data="",
            post_data="",
        )
    Session.objects.create(
        session_key="expire",
        session_data="",
        expire_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    recent = AuditEvent.objects.create(
        action="view", content_type_id=1, object_id="1", actor_label="système"
    )
    result = retention.apply()
    assert result.audit_events >= 2 and result.login_records == 1 and result.sessions >= 1
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old_view.pk not in remaining  # a consultation: one year
    assert old_write.pk in remaining  # a write: six years
    assert ancient_write.pk not in remaining
    assert recent.pk in remaining
    assert not AccessAttempt.objects.exists()
    assert not Session.objects.filter(session_key="expire").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_delete_recent_audit_events(world):
    from django.db import DatabaseError, transaction

    event = AuditEvent.objects.create(
        action="view", content_type_id=1, object_id="1", actor_label="système"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


DAILY = [
    "ancrage.privacy.tasks.apply_retention",
    "ancrage.imports.tasks.forget_old_imports",
    "ancrage.outreach.tasks.forget_prospects",
    "ancrage.support.tasks.notify_due_today",
    "ancrage.funding.tasks.notify_funding_deadlines",
    "ancrage.funding.tasks.forget_old_access_requests",
    "ancrage.partnerships.tasks.remind_charter_signatories",
    "ancrage.partnerships.tasks.notify_partner_agreements_ending",
    "ancrage.partnerships.tasks.remind_pathway_modules",
    "ancrage.notifications.tasks.send_daily_summaries",
    "ancrage.notifications.tasks.forget_old_notifications",
]


def test_the_worker_queues_the_retention_run_once_a_day(db):
    from ancrage.core.management.commands.worker import queue_daily_tasks

    with at(datetime.date(2026, 3, 1), hour=3):
        assert queue_daily_tasks() == DAILY
        assert queue_daily_tasks() == []  # the same day: already queued
    with at(datetime.date(2026, 3, 2), hour=2):
        assert queue_daily_tasks() == []  # 23 hours later
    with at(datetime.date(2026, 3, 2), hour=4):
        assert queue_daily_tasks() == DAILY
