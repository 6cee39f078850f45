"""Passwords: Django's checks, plus one for the password that is only the user's own name with a few
digits or signs around it (« Martin2026! »), which the similarity check lets through when the name
is short next to the password."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ancrage.core.text import fold


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalpha())


class NameInPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        first = _letters(getattr(user, "first_name", "") or "")
        last = _letters(getattr(user, "last_name", "") or "")
        local = _letters((getattr(user, "email", "") or "").split("@")[0])
        names = {n for n in (first, last, first + last, last + first, local) if len(n) >= 3}
        if _letters(password) in names:
            raise ValidationError(
                _("Le mot de passe ne peut pas être votre nom avec quelques chiffres ou signes."),
                code="password_is_name",
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe ne peut pas être votre nom avec quelques chiffres.")
