"""Every read of personal data is in the audit trail, lists included (issue 15, gap 3): an API page
of persons, contacts, enrollments, steps, bookings or charges writes one event with the ids it
returned, under the organization whose files they are, and no contents."""

import datetime

import pytest
from django.urls import reverse

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent
from ancrage.audit.recorder import LIST_OBJECT_ID
from ancrage.housing import services as housing
from tests.api.test_api_scoping import token_client
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory, EnrollmentFactory, StepFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2027, 1, 4)


def _booking(world):
    return housing.book_weeks(
        person=PersonFactory(organization=world.org),
        bed=BedFactory(unit__residence__organization=world.org),
        weeks=[MONDAY],
        actor=world.owner,
    )


def _charges(world):
    booking = _booking(world)
    return housing.generate_charges(booking=booking, through=MONDAY, actor=world.owner)[0]


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("api:person-list", lambda w: PersonFactory(organization=w.org, last_name="Lisible")),
        ("api:contact-list", lambda w: ContactFactory(organization=w.org)),
        ("api:enrollment-list", lambda w: EnrollmentFactory(organization=w.org, referent=w.owner)),
        (
            "api:step-list",
            lambda w: StepFactory(enrollment__organization=w.org, enrollment__referent=w.owner),
        ),
        ("api:booking-list", _booking),
        ("api:charge-list", _charges),
    ],
)
def test_an_api_list_writes_one_event_with_the_ids_read(world, url_name, make):
    records = [make(world), make(world)]
    client = token_client(world.owner)
    client.get(reverse("api:organization-list"))  # the token's first use is recorded apart
    before = AuditEvent.objects.count()
    response = client.get(reverse(url_name), {"limit": 500})
    assert response.status_code == 200
    returned = {str(row["id"]) for row in response.json()["results"]}
    assert returned >= {str(r.pk) for r in records}
    [event] = AuditEvent.objects.order_by("id")[before:]
    assert (event.action, event.object_id, event.actor) == (
        AuditAction.VIEW,
        LIST_OBJECT_ID,
        world.owner,
    )
    assert event.organization_id == world.org.pk
    assert set(event.changes["ids"]) == returned
    assert "Lisible" not in str(event.changes) + event.object_repr  # ids, never contents


def test_a_single_record_read_through_the_api_is_recorded(world):
    contact = ContactFactory(organization=world.org)
    client = token_client(world.owner)
    client.get(reverse("api:organization-list"))
    assert client.get(reverse("api:contact-detail", args=[contact.pk])).status_code == 200
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id) == (AuditAction.VIEW, str(contact.pk))


def test_an_outsiders_empty_list_names_no_one(world):
    PersonFactory(organization=world.org)
    client = token_client(world.outsider)
    client.get(reverse("api:organization-list"))
    before = AuditEvent.objects.count()
    assert client.get(reverse("api:person-list")).json()["results"] == []
    assert AuditEvent.objects.count() == before  # nothing read, nothing to record


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("people:person_list", lambda w: PersonFactory(organization=w.org)),
        ("support:contact_list", lambda w: ContactFactory(organization=w.org)),
    ],
)
def test_a_page_listing_files_writes_one_event_with_the_ids_shown(client, world, url_name, make):
    records = [make(world) for _ in range(3)]
    client.force_login(world.owner)
    assert client.get(reverse(url_name)).status_code == 200
    [event] = AuditEvent.objects.filter(object_id=LIST_OBJECT_ID)
    assert set(event.changes["ids"]) == {str(r.pk) for r in records}
    assert event.organization_id == world.org.pk
