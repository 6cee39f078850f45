"""Members are told what concerns them: in the application (the bell) and by e-mail, as each
chose; an e-mail never holds more than a first name and a link."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.notifications import services
from ancrage.notifications.models import Notification, Preference
from ancrage.support.notices import notify_due_today
from ancrage.support.services import (
    accept_referral,
    refuse_referral,
    schedule_appointment,
    send_referral,
)
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.api.clients import token_client
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory, StepFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 25, 8, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lyon(db):
    """The employer's social service refers an employee to the association's counsellors."""
    service = OrganizationFactory(
        kind=OrganizationKind.CORPORATE_SOCIAL_SERVICE, name="Service social Salariés Rhône"
    )
    association = OrganizationFactory(name="Toit Partagé Rhône")
    social = MembershipFactory(
        organization=service, role=Role.COUNSELLOR, user__first_name="Karima"
    ).user
    counsellor = MembershipFactory(
        organization=association,
        role=Role.COUNSELLOR,
        user__first_name="Élodie",
        user__email="elodie@exemple.fr",
    ).user
    reader = MembershipFactory(organization=association, role=Role.READ_ONLY).user
    person = PersonFactory(
        organization=service,
        first_name="Samir",
        last_name="Benoît",
        situation="employee_permanent",
    )
    return service, association, social, counsellor, reader, person


def _send(lyon, django_capture_on_commit_callbacks):
    service, association, social, _counsellor, _reader, person = lyon
    with django_capture_on_commit_callbacks(execute=True):
        return send_referral(
            person=person,
            receiver=association,
            purpose="Logement temporaire après une séparation",
            shared_fields=["last_name", "first_name", "situation"],
            consent_on=datetime.date(2026, 11, 25),
            actor=social,
        )


def test_a_referral_sent_tells_the_receiving_counsellor_in_the_app_and_by_email(
    lyon, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _service, _association, _social, counsellor, reader, _person = lyon
    services.set_email_mode(user=counsellor, email_mode="immediate")
    referral = _send(lyon, django_capture_on_commit_callbacks)

    # In the application: the bell counts it, the list shows it, opening it leads to the referral.
    client = Client()
    client.force_login(counsellor)
    home = client.get(reverse("core:home")).content.decode()
    assert (
        '<span class="badge rounded-pill text-bg-warning">1<span class="visually-hidden"> non lue'
        in home
    )
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Service social Salariés Rhône vous oriente Samir." in page
    notification = Notification.objects.get(recipient=counsellor)
    opened = client.get(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("support:referral_detail", args=[referral.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None

    # By e-mail, at once as chosen: a first name (the recipient's) and links, nothing else.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["elodie@exemple.fr"]
    assert email.subject == "Ancrage : orientation reçue"
    assert "Bonjour Élodie" in email.body
    assert f"/notifications/{notification.pk}/ouvrir/" in email.body
    for secret in (
        "Benoît",
        "BENOÎT",
        "Samir",
        "séparation",
        "Salarié",
        "employee",
        "Service social",
    ):
        assert secret not in email.body and secret not in email.subject, secret

    # A read-only member cannot answer a referral: not told.
    assert not Notification.objects.filter(recipient=reader).exists()


def test_the_daily_summary_gathers_the_unread_news_in_one_email(
    lyon, django_capture_on_commit_callbacks
):
    _service, association, social, counsellor, _reader, person = lyon
    _send(lyon, django_capture_on_commit_callbacks)  # no preference: the daily summary
    assert mail.outbox == []
    services.notify(
        recipients=[counsellor],
        organization=association,
        kind="step_due",
        message="Dossier APL pour Inès : échéance le 25/11/2026.",
        link="/",
        key="step:1:20261125",
    )
    assert services.send_daily_summaries() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Ancrage : 2 nouvelles notifications"
    assert "Inès" not in mail.outbox[0].body and "APL" not in mail.outbox[0].body
    # Sent once: the next day's summary has nothing new to say.
    assert services.send_daily_summaries() == 0
    assert len(mail.outbox) == 1


def test_whoever_chose_never_gets_no_email(lyon, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    counsellor = lyon[3]
    services.set_email_mode(user=counsellor, email_mode="never")
    _send(lyon, django_capture_on_commit_callbacks)
    assert services.send_daily_summaries() == 0
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=counsellor).count() == 1


def test_the_sender_is_told_of_the_answer(lyon, django_capture_on_commit_callbacks):
    _service, _association, social, counsellor, _reader, _person = lyon
    referral = _send(lyon, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        accept_referral(referral=referral, actor=counsellor)
    told = Notification.objects.get(recipient=social)
    assert told.kind == "referral_accepted"
    assert told.message == "Toit Partagé Rhône a accepté l'orientation de Samir."


def test_a_refusal_is_told_too(lyon, django_capture_on_commit_callbacks):
    _service, _association, social, counsellor, _reader, _person = lyon
    referral = _send(lyon, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        refuse_referral(referral=referral, reason="Hors de notre territoire", actor=counsellor)
    told = Notification.objects.get(recipient=social)
    assert told.kind == "referral_refused"
    assert "Hors de notre territoire" not in told.message


def test_the_morning_scan_tells_each_due_thing_once(world):
    counsellor = MembershipFactory(organization=world.org, role=Role.COUNSELLOR).user
    person = PersonFactory(organization=world.org, first_name="Inès")
    StepFactory(
        enrollment=EnrollmentFactory(organization=world.org, referent=counsellor, person=person),
        due_on=datetime.date(2026, 11, 25),
    )
    StepFactory(  # due two years ago: history, not news
        enrollment=EnrollmentFactory(organization=world.org, referent=counsellor),
        due_on=datetime.date(2024, 11, 25),
    )
    schedule_appointment(
        person=person,
        counsellor=counsellor,
        starts_at=NOW + datetime.timedelta(days=1),
        actor=counsellor,
    )
    assert notify_due_today() == 2
    assert notify_due_today() == 0
    messages = sorted(
        Notification.objects.filter(recipient=counsellor).values_list("message", flat=True)
    )
    assert messages == [
        "Dossier APL / CAF pour Inès : échéance le 25/11/2026.",
        "Rendez-vous demain à 08:30 avec Inès.",
    ]


def test_a_member_sees_only_their_own_notifications(world):
    services.notify(
        recipients=[world.owner],
        organization=world.org,
        kind="referral_received",
        message="Toit Partagé Rhône vous oriente Samir.",
        link="/",
        key="k",
    )
    notification = Notification.objects.get()
    url = reverse("notifications:open", args=[notification.pk])
    for user, expected in ((world.owner, 302), (world.colleague, 404), (world.outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == expected
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    assert reverse("account_login") in Client().get(url)["Location"]
    # Through the API, the same.
    assert (
        token_client(world.colleague).get(f"/api/v1/notifications/{notification.pk}/").status_code
        == 404
    )
    listed = token_client(world.owner).get("/api/v1/notifications/?unread=true").json()
    assert listed["count"] == 0  # read by opening it above


def test_the_api_reads_and_marks_and_sets_the_preference(world):
    services.notify(
        recipients=[world.owner],
        organization=world.org,
        kind="step_due",
        message="Démarche",
        link="/",
        key="one",
    )
    client = token_client(world.owner)
    listed = client.get("/api/v1/notifications/?unread=true").json()
    assert listed["count"] == 1 and listed["results"][0]["read"] is False
    assert client.post_json("/api/v1/notifications/read-all/", {}).json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert client.get("/api/v1/notifications/preferences/").json() == {"email_mode": "daily"}
    assert (
        client.patch_json(
            "/api/v1/notifications/preferences/", {"email_mode": "hourly"}
        ).status_code
        == 400
    )
    assert not Preference.objects.exists()
    response = client.patch_json("/api/v1/notifications/preferences/", {"email_mode": "never"})
    assert response.json() == {"email_mode": "never"}


def test_the_preference_form_refuses_an_unknown_mode_and_writes_nothing(world):
    client = Client()
    client.force_login(world.owner)
    response = client.post(reverse("notifications:preferences"), {"email_mode": "hourly"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Preference.objects.exists()
    response = client.post(reverse("notifications:preferences"), {"email_mode": "immediate"})
    assert response.status_code == 302
    assert Preference.objects.get().email_mode == "immediate"


def test_the_list_keeps_a_constant_number_of_queries(world, count_queries):
    client = Client()
    client.force_login(world.owner)

    def add(n, start):
        for i in range(n):
            services.notify(
                recipients=[world.owner],
                organization=world.org,
                kind="step_due",
                message="Démarche",
                link="/",
                key=f"k{start + i}",
            )

    add(1, 0)
    client.get(reverse("notifications:list"))
    few = count_queries(lambda: client.get(reverse("notifications:list")))
    add(25, 1)
    assert count_queries(lambda: client.get(reverse("notifications:list"))) == few


def test_old_notifications_are_forgotten(world):
    def told(key):
        return services.notify(
            recipients=[world.owner],
            organization=world.org,
            kind="step_due",
            message="Dossier APL pour Inès.",
            link="/",
            key=key,
        )[0]

    with time_machine.travel(NOW - datetime.timedelta(days=400), tick=False):
        unread_old = told("a")
    with time_machine.travel(NOW - datetime.timedelta(days=100), tick=False):
        read_old = told("b")
        unread_recent = told("c")
        services.mark_read(user=world.owner, notification=read_old)
    fresh = told("d")
    services.mark_read(user=world.owner, notification=fresh)
    assert services.forget_old_notifications() == 2
    kept = set(Notification.objects.values_list("pk", flat=True))
    assert kept == {unread_recent.pk, fresh.pk}
    assert unread_old.pk not in kept and read_old.pk not in kept
