import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ancrage.people.models import Person
from ancrage.support import services
from ancrage.support.models import Enrollment, Referral
from tests.people.factories import PersonFactory, ResourceFactory
from tests.support.factories import EnrollmentFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def send(client, person, receiver, **overrides):
    data = {
        "receiver": receiver.pk,
        "purpose": "Accès à une pension de famille",
        "shared_fields": ["last_name", "first_name", "phone", "monthly_resources"],
        "consent_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return client.post(reverse("support:referral_create", args=[person.pk]), data)


def test_the_sender_shares_only_what_was_ticked_and_the_receiver_accepts(client, world):
    person = PersonFactory(
        organization=world.org,
        last_name="Durand",
        first_name="Karim",
        phone="+33611223344",
        email="karim@exemple.fr",
    )
    ResourceFactory(person=person, monthly_amount=1200)
    client.force_login(world.owner)
    response = send(client, person, world.other_org)
    referral = Referral.objects.get()
    assert response["Location"] == reverse("support:referral_detail", args=[referral.pk])
    assert referral.shared_data == {
        "last_name": "Durand",
        "first_name": "Karim",
        "phone": "+33611223344",
        "monthly_resources": "1200.00",
    }

    client.force_login(world.outsider)  # admin of the receiving organization
    page = client.get(reverse("support:referral_detail", args=[referral.pk]))
    assert "06 11 22 33 44" in page.text
    assert "1\u202f200,00\u00a0€" in page.text
    assert "karim@exemple.fr" not in page.text
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404

    response = client.post(
        reverse("support:referral_decide", args=[referral.pk]), {"decision": "accept"}
    )
    referral.refresh_from_db()
    assert referral.status == "accepted"
    received = Person.objects.get(organization=world.other_org)
    assert (received.last_name, received.first_name, received.phone, received.email) == (
        "Durand",
        "Karim",
        "+33611223344",
        "",
    )
    enrollment = Enrollment.objects.get(organization=world.other_org)
    assert enrollment.person == received and enrollment.referent == world.outsider
    assert response["Location"] == reverse("support:enrollment_detail", args=[enrollment.pk])


def test_the_sender_sees_the_status_but_never_the_receivers_file(client, world):
    referral = ReferralFactory(sender=world.org, receiver=world.other_org)
    services.accept_referral(referral=referral, actor=world.outsider)
    services.add_note(
        enrollment=Referral.objects.get().receiver_enrollment,
        body="Note du partenaire.",
        visibility="team",
        actor=world.outsider,
    )
    client.force_login(world.owner)
    page = client.get(reverse("support:referral_detail", args=[referral.pk]))
    assert "Acceptée" in page.text
    assert "Voir l&#x27;accompagnement ouvert" not in page.text
    enrollment_id = Referral.objects.get().receiver_enrollment_id
    assert client.get(reverse("support:enrollment_detail", args=[enrollment_id])).status_code == 404


def test_a_refusal_needs_a_reason_the_sender_then_reads(client, world):
    referral = ReferralFactory(sender=world.org, receiver=world.other_org)
    client.force_login(world.outsider)
    client.post(
        reverse("support:referral_decide", args=[referral.pk]), {"decision": "refuse", "reason": ""}
    )
    referral.refresh_from_db()
    assert referral.status == "sent"
    client.post(
        reverse("support:referral_decide", args=[referral.pk]),
        {"decision": "refuse", "reason": "Pas de place avant mars."},
    )
    client.force_login(world.owner)
    assert (
        "Pas de place avant mars."
        in client.get(reverse("support:referral_detail", args=[referral.pk])).text
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent_on": ""}, "Le consentement de la personne est obligatoire."),
        ({"shared_fields": ["phone"]}, "Le nom et le prénom sont nécessaires"),
        ({"purpose": ""}, "Ce champ est obligatoire."),
    ],
)
def test_a_referral_without_consent_or_identity_is_not_sent(client, world, overrides, message):
    person = PersonFactory(organization=world.org)
    client.force_login(world.owner)
    response = send(client, person, world.other_org, **overrides)
    assert message in response.text
    assert Referral.objects.count() == 0


def test_a_referral_is_answered_once(world):
    referral = ReferralFactory(sender=world.org, receiver=world.other_org)
    services.accept_referral(referral=referral, actor=world.outsider)
    with pytest.raises(Exception, match="déjà reçu une réponse"):
        services.refuse_referral(referral=referral, reason="Trop tard", actor=world.outsider)


def test_accepting_reuses_the_person_the_receiver_already_follows(world):
    existing = PersonFactory(organization=world.other_org, last_name="Durand", first_name="Karim")
    EnrollmentFactory(organization=world.other_org, person=existing, referent=world.outsider)
    referral = ReferralFactory(
        sender=world.org,
        receiver=world.other_org,
        person=PersonFactory(
            organization=world.org,
            last_name="DURAND",
            first_name="karim",
            birth_date=existing.birth_date,
        ),
        shared_data={
            "last_name": "DURAND",
            "first_name": "karim",
            "birth_date": existing.birth_date.isoformat(),
        },
    )
    services.accept_referral(referral=referral, actor=world.outsider)
    assert Person.objects.filter(organization=world.other_org).count() == 1
    assert Enrollment.objects.filter(organization=world.other_org).count() == 1


def test_third_organizations_see_nothing_and_the_sender_cannot_decide(client, world):
    from tests.accounts.factories import MembershipFactory, OrganizationFactory

    referral = ReferralFactory(sender=world.org, receiver=world.other_org)
    stranger = MembershipFactory(organization=OrganizationFactory(), role="admin").user
    client.force_login(stranger)
    assert client.get(reverse("support:referral_detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("support:referral_list")).context["page"].count == 0
    client.force_login(world.owner)
    assert (
        client.post(
            reverse("support:referral_decide", args=[referral.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )


def test_referral_list_keeps_a_constant_query_count(client, world, count_queries):
    client.force_login(world.owner)
    url = reverse("support:referral_list")
    ReferralFactory(sender=world.org, receiver=world.other_org)
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    ReferralFactory.create_batch(20, sender=world.org, receiver=world.other_org)
    ReferralFactory.create_batch(20, sender=world.other_org, receiver=world.org)
    assert count() == one


def test_api_shows_direction_and_only_shared_data(client, world):
    sent = ReferralFactory(sender=world.org, receiver=world.other_org)
    client.force_login(world.outsider)
    data = client.get(reverse("api:referral-detail", args=[sent.pk])).json()
    assert data["direction"] == "received"
    assert set(data["shared_data"]) == {"last_name", "first_name"}
    assert "person" not in data
    client.force_login(world.owner)
    assert client.get(reverse("api:referral-detail", args=[sent.pk])).json()["direction"] == "sent"


def test_accepting_with_a_joint_assessment_leads_to_it_and_the_sender_sees_the_date(client, world):
    referral = ReferralFactory(sender=world.org, receiver=world.other_org)
    client.force_login(world.outsider)  # admin of the receiving organization
    response = client.post(
        reverse("support:referral_decide", args=[referral.pk]),
        {"decision": "accept", "joint_assessment": "on"},
    )
    referral.refresh_from_db()
    assert response.url == reverse("support:assessment_add", args=[referral.receiver_enrollment_id])
    form = client.get(response.url).context["form"]
    assert form.initial["joint_with"] == world.org.pk
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "housing_cost": "0",
        "fixed_charges": "0",
        "joint_with": world.org.pk,
        **{
            f"{d}_priority": "none"
            for d in (
                "housing",
                "budget",
                "mobility",
                "health",
                "employment",
                "rights",
                "daily_life",
            )
        },
    }
    client.post(response.url, data)
    client.force_login(world.owner)  # the sender
    page = client.get(reverse("support:referral_detail", args=[referral.pk]))
    assert f"réalisé le {timezone.localdate():%d/%m/%Y}" in page.text
    assert "Priorité" not in page.text  # the date, never the content of the assessment


def test_a_joint_assessment_is_with_another_organization(world):
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    with pytest.raises(ValidationError) as exc:
        services.record_assessment(
            enrollment=enrollment,
            assessed_on=timezone.localdate(),
            priorities={},
            joint_with=world.org,
            actor=world.owner,
        )
    assert "joint_with" in exc.value.message_dict
