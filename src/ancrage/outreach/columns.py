"""The columns of a landlord's extract and their checks, written once as SQL that PostgreSQL and
SQLite both run on the staging table (see ``loading``): what a cell must look like, and the value
it becomes. Only these columns are kept; any other column of the file is never stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.core.text import fold

TRUE_WORDS = ("oui", "o", "vrai", "1", "x", "yes", "true")
FALSE_WORDS = ("non", "n", "faux", "0", "no", "false")
GROUND_FLOOR = ("rdc", "rez-de-chaussée", "rez-de-chaussee", "rez de chaussée")
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"


@dataclass(frozen=True)
class Column:
    key: str  # the default header, and the name the mapping refers to
    label: Any
    kind: str  # ref, text, year, commune, phone, bool, floor, amount
    field: str  # the Prospect field it fills
    required: bool = False
    max_length: int = 0
    help: Any = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        gettext_lazy("Référence locataire"),
        "ref",
        "tenant_ref",
        required=True,
        max_length=64,
        help=gettext_lazy("Unique dans le fichier : un nouvel envoi met la ligne à jour."),
    ),
    Column("nom", gettext_lazy("Nom"), "text", "last_name", required=True, max_length=100),
    Column("prenom", gettext_lazy("Prénom"), "text", "first_name", max_length=100),
    Column(
        "naissance",
        gettext_lazy("Date ou année de naissance"),
        "year",
        "birth_year",
        help=gettext_lazy("JJ/MM/AAAA, AAAA-MM-JJ ou AAAA ; seule l'année est gardée."),
    ),
    Column("adresse", gettext_lazy("Adresse"), "text", "address", max_length=200),
    Column(
        "commune",
        gettext_lazy("Code commune (INSEE)"),
        "commune",
        "commune_id",
        required=True,
        help=gettext_lazy("Le code INSEE à 5 caractères, pas le code postal."),
    ),
    Column("telephone", gettext_lazy("Téléphone"), "phone", "phone"),
    Column("seul", gettext_lazy("Vit seul·e"), "bool", "lives_alone"),
    Column(
        "etage",
        gettext_lazy("Étage"),
        "floor",
        "floor",
        help=gettext_lazy("Un nombre ; « RDC » pour le rez-de-chaussée."),
    ),
    Column("ascenseur", gettext_lazy("Ascenseur"), "bool", "has_lift"),
    Column("logement_adapte", gettext_lazy("Logement adapté"), "bool", "unit_adapted"),
    Column("demandeur_emploi", gettext_lazy("Demandeur·se d'emploi"), "bool", "job_seeker"),
    Column(
        "impayes",
        gettext_lazy("Impayés (€)"),
        "amount",
        "arrears_cents",
        help=gettext_lazy("Montant en euros, par exemple 1250,50."),
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}


def locate(headers: list[str], mapping: dict[str, str]) -> tuple[dict[str, int], list[Column]]:
    """Where each column is in the file (by the landlord's mapping, the key or the label, case
    and accents ignored), and the required ones missing."""
    folded = [fold(header) for header in headers]
    found: dict[str, int] = {}
    missing = []
    for column in COLUMNS:
        names = {fold(mapping.get(column.key, "")), fold(column.key), fold(str(column.label))}
        names.discard("")
        index = next((i for i, header in enumerate(folded) if header in names), None)
        if index is not None:
            found[column.key] = index
        elif column.required:
            missing.append(column)
    return found, missing


class Dialect:
    """The few places where PostgreSQL and SQLite spell SQL differently."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor

    def matches(self, value: str, pattern: str) -> str:
        operator = "~" if self.vendor == "postgresql" else "REGEXP"
        return f"({value} {operator} {quote(pattern)})"

    def differs(self, left: str, right: str) -> str:
        operator = "IS DISTINCT FROM" if self.vendor == "postgresql" else "IS NOT"
        return f"({left} {operator} {right})"


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def words(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote(value) for value in values) + ")"


AMOUNT = "^[0-9]{1,7}([.,][0-9]{1,2})?$"  # below 10 million euros: cents fit an integer
DIGITS = "0123456789"

# The checks avoid regular expressions where a string function does (a million lines go through
# each of them): ``ltrim(x, '0123456789') = ''`` says « only digits » on both databases.


def digits(text: str) -> str:
    return f"(ltrim({text}, '{DIGITS}') = '')"


def _int(text: str) -> str:
    return f"CAST({text} AS INTEGER)"


def _valid_date(year: str, month: str, day: str, this_year: int) -> str:
    y, m, d = _int(year), _int(month), _int(day)
    leap = f"(({y} / 4) * 4 = {y} AND (({y} / 100) * 100 <> {y} OR ({y} / 400) * 400 = {y}))"
    days = (
        f"CASE WHEN {m} IN (4, 6, 9, 11) THEN 30 WHEN {m} = 2 THEN "
        f"CASE WHEN {leap} THEN 29 ELSE 28 END ELSE 31 END"
    )
    return (
        f"CASE WHEN {digits(year)} AND {digits(month)} AND {digits(day)} THEN "
        f"({y} BETWEEN 1900 AND {this_year} AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {days}) "
        f"ELSE FALSE END"
    )


def _dmy(x: str) -> str:
    return f"(length({x}) = 10 AND substr({x}, 3, 1) = '/' AND substr({x}, 6, 1) = '/')"


def _ymd(x: str) -> str:
    return f"(length({x}) = 10 AND substr({x}, 5, 1) = '-' AND substr({x}, 8, 1) = '-')"


def _year_of(x: str) -> str:
    return (
        f"CASE WHEN length({x}) = 4 THEN {_int(x)} "
        f"WHEN substr({x}, 3, 1) = '/' THEN {_int(f'substr({x}, 7, 4)')} "
        f"ELSE {_int(f'substr({x}, 1, 4)')} END"
    )


def _amount(x: str) -> str:
    return f"replace(replace(replace({x}, ' ', ''), '€', ''), ',', '.')"


def checks(
    column: Column, x: str, dialect: Dialect, *, control_characters: bool = True
) -> list[tuple[str, str]]:
    """The SQL conditions that refuse a cell ``x`` (NULL when blank), each with its message.
    ``control_characters``: whether the file has any (when not, that check is left out). The
    commune's check reads the ``commune_id`` the staged lines were joined to."""
    found: list[tuple[str, str]] = []
    if column.required:
        found.append((f"{x} IS NULL", _("Valeur obligatoire.")))
    if column.kind in ("ref", "text"):
        found.append(
            (
                f"length({x}) > {column.max_length}",
                _("Texte trop long (%(max)s caractères au plus).") % {"max": column.max_length},
            )
        )
        found.append(
            (
                f"substr({x}, 1, 1) IN {words(FORMULA_STARTS)}",
                _("Commence par =, +, - ou @ : une formule de tableur n'est pas acceptée."),
            )
        )
        if control_characters:
            found.append((dialect.matches(x, CONTROL), _("Caractères de contrôle refusés.")))
    elif column.kind == "year":
        this_year = timezone.localdate().year
        valid = (
            f"CASE WHEN length({x}) = 4 THEN "
            f"CASE WHEN {digits(x)} THEN {_int(x)} BETWEEN 1900 AND {this_year} ELSE FALSE END "
            f"WHEN {_dmy(x)} THEN "
            f"{_valid_date(f'substr({x}, 7, 4)', f'substr({x}, 4, 2)', f'substr({x}, 1, 2)', this_year)} "
            f"WHEN {_ymd(x)} THEN "
            f"{_valid_date(f'substr({x}, 1, 4)', f'substr({x}, 6, 2)', f'substr({x}, 9, 2)', this_year)} "
            f"ELSE FALSE END"
        )
        found.append(
            (
                f"{x} IS NOT NULL AND NOT ({valid})",
                _(
                    "Date de naissance invalide : JJ/MM/AAAA, AAAA-MM-JJ ou AAAA, entre 1900 et "
                    "cette année."
                ),
            )
        )
    elif column.kind == "commune":
        found.append(
            (
                f"{x} IS NOT NULL AND s.commune_id IS NULL",
                _("Commune inconnue : donnez son code INSEE (5 caractères), pas le code postal."),
            )
        )
    elif column.kind == "phone":
        found.append(
            (
                f"{x} IS NOT NULL AND NOT (length({x}) BETWEEN 6 AND 20 AND "
                f"ltrim(CASE WHEN substr({x}, 1, 1) = '+' THEN substr({x}, 2) ELSE {x} END, "
                f"'{DIGITS} .') = '')",
                _("Numéro de téléphone invalide."),
            )
        )
    elif column.kind == "bool":
        found.append(
            (
                f"{x} IS NOT NULL AND {x} NOT IN ('oui', 'non') "
                f"AND lower({x}) NOT IN {words(TRUE_WORDS + FALSE_WORDS)}",
                _("Oui ou non attendu."),
            )
        )
    elif column.kind == "floor":
        found.append(
            (
                f"{x} IS NOT NULL AND NOT ((length({x}) <= 2 AND {digits(x)}) "
                f"OR (length({x}) BETWEEN 2 AND 3 AND substr({x}, 1, 1) = '-' "
                f"AND {digits(f'substr({x}, 2)')}) OR lower({x}) IN {words(GROUND_FLOOR)})",
                _("Étage invalide : un nombre entier de -99 à 99, ou « RDC »."),
            )
        )
    elif column.kind == "amount":
        found.append(
            (
                f"{x} IS NOT NULL AND NOT {dialect.matches(_amount(x), AMOUNT)}",
                _("Montant invalide : un nombre d'euros, par exemple 1250,50."),
            )
        )
    return found


def value(column: Column, x: str, dialect: Dialect) -> str:
    """The SQL expression of the value stored for a valid cell ``x``."""
    if column.kind in ("ref", "text", "phone"):
        return f"COALESCE({x}, '')"
    if column.kind == "year":
        return _year_of(x)
    if column.kind == "commune":
        return "s.commune_id"  # the staged lines are joined to the communes (see ``loading``)
    if column.kind == "bool":
        return (
            f"CASE WHEN {x} = 'oui' THEN TRUE WHEN {x} = 'non' THEN FALSE "
            f"WHEN lower({x}) IN {words(TRUE_WORDS)} THEN TRUE "
            f"WHEN lower({x}) IN {words(FALSE_WORDS)} THEN FALSE END"
        )
    if column.kind == "floor":
        return f"CASE WHEN lower({x}) IN {words(GROUND_FLOOR)} THEN 0 ELSE {_int(x)} END"
    if column.kind == "amount":
        return f"CAST(ROUND(CAST({_amount(x)} AS NUMERIC) * 100) AS INTEGER)"
    raise ValueError(column.kind)
