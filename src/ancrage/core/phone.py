"""Phone numbers typed as people type them ("06 12 34 56 78"), stored as E.164 ("+33612345678")."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def to_e164(text: str, region: str = "FR") -> str:
    """Normalise a phone number; blank stays blank; anything else invalid raises a French error."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Numéro de téléphone invalide : saisissez par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """``+33612345678`` → ``06 12 34 56 78`` for French numbers, international format otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
