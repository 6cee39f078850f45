"""The contacts list sorts by a click and exports exactly what is filtered (audited)."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ancrage.audit.models import AuditEvent
from tests.clients import client_of
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def contacts(world):
    ines = PersonFactory(organization=world.org, first_name="Inès", last_name="Roux")
    return [
        ContactFactory(
            organization=world.org,
            channel="phone",
            person=ines,
            occurred_at=datetime.datetime(2026, 11, 2, 9, 30, tzinfo=PARIS),
        ),
        ContactFactory(
            organization=world.org,
            channel="email",
            occurred_at=datetime.datetime(2026, 11, 5, 14, 0, tzinfo=PARIS),
        ),
        ContactFactory(
            organization=world.org,
            channel="phone",
            occurred_at=datetime.datetime(2026, 10, 1, 11, 0, tzinfo=PARIS),
        ),
        ContactFactory(organization=world.other_org, channel="phone"),
    ]


def test_a_filtered_export_has_the_rows_on_screen_with_their_times(world, contacts):
    filters = {"channel": "phone", "start": "2026-11-01", "end": "2026-11-30"}
    response = client_of(world.owner).get(
        reverse("support:contact_list"), {**filters, "export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Date", "Canal", "Avec", "Sujets", "Suite donnée"]
    assert [r[:3] for r in rows[1:]] == [["02/11/2026 09:30", "Téléphone", "Inès ROUX"]]
    assert AuditEvent.objects.filter(object_repr="export csv de 1").exists()


def test_sorting_by_channel_keeps_the_filters(world, contacts):
    page = (
        client_of(world.owner)
        .get(reverse("support:contact_list"), {"tri": "canal", "start": "2026-11-01"})
        .text
    )
    assert 'aria-sort="ascending"' in page
    assert "tri=-canal" in page and "start=2026-11-01" in page
    body = page[page.index("<tbody>") :]
    assert body.index("E-mail") < body.index("Téléphone")  # « E-mail » before « Téléphone »


def test_bad_dates_are_named_and_list_nothing(world, contacts):
    response = client_of(world.owner).get(reverse("support:contact_list"), {"start": "2026-13-45"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.text
    assert "<tbody>" not in response.text


def test_the_outsider_exports_only_their_own(world, contacts):
    response = client_of(world.outsider).get(reverse("support:contact_list"), {"export": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2  # the header and their one contact
