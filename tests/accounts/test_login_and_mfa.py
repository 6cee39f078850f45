import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from ancrage.accounts.enums import Role
from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "un-mot-de-passe-solide"


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_login_with_email_password_then_totp_code(client):
    membership = MembershipFactory(
        role=Role.COUNSELLOR, user__email="elodie@exemple.fr", user__mfa_secret=SECRET
    )
    response = client.post(
        reverse("account_login"), {"login": "Elodie@Exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(SECRET)})
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert membership.organization.name in home.text


def test_a_team_member_without_mfa_is_sent_to_set_it_up(client):
    MembershipFactory(role=Role.COUNSELLOR, user__with_mfa=False, user__email="sans-mfa@exemple.fr")
    response = client.post(
        reverse("account_login"), {"login": "sans-mfa@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a security change, even right after login.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.text  # the QR code to scan


def test_a_partner_without_access_to_personal_data_needs_no_mfa(client):
    membership = MembershipFactory(role=Role.PARTNER, user__with_mfa=False)
    client.force_login(membership.user)
    assert client.get(reverse("core:home")).status_code == 200


@override_settings(DEMO=True)
def test_on_a_demo_instance_mfa_is_not_required_and_a_banner_says_so(client):
    membership = MembershipFactory(role=Role.COUNSELLOR, user__with_mfa=False)
    client.force_login(membership.user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "Instance de démonstration" in response.text


def test_api_session_without_mfa_is_refused(client):
    membership = MembershipFactory(role=Role.ADMIN, user__with_mfa=False)
    client.force_login(membership.user)
    response = client.get(reverse("api:organization-list"))
    assert response.status_code == 403
    assert "double authentification" in response.json()["detail"]


def test_repeated_failures_lock_the_account(client):
    UserFactory(email="cible@exemple.fr")
    for _ in range(5):
        client.post(
            reverse("account_login"),
            {"login": "cible@exemple.fr", "password": "mauvais-mot-de-passe"},
        )
    response = client.post(
        reverse("account_login"), {"login": "cible@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-12", "12 caractères"),
        ("q1w2e3r4t5y6", "trop courant"),
        ("123456789012345", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused_in_french(password, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert any(message in m for m in excinfo.value.messages)


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from ancrage.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_public_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "intrus@exemple.fr", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not UserFactory._meta.model.objects.filter(email="intrus@exemple.fr").exists()


def test_forgotten_password_sends_a_reset_link_that_sets_a_new_password(client):
    from django.core import mail

    UserFactory(email="oubli@exemple.fr")
    client.post(reverse("account_reset_password"), {"email": "oubli@exemple.fr"})
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/compte/password/reset/key/" in line
    )
    path = link[link.index("/compte/") :].strip()
    response = client.get(path, follow=True)
    new = "une-phrase-de-passe-neuve"
    client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else path,
        {"password1": new, "password2": new},
    )
    assert UserFactory._meta.model.objects.get(email="oubli@exemple.fr").check_password(new)
