import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.enums import Role
from ancrage.activities.models import Attendance
from ancrage.audit.models import AuditEvent
from ancrage.people import services
from ancrage.people.models import Person, PersonMerge, SharingObjection
from ancrage.support import services as support_services
from ancrage.support.models import Contact, Enrollment, Referral
from tests.accounts.factories import MembershipFactory
from tests.activities.factories import AttendanceFactory, SessionFactory
from tests.people.factories import PersonFactory, ResourceFactory
from tests.support.factories import ContactFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _refer(world, person):
    return support_services.send_referral(
        person=person,
        receiver=world.other_org,
        purpose="Logement temporaire",
        shared_fields=["last_name", "first_name"],
        consent_on=TODAY,
        actor=world.owner,
    )


# --- Objection to sharing ----------------------------------------------------------------------


def test_an_objection_blocks_referrals_to_that_partner_only(world):
    person = PersonFactory(organization=world.org, first_name="Élodie", last_name="Martin")
    services.record_sharing_objection(
        person=person,
        partner=world.other_org,
        objected_on=datetime.date(2026, 3, 2),
        actor=world.owner,
    )
    with pytest.raises(ValidationError) as exc:
        _refer(world, person)
    message = exc.value.message_dict["receiver"][0]
    assert "Élodie MARTIN s'est opposé·e le 02/03/2026" in message
    assert "Toit Partagé Rhône" in message
    assert not Referral.objects.exists()


def test_withdrawing_the_objection_allows_the_referral_again(client, world):
    person = PersonFactory(organization=world.org)
    client.force_login(world.owner)
    client.post(
        reverse("people:objection_add", args=[person.pk]),
        {"partner": world.other_org.pk, "objected_on": TODAY.isoformat()},
    )
    objection = SharingObjection.objects.get()
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    assert "Toit Partagé Rhône" in page.text
    client.post(reverse("people:objection_remove", args=[person.pk, objection.pk]))
    assert not SharingObjection.objects.exists()
    assert _refer(world, person).status == "sent"


def test_objection_form_errors_name_the_field(client, world):
    person = PersonFactory(organization=world.org)
    client.force_login(world.owner)
    response = client.post(
        reverse("people:objection_add", args=[person.pk]),
        {"partner": world.org.pk, "objected_on": (TODAY + datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    errors = response.context["objection_form"].errors
    assert "partner" in errors
    assert "objected_on" in errors
    assert not SharingObjection.objects.exists()


def test_outsiders_and_read_only_cannot_record_objections(client, world):
    person = PersonFactory(organization=world.org)
    url = reverse("people:objection_add", args=[person.pk])
    data = {"partner": world.other_org.pk, "objected_on": TODAY.isoformat()}
    client.force_login(world.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(world.colleague)
    assert client.post(url, data).status_code == 403
    assert not SharingObjection.objects.exists()


@pytest.mark.parametrize(
    ("wanted", "form_id", "action"),
    [
        ("opposition", "formulaire-opposition", "objection_add"),
        ("document", "formulaire-document", "document_add"),
    ],
)
def test_the_pages_forms_are_drawn_when_their_box_opens(client, world, wanted, form_id, action):
    """The person's page leaves its two forms out until asked (htmx when the box opens, a link
    without it); asked, the form is there and its box open; never for a reader."""
    person = PersonFactory(organization=world.org)
    url = reverse("people:person_detail", args=[person.pk])
    client.force_login(world.owner)
    closed = client.get(url)
    assert f'id="{form_id}"' not in closed.text
    assert f'href="?formulaire={wanted}#{wanted}"' in closed.text
    assert f'hx-get="?formulaire={wanted}"' in closed.text
    opened = client.get(url, {"formulaire": wanted})
    assert f'id="{form_id}"' in opened.text
    assert reverse(f"people:{action}", args=[person.pk]) in opened.text
    assert f'<details id="{wanted}" open>' in opened.text
    assert client.get(url, {"formulaire": "n'importe quoi"}).status_code == 200
    client.force_login(world.colleague)  # read only
    read = client.get(url, {"formulaire": wanted})
    assert read.status_code == 200
    assert f'id="{form_id}"' not in read.text and f'id="{wanted}"' not in read.text
    client.force_login(world.outsider)
    assert client.get(url, {"formulaire": wanted}).status_code == 404
    client.logout()
    assert client.get(url, {"formulaire": wanted}).status_code == 302


# --- Merge -------------------------------------------------------------------------------------


def test_merging_moves_every_record_fills_blanks_and_keeps_a_trace(world):
    kept = PersonFactory(organization=world.org, email="", last_name="Martin", first_name="Élodie")
    duplicate = PersonFactory(
        organization=world.org,
        email="elodie@exemple.fr",
        last_name="MARTIN",
        first_name="Elodie",
        birth_date=kept.birth_date,
    )
    ContactFactory.create_batch(2, organization=world.org, person=duplicate)
    enrollment = EnrollmentFactory(
        organization=world.org,
        person=duplicate,
        referent=world.owner,
        status="refused",
        ended_on=TODAY,
    )
    session = SessionFactory(activity__organization=world.org)
    AttendanceFactory(session=session, person=kept)
    AttendanceFactory(session=session, person=duplicate)
    AttendanceFactory(session__activity__organization=world.org, person=duplicate)
    duplicate_id = duplicate.pk

    merge = services.merge_people(kept=kept, duplicate=duplicate, actor=world.owner)

    kept.refresh_from_db()
    assert kept.email == "elodie@exemple.fr"
    assert Contact.objects.filter(person=kept).count() == 2
    assert Enrollment.objects.get(pk=enrollment.pk).person == kept
    assert Attendance.objects.filter(person=kept).count() == 2  # same session counted once
    assert not Person.objects.filter(pk=duplicate_id).exists()
    assert merge.merged_person_id == duplicate_id
    assert merge.moved["contacts"] == 2
    assert AuditEvent.objects.filter(object_id=str(duplicate_id)).exists()


def test_two_open_enrollments_block_the_merge_and_nothing_moves(world):
    kept = PersonFactory(organization=world.org)
    duplicate = PersonFactory(organization=world.org)
    EnrollmentFactory(organization=world.org, person=kept, referent=world.owner)
    EnrollmentFactory(organization=world.org, person=duplicate, referent=world.owner)
    ContactFactory(organization=world.org, person=duplicate)
    with pytest.raises(ValidationError, match="accompagnement en cours"):
        services.merge_people(kept=kept, duplicate=duplicate, actor=world.owner)
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert Contact.objects.get().person == duplicate
    assert not PersonMerge.objects.exists()


def test_kept_resources_win_over_the_duplicates(world):
    kept = PersonFactory(organization=world.org)
    duplicate = PersonFactory(organization=world.org)
    ResourceFactory(person=kept, monthly_amount=900)
    ResourceFactory(person=duplicate, monthly_amount=100)
    services.merge_people(kept=kept, duplicate=duplicate, actor=world.owner)
    assert [r.monthly_amount for r in kept.resources.all()] == [900]


def test_only_coordination_or_administration_merges_within_one_organization(world):
    counsellor = MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    kept = PersonFactory(organization=world.org)
    with pytest.raises(PermissionDenied):
        services.merge_people(
            kept=kept, duplicate=PersonFactory(organization=world.org), actor=counsellor
        )
    with pytest.raises(ValidationError):
        services.merge_people(
            kept=kept, duplicate=PersonFactory(organization=world.other_org), actor=world.owner
        )


def test_merge_page_compares_then_merges(client, world):
    kept = PersonFactory(organization=world.org, last_name="Martin", first_name="Élodie", email="")
    duplicate = PersonFactory(
        organization=world.org,
        last_name="Martin",
        first_name="Elodie",
        birth_date=kept.birth_date,
        email="e@exemple.fr",
    )
    client.force_login(world.owner)
    url = reverse("people:person_merge", args=[kept.pk])
    assert client.get(url).context["candidates"] == [duplicate]
    comparison = client.get(url + f"?doublon={duplicate.pk}")
    assert "repris" in comparison.text
    response = client.post(url, {"duplicate": duplicate.pk})
    assert response.url == reverse("people:person_detail", args=[kept.pk])
    page = client.get(response.url)
    assert f"Fiche n° {duplicate.pk}" in page.text


def test_merge_page_refuses_a_file_of_another_organization(client, world):
    kept = PersonFactory(organization=world.org)
    stranger = PersonFactory(organization=world.other_org)
    client.force_login(world.owner)
    url = reverse("people:person_merge", args=[kept.pk])
    assert client.get(url + f"?doublon={stranger.pk}").status_code == 404
    assert client.post(url, {"duplicate": stranger.pk}).status_code == 404
    assert Person.objects.filter(pk=stranger.pk).exists()
    client.force_login(world.colleague)
    assert client.get(url).status_code == 403


# --- Timeline ----------------------------------------------------------------------------------


def test_timeline_gathers_contacts_enrollment_steps_appointments_and_sessions(client, world):
    person = PersonFactory(organization=world.org)
    ContactFactory(organization=world.org, person=person)
    enrollment = support_services.open_enrollment(
        person=person, referent=world.owner, requested_on=TODAY, actor=world.owner
    )
    support_services.add_step(enrollment=enrollment, kind="visale", actor=world.owner)
    support_services.schedule_appointment(
        person=person,
        counsellor=world.owner,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        actor=world.owner,
    )
    AttendanceFactory(
        session__activity__organization=world.org,
        session__activity__title="Trouver son logement",
        person=person,
    )
    client.force_login(world.owner)
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    kinds = [str(entry.kind) for entry in page.context["timeline"]]
    assert kinds[0] == "Rendez-vous"  # the future appointment comes first
    assert set(kinds) == {
        "Contact",
        "Accompagnement",
        "Démarche",
        "Rendez-vous",
        "Action collective",
    }
    assert "Trouver son logement" in page.text


def test_person_page_query_count_does_not_grow_with_the_history(client, world, count_queries):
    person = PersonFactory(organization=world.org)
    ContactFactory(organization=world.org, person=person)
    AttendanceFactory(session__activity__organization=world.org, person=person)
    url = reverse("people:person_detail", args=[person.pk])
    client.force_login(world.owner)
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    ContactFactory.create_batch(49, organization=world.org, person=person)
    for _ in range(49):
        AttendanceFactory(session__activity__organization=world.org, person=person)
    services.record_sharing_objection(person=person, partner=world.other_org, actor=world.owner)
    assert count() == one


def test_numbers_that_identify_records_are_never_grouped_by_thousands(client, world):
    """With thousands separators on, 2319 must not become "2 319" in an address or a form value."""

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), 12344)")
    kept = PersonFactory(
        organization=world.org, pk=None if connection.vendor == "postgresql" else 12345
    )
    duplicate = PersonFactory(
        organization=world.org,
        birth_date=kept.birth_date,
        last_name=kept.last_name,
        first_name=kept.first_name,
    )
    client.force_login(world.owner)
    page = client.get(reverse("people:person_merge", args=[kept.pk]) + f"?doublon={duplicate.pk}")
    assert f'name="duplicate" value="{duplicate.pk}"' in page.text
    detail = client.get(reverse("people:person_detail", args=[kept.pk]))
    assert f"?personne={kept.pk}" in detail.text
