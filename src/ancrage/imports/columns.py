"""The columns of each kind of sheet, and how a cell becomes a value.

A column has a key (the default header, also the name the mapping refers to), a French label for
the report, and a parser. Choices accept the code or the label as the pages show it, whatever the
case and accents (« Téléphone », « telephone », « phone »). Dates accept 2025-03-04, 04/03/2025 and
the spreadsheet's own dates."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.activities.enums import ActivityKind
from ancrage.core.models import EXTERNAL_REF_MAX
from ancrage.core.text import fold
from ancrage.imports.enums import SheetKind
from ancrage.people.enums import HousingSituation, Situation
from ancrage.support.enums import AgeBand, Channel, Direction, ExitOutcome, Outcome, Subject


class CellError(Exception):
    """A cell's value is refused; the message says why (the report adds line and column)."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    parse: Parser
    required: bool = False


def text(max_length: int) -> Parser:
    def parse(value: Any) -> str:
        result = "" if value is None else str(value).strip()
        if len(result) > max_length:
            raise CellError(
                _("Texte trop long (%(max)s caractères au plus).") % {"max": max_length}
            )
        if any(not ch.isprintable() and ch not in "\n\t" for ch in result):
            raise CellError(_("Caractères de contrôle refusés."))
        return result

    return parse


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), (3, 2, 1)),
)
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})(?::(\d{2}))?$")


def _date_from_text(raw: str) -> datetime.date:
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return datetime.date(int(match[y]), int(match[m]), int(match[d]))
            except ValueError:
                break
    raise CellError(_("Date illisible « %(value)s » : JJ/MM/AAAA attendu.") % {"value": raw[:30]})


def parse_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = str(value).strip()
    if "T" in raw or " " in raw:
        raw = re.split(r"[T ]", raw, maxsplit=1)[0]
    return _date_from_text(raw)


def parse_datetime(value: Any) -> datetime.datetime | None:
    """A day and, if given, a time (local time); a day alone is taken at noon."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(12))
    else:
        raw = str(value).strip()
        pieces = re.split(r"[T ]+", raw, maxsplit=1)
        day_part = pieces[0]
        time_part = pieces[1] if len(pieces) > 1 else ""
        day = _date_from_text(day_part)
        if time_part:
            time_part = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", time_part)
            match = _TIME.match(time_part)
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise CellError(
                    _("Heure illisible « %(value)s » : HH:MM attendu.") % {"value": time_part[:20]}
                )
            moment = datetime.datetime.combine(day, datetime.time(int(match[1]), int(match[2])))
        else:
            moment = datetime.datetime.combine(day, datetime.time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def choice(choices: type[TextChoices], *, blank: bool = True) -> Parser:
    lookup: dict[str, str] = {}
    for code, label in choices.choices:
        lookup[fold(code)] = code
        lookup[fold(str(label))] = code

    seen: dict[str, str] = {}  # a file repeats the same few values on every line

    def parse(value: Any) -> str:
        raw = "" if value is None else str(value).strip()
        if raw in seen:
            return seen[raw]
        if not raw:
            if blank:
                return ""
            raise CellError(_("Valeur obligatoire."))
        code = lookup.get(fold(raw))
        if code is None:
            raise CellError(
                _("Valeur inconnue « %(value)s » ; possibles : %(choices)s.")
                % {
                    "value": raw[:40],
                    "choices": ", ".join(str(label) for _c, label in choices.choices),
                }
            )
        if len(seen) < 1000:
            seen[raw] = code
        return code

    return parse


def choices_list(choices: type[TextChoices]) -> Parser:
    one = choice(choices, blank=False)

    def parse(value: Any) -> list[str]:
        raw = "" if value is None else str(value)
        return [one(part) for part in re.split(r"[,;|/]", raw) if part.strip()]

    return parse


_TRUE = {"oui", "o", "vrai", "true", "1", "x", "yes"}
_FALSE = {"non", "n", "faux", "false", "0", "no", ""}


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = fold("" if value is None else str(value))
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("Oui ou non attendu."))


def integer(minimum: int, maximum: int) -> Parser:
    def parse(value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError:
            raise CellError(_("Nombre attendu.")) from None
        if number != int(number) or not minimum <= number <= maximum:
            raise CellError(
                _("Nombre entier entre %(min)s et %(max)s attendu.")
                % {"min": minimum, "max": maximum}
            )
        return int(number)

    return parse


def commune_code(value: Any) -> str:
    raw = "" if value is None else str(value).strip()
    if raw.endswith(".0"):  # a code typed as a number in a spreadsheet
        raw = raw[:-2]
    if raw and len(raw) == 4 and raw.isdigit():
        raw = "0" + raw  # the leading zero a spreadsheet drops (01…09)
    if raw and not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", raw):
        raise CellError(
            _("Code INSEE de commune attendu (5 caractères), pas « %(value)s ».")
            % {"value": raw[:20]}
        )
    return raw


REF = text(EXTERNAL_REF_MAX)
L = gettext_lazy

COLUMNS: dict[str, list[Column]] = {
    SheetKind.PERSONS: [
        Column("ref", L("référence"), REF, True),
        Column("nom", L("nom"), text(150), True),
        Column("prenom", L("prénom"), text(150), True),
        Column("date_naissance", L("date de naissance"), parse_date),
        Column("telephone", L("téléphone"), text(30)),
        Column("email", L("e-mail"), text(254)),
        Column("commune", L("commune (code INSEE)"), commune_code),
        Column("situation", L("situation"), choice(Situation)),
        Column("logement", L("situation de logement"), choice(HousingSituation)),
        Column("autre_personne", L("autre personne (malgré une fiche ressemblante)"), boolean),
    ],
    SheetKind.CONTACTS: [
        Column("ref", L("référence"), REF, True),
        Column("date", L("date et heure"), parse_datetime, True),
        Column("sens", L("sens"), choice(Direction)),
        Column("canal", L("canal"), choice(Channel, blank=False), True),
        Column("sujets", L("sujets"), choices_list(Subject), True),
        Column("resultat", L("suite donnée"), choice(Outcome, blank=False), True),
        Column("personne", L("personne (référence)"), REF),
        Column("partenaire", L("structure partenaire"), text(200)),
        Column("permanence", L("permanence"), text(150)),
        Column("tranche_age", L("tranche d'âge"), choice(AgeBand)),
        Column("commune", L("commune (code INSEE)"), commune_code),
        Column("situation", L("situation"), choice(Situation)),
    ],
    SheetKind.ENROLLMENTS: [
        Column("ref", L("référence"), REF, True),
        Column("personne", L("personne (référence)"), REF, True),
        Column("demande_le", L("date de la demande"), parse_date, True),
        Column("diagnostic_le", L("début du diagnostic"), parse_date),
        Column("debut_le", L("début de l'accompagnement"), parse_date),
        Column("refus_le", L("date du refus"), parse_date),
        Column("motif_refus", L("motif du refus"), text(300)),
        Column("abandon_le", L("date de l'abandon"), parse_date),
    ],
    SheetKind.EXITS: [
        Column("accompagnement", L("accompagnement (référence)"), REF, True),
        Column("date", L("date de sortie"), parse_date, True),
        Column("situation", L("situation à la sortie"), choice(ExitOutcome, blank=False), True),
        Column("pret_logement", L("prêt au logement"), boolean),
    ],
    SheetKind.ACTIVITIES: [
        Column("ref", L("référence"), REF, True),
        Column("type", L("type d'action"), choice(ActivityKind, blank=False), True),
        Column("titre", L("titre"), text(200), True),
        Column("description", L("description"), text(2000)),
    ],
    SheetKind.SESSIONS: [
        Column("ref", L("référence"), REF, True),
        Column("action", L("action (référence)"), REF, True),
        Column("debut", L("date et heure"), parse_datetime, True),
        Column("duree_minutes", L("durée (minutes)"), integer(5, 24 * 60)),
        Column("lieu", L("lieu"), text(200)),
        Column("non_nommes", L("participant·es non nommé·es"), integer(0, 10000)),
    ],
    SheetKind.ATTENDANCE: [
        Column("seance", L("séance (référence)"), REF, True),
        Column("personne", L("personne (référence)"), REF, True),
    ],
}
