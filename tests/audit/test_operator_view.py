"""Platform operators administer the platform, not people's files: the audit log's admin shows who
did what and which fields changed, never a person's name, phone or birth date (issue 15, gap 4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from ancrage.audit.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_audit_admin_shows_no_personal_value(client, world):
    person = PersonFactory(
        organization=world.org,
        first_name="Ysaline",
        last_name="Quérnec",
        phone="0611223344",
        birth_date=datetime.date(2003, 4, 5),
    )
    event = AuditEvent.objects.for_object(person).get(action="create")
    operator = UserFactory(is_staff=True, is_superuser=True, with_mfa=True)
    client.force_login(operator)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert listing.status_code == detail.status_code == 200
    for page in (listing.text, detail.text):
        for value in ("Ysaline", "Quérnec", "QUÉRNEC", "611223344", "2003-04-05", "05/04/2003"):
            assert value not in page
    assert "birth_date" in detail.text and f"fiche n° {person.pk}" in detail.text


def test_the_platforms_own_objects_stay_readable(client, world):
    operator = UserFactory(is_staff=True, is_superuser=True, with_mfa=True)
    client.force_login(operator)
    event = AuditEvent.objects.for_object(world.org).get(action="create")
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert escape(world.org.name) in detail.text
