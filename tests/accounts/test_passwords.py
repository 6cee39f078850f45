"""A password that is the user's own name with a digit or two is refused (issue 15, gap 9)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["Quentinbeaumont1", "beaumont-quentin-2026", "QuentinBeaumont!!7", "q.beaumont12345"],
)
def test_the_users_name_with_digits_is_refused(password):
    user = UserFactory(first_name="Quentin", last_name="Beaumont", email="q.beaumont@exemple.fr")
    with pytest.raises(ValidationError, match="votre nom"):
        validate_password(password, user)


def test_a_password_that_merely_contains_a_name_part_is_accepted():
    user = UserFactory(first_name="Léa", last_name="Roux", email="lea.roux@exemple.fr")
    validate_password("Paléontologie-des-roux-2026", user)
