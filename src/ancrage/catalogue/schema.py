"""A service as a data·inclusion record, both ways, and the check of a record against the
published schema (the ``Service`` model of ``data-inclusion-schema``) with the French message of
each fault, named by the schema's field.

Exports write the schema's field names in its order; lists hold codes; what is empty is left out
(``null``), as the schema says. An import reads the same shape (JSON: a list of records; CSV: one
record a line, lists as codes separated by commas), so that an export imported again gives back
the same services."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ancrage.catalogue import hours
from ancrage.catalogue.models import SOURCE, Service
from ancrage.catalogue.vocabulary import EVERYONE, FRANCE, label, schema_module
from ancrage.core.listing import FORMULA_STARTS, neutralise
from ancrage.core.tabular import ReadError, decode_csv, sniff_dialect

# The schema's fields, in its order, and ours.
FIELDS: tuple[tuple[str, str], ...] = (
    ("source", "source"),
    ("structure_id", "structure_ref"),
    ("id", "source_id"),
    ("nom", "name"),
    ("description", "description"),
    ("lien_source", "source_url"),
    ("date_maj", "updated_on"),
    ("type", "kind"),
    ("thematiques", "themes"),
    ("frais", "fees"),
    ("frais_precisions", "fees_details"),
    ("publics", "publics"),
    ("publics_precisions", "publics_details"),
    ("conditions_acces", "access_conditions"),
    ("commune", "commune_name"),
    ("code_postal", "postal_code"),
    ("code_insee", "insee_code"),
    ("adresse", "address"),
    ("complement_adresse", "address_complement"),
    ("longitude", "longitude"),
    ("latitude", "latitude"),
    ("telephone", "phone"),
    ("courriel", "email"),
    ("modes_accueil", "reception_modes"),
    ("zone_eligibilite", "eligibility_zone"),
    ("contact_nom_prenom", "contact_name"),
    ("lien_mobilisation", "mobilisation_url"),
    ("modes_mobilisation", "mobilisation_modes"),
    ("mobilisable_par", "mobilisable_by"),
    ("mobilisation_precisions", "mobilisation_details"),
    ("volume_horaire_hebdomadaire", "weekly_hours"),
    ("nombre_semaines", "weeks"),
    ("horaires_accueil", "opening_hours"),
)
SCHEMA_NAME = dict((ours, theirs) for theirs, ours in FIELDS)
OUR_NAME = dict(FIELDS)
LISTS = {
    "thematiques",
    "publics",
    "modes_accueil",
    "zone_eligibilite",
    "modes_mobilisation",
    "mobilisable_par",
}
NUMBERS = {"longitude", "latitude", "volume_horaire_hebdomadaire"}
INTEGERS = {"nombre_semaines"}
MAX_RECORDS = 20_000
# A country of the Code officiel géographique (99100 France, 99101 Danemark… up to 99514).
COUNTRY = re.compile(r"99[0-5]\d{2}")


@dataclass
class Fault:
    """One thing wrong in a record: its number in the file (line of a CSV, position in a JSON
    list, from 1), the schema's field (or « » for the record), the French reason."""

    record: int
    field: str
    message: str


@dataclass
class Checked:
    """A record read and checked: our field values when it is valid, its faults otherwise."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.faults


# ---------------------------------------------------------------------------------------------
# Services → records


def structure_id(service: Service) -> str:
    return service.structure_ref or f"{SOURCE}--{service.organization_id}"


def service_id(service: Service) -> str:
    return service.source_id or f"{SOURCE}--{service.pk}"


def to_record(service: Service) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for theirs, ours in FIELDS:
        if theirs == "structure_id":
            value: Any = structure_id(service)
        elif theirs == "id":
            value = service_id(service)
        else:
            value = getattr(service, ours)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if value in ("", [], None):
            value = None
        record[theirs] = value
    return record


def to_json(services: Iterable[Service]) -> bytes:
    records = [to_record(service) for service in services]
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def to_csv(services: Iterable[Service]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([theirs for theirs, _ours in FIELDS])
    for service in services:
        record = to_record(service)
        writer.writerow([_cell(record[theirs]) for theirs, _ours in FIELDS])
    return out.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    if isinstance(value, float):
        return repr(value)
    # Text a spreadsheet would run as a formula gets a leading apostrophe, taken off on import.
    return neutralise(str(value))


# ---------------------------------------------------------------------------------------------
# Files → records


def read_file(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """The records of an uploaded file with their number (a CSV's line, a JSON list's position);
    ``ReadError`` with a French message when the file cannot be read at all."""
    if len(data) > 10 * 1024 * 1024:
        raise ReadError(_("Le fichier dépasse 10 Mo : découpez-le."))
    if not data.strip():
        raise ReadError(_("Le fichier est vide."))
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if filename.lower().endswith(".json") or stripped[:1] in (b"[", b"{"):
        return _read_json(data)
    return _read_csv(data)


def _read_json(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReadError(_("JSON illisible : le fichier doit être encodé en UTF-8.")) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = f" (ligne {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ReadError(_("JSON mal formé%(detail)s.") % {"detail": detail}) from None
    if not isinstance(loaded, list):
        raise ReadError(_("Le fichier JSON doit contenir une liste de services ([…])."))
    return records_of(loaded)


def records_of(items: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    """Records sent as a list (a JSON file, an API body), numbered from 1."""
    if len(items) > MAX_RECORDS:
        raise ReadError(
            _("Plus de %(max)s services dans un seul envoi : découpez le fichier.")
            % {"max": MAX_RECORDS}
        )
    return [(number, item) for number, item in enumerate(items, start=1)]


def _read_csv(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), sniff_dialect(text))
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise ReadError(_("CSV mal formé : %(error)s.") % {"error": exc}) from None
    if not lines:
        raise ReadError(_("Le fichier est vide."))
    headers = [header.strip() for header in lines[0]]
    known = [header for header in headers if header in OUR_NAME]
    if "nom" not in known or "id" not in known:
        raise ReadError(
            _(
                "Colonnes du schéma data·inclusion absentes : la première ligne doit nommer les "
                "champs (source, structure_id, id, nom, description, date_maj…)."
            )
        )
    if len(lines) - 1 > MAX_RECORDS:
        raise ReadError(
            _("Plus de %(max)s services dans un seul envoi : découpez le fichier.")
            % {"max": MAX_RECORDS}
        )
    records = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue
        record: dict[str, Any] = {}
        for header, cell in zip(headers, line, strict=False):
            if header not in OUR_NAME:
                continue
            cell = cell.strip()
            if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
                cell = cell[1:]
            if cell == "":
                record[header] = None
            elif header in LISTS:
                record[header] = _list_cell(cell)
            else:
                record[header] = cell
        records.append((number, record))
    return records


def _list_cell(cell: str) -> Any:
    if cell.startswith("["):
        try:
            return json.loads(cell)
        except json.JSONDecodeError:
            return cell  # the check names the field
    separator = ";" if ";" in cell and "," not in cell else ","
    return [item.strip() for item in cell.split(separator) if item.strip()]


# ---------------------------------------------------------------------------------------------
# Checking


def check(items: list[tuple[int, Any]], *, today: datetime.date) -> list[Checked]:
    """Each record checked against the schema, the official geographic code and the opening
    hours' grammar; valid ones carry our field values."""
    codes = _known_codes(items)
    return [_check_one(number, item, codes, today) for number, item in items]


def _check_one(number: int, item: Any, codes: set[str], today: datetime.date) -> Checked:
    checked = Checked(number)
    if not isinstance(item, dict):
        checked.faults.append(Fault(number, "", _("Un service doit être un objet JSON ({…}).")))
        return checked
    import pydantic

    model = schema_module().Service
    try:
        parsed = model.model_validate(item, context={"ignore_warnings": True})
    except pydantic.ValidationError as exc:
        seen: set[tuple[str, Any]] = set()
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            name = str(loc[0]) if loc else ""
            place = (name, loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None)
            if place in seen:
                continue  # one fault per field (or list item), not one per branch of a union
            seen.add(place)
            checked.faults.append(Fault(number, name, _message(name, dict(error))))
        return checked
    except (TypeError, ValueError, RecursionError):
        checked.faults.append(Fault(number, "", _("Service illisible.")))
        return checked
    if parsed.date_maj > today:
        checked.faults.append(Fault(number, "date_maj", _("La date ne peut pas être à venir.")))
    for code in item.get("zone_eligibilite") or []:
        if str(code) not in codes:
            checked.faults.append(
                Fault(
                    number,
                    "zone_eligibilite",
                    _(
                        "Code « %(code)s » inconnu du Code officiel géographique (commune, EPCI, "
                        "département, pays 99xxx ou « france »)."
                    )
                    % {"code": str(code)[:20]},
                )
            )
    insee = item.get("code_insee")
    if insee and str(insee) not in codes:
        checked.faults.append(
            Fault(
                number,
                "code_insee",
                _("Code commune « %(code)s » inconnu du Code officiel géographique.")
                % {"code": str(insee)[:20]},
            )
        )
    if parsed.horaires_accueil:
        reason = hours.check(parsed.horaires_accueil)
        if reason:
            checked.faults.append(Fault(number, "horaires_accueil", reason))
    if checked.faults:
        return checked
    checked.values = _values(parsed, item)
    return checked


def _values(parsed: Any, item: dict[str, Any]) -> dict[str, Any]:
    """Our field values from a valid record; lists keep the record's order (the schema's sets do
    not), without repeats."""
    values: dict[str, Any] = {}
    for theirs, ours in FIELDS:
        value = getattr(parsed, theirs)
        if theirs in LISTS:
            value = _ordered([str(code) for code in item.get(theirs) or []])
        elif value is None:
            value = None if theirs in NUMBERS | INTEGERS else ""
        elif theirs in ("lien_source", "lien_mobilisation"):
            value = str(item.get(theirs) or "").strip()
        elif hasattr(value, "value"):
            value = value.value  # an enumeration
        elif isinstance(value, str):
            value = value.strip()
        values[ours] = value
    return values


def _ordered(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(code.strip() for code in codes))


def _known_codes(items: list[tuple[int, Any]]) -> set[str]:
    """The codes the records name that the Code officiel géographique knows (one query)."""
    from ancrage.core.models import Territory

    wanted: set[str] = set()
    for _number, item in items:
        if not isinstance(item, dict):
            continue
        zone = item.get("zone_eligibilite")
        if isinstance(zone, list):
            wanted.update(str(code) for code in zone if isinstance(code, str | int))
        if isinstance(item.get("code_insee"), str):
            wanted.add(item["code_insee"])
    known = {code for code in wanted if code in FRANCE or COUNTRY.fullmatch(code)}
    lookup = [code for code in wanted - known if len(code) <= 9]
    for start in range(0, len(lookup), 500):
        known.update(
            Territory.objects.filter(code__in=lookup[start : start + 500]).values_list(
                "code", flat=True
            )
        )
    return known


def _message(name: str, error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    loc = error.get("loc") or ()
    given = error.get("input")
    if kind == "missing":
        return _("Champ obligatoire.")
    if kind == "enum" or (name in LISTS and kind in ("literal_error", "string_pattern_mismatch")):
        if name == "zone_eligibilite":
            return _(
                "Code « %(code)s » mal formé (commune, EPCI, département, pays ou « france »)."
            ) % {"code": str(given)[:20]}
        return _("Valeur « %(value)s » absente du vocabulaire data·inclusion.") % {
            "value": str(given)[:60]
        }
    if kind in ("string_too_short", "too_short"):
        if name in LISTS:
            return _("Au moins une valeur (ou rien).")
        return _("Trop court (%(min)s caractères au moins).") % {
            "min": context.get("min_length", "")
        }
    if kind in ("string_too_long", "too_long"):
        return _("Trop long (%(max)s caractères au plus).") % {"max": context.get("max_length", "")}
    if kind == "string_pattern_mismatch":
        return _("Format invalide : « %(value)s ».") % {"value": str(given)[:20]}
    if kind.startswith("url"):
        return _("Adresse web invalide (https://…).")
    if kind.startswith(("date", "datetime")):
        return _("Date invalide (AAAA-MM-JJ).")
    if kind.startswith(("float", "int", "finite")) or kind == "decimal_parsing":
        return _("Nombre attendu.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Doit valoir au moins %(limit)s.") % {
            "limit": context.get("ge", context.get("gt", ""))
        }
    if kind in ("list_type", "set_type", "iterable_type"):
        return _("Liste de codes attendue.")
    if kind == "string_type":
        return _("Texte attendu.")
    if kind == "value_error":
        if name == "courriel":
            return _("Adresse électronique invalide.")
        if name == "publics":
            return _("« %(everyone)s » ne se combine avec aucun autre public.") % {
                "everyone": label("publics", EVERYONE)
            }
        reason = str(context.get("error") or error.get("msg", ""))
        return reason.removeprefix("Value error, ") or _("Valeur invalide.")
    if len(loc) > 1 and name in LISTS:
        return _("Valeur « %(value)s » invalide.") % {"value": str(given)[:60]}
    return _("Valeur invalide.")
