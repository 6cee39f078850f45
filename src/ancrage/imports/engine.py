"""The import itself: every line of every sheet through the same services as the pages and the
API, in the order sheets refer to one another; a report of every refused line (sheet, line,
column, reason); all or nothing, or the valid lines only; a dry run writes nothing at all.

Lines are re-sent safely: a record whose reference is already known is left as it is (a person
whose fields changed is updated), so importing the same file twice creates nothing the second
time. Indicators are not refreshed line by line: the months touched are marked once at the end
and one refresh is queued."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from ancrage.accounts.models import Organization
from ancrage.accounts.queries import partner_lookup
from ancrage.activities import services as activities
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.core.models import Territory
from ancrage.core.tabular import Table
from ancrage.core.text import fold
from ancrage.imports.columns import COLUMNS, CellError, Column
from ancrage.imports.enums import Mode, SheetKind
from ancrage.indicators.services import refresh_after_bulk_write
from ancrage.indicators.signals import refresh_paused
from ancrage.people import services as people
from ancrage.people.models import Person
from ancrage.people.queries import names_look_alike
from ancrage.support import services as support
from ancrage.support.models import Contact, Desk, Enrollment

ORDER = list(SheetKind.values)
Progress = Callable[[int, int], None]


@dataclass
class Problem:
    sheet: str
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Result:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    total_lines: int = 0
    written: bool = False

    def count(self, kind: str, what: str, by: int = 1) -> None:
        sheet = self.counts.setdefault(
            kind, {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        )
        sheet[what] += by

    def uncount(self, kind: str, what: str) -> None:
        self.count(kind, what, by=-1)


BATCHED = {SheetKind.PERSONS, SheetKind.CONTACTS}  # checked line by line, inserted together
BATCH = 1000


class LineRefused(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message


def kind_of(name: str) -> str | None:
    """A sheet's kind from its name (« Personnes », « séances », « presences »…)."""
    folded = fold(name)
    for kind, label in SheetKind.choices:
        if folded in (fold(kind), fold(str(label))):
            return kind
    return None


def _column_index(
    kind: str, headers: list[str], mapping: dict[str, str]
) -> tuple[dict[str, int], list[Column]]:
    """Where each of the kind's columns is in the sheet, and the required ones missing."""
    folded = [fold(h) for h in headers]
    found: dict[str, int] = {}
    missing = []
    for column in COLUMNS[kind]:
        names = {fold(mapping.get(column.key, "")), fold(column.key), fold(str(column.label))}
        names.discard("")
        index = next((i for i, h in enumerate(folded) if h in names), None)
        if index is not None:
            found[column.key] = index
        elif column.required:
            missing.append(column)
    return found, missing


class Importer:
    def __init__(self, *, organization, actor, mappings: dict[str, dict[str, str]]) -> None:
        self.organization, self.actor, self.mappings = organization, actor, mappings
        org = organization
        self.persons = {
            p.external_ref: p
            for p in Person.objects.filter(organization=org).exclude(external_ref="")
        }
        self.enrollments = {
            e.external_ref: e
            for e in Enrollment.objects.filter(organization=org).exclude(external_ref="")
        }
        self.activities = {
            a.external_ref: a
            for a in Activity.objects.filter(organization=org).exclude(external_ref="")
        }
        self.sessions = {
            s.external_ref: s
            for s in Session.objects.filter(organization=org).exclude(external_ref="")
        }
        self.contact_refs = set(
            Contact.objects.filter(organization=org)
            .exclude(external_ref="")
            .values_list("external_ref", flat=True)
        )
        self.earliest: datetime.date | None = None
        self.latest: datetime.date | None = None
        # A person's situation, commune or age breaks down every month of their support.
        self.people_changed: list[int] = []
        self.partners: dict[str, list[Organization]] | None = None
        # Checked, not yet inserted (one insert per batch): people, then contacts.
        self.pending_people: list[tuple[int, Person]] = []
        self.pending_people_refs: set[str] = set()
        self.pending_contacts: list[tuple[int, Contact]] = []
        self.born: dict[datetime.date, list[Person]] = {}
        for person in Person.objects.filter(
            organization=org, birth_date__isnull=False, anonymised_on__isnull=True
        ).only("last_name", "first_name", "birth_date"):
            if person.birth_date is not None:
                self.born.setdefault(person.birth_date, []).append(person)
        self.result = Result()
        self.label = ""
        self.line = 0
        self.columns_of: dict[str, str] = {}  # service field → column key, for the current sheet

    # -- helpers ----------------------------------------------------------------------------
    def _seen(self, day: datetime.date | datetime.datetime | None) -> None:
        if day is None:
            return
        if isinstance(day, datetime.datetime):
            day = day.date()
        if self.earliest is None or day < self.earliest:
            self.earliest = day
        if self.latest is None or day > self.latest:
            self.latest = day

    def _person(self, ref: str, column: str = "personne") -> Person:
        person = self.persons.get(ref)
        if person is None:
            raise LineRefused(
                column,
                _("Personne inconnue : référence « %(ref)s » absente (ou sa ligne refusée).")
                % {"ref": ref},
            )
        return person

    def _commune(self, code: str) -> Territory | None:
        if not code:
            return None
        commune = Territory.objects.communes().filter(code=code).first()
        if commune is None:
            raise LineRefused("commune", _("Commune inconnue : %(code)s.") % {"code": code})
        return commune

    # -- one handler per kind: returns "created", "updated" or "unchanged" -------------------
    def personnes(self, v: dict[str, Any]) -> str:
        self.columns_of = {
            "last_name": "nom",
            "first_name": "prenom",
            "birth_date": "date_naissance",
            "phone": "telephone",
            "email": "email",
            "commune": "commune",
            "situation": "situation",
            "housing_situation": "logement",
        }
        # A blank cell says nothing: only the values given are written.
        fields = {
            field_name: v[column] for field_name, column in self.columns_of.items() if column in v
        }
        if "commune" in fields:
            fields["commune"] = self._commune(fields["commune"])
        existing = self.persons.get(v["ref"])
        if existing is not None:
            changed = {k: value for k, value in fields.items() if getattr(existing, k) != value}
            if not changed:
                return "unchanged"
            self.persons[v["ref"]] = people.update_person(
                person=existing, actor=self.actor, **changed
            )
            self.people_changed.append(existing.pk)
            return "updated"
        if v["ref"] in self.pending_people_refs:
            raise LineRefused(
                "ref", _("Référence en double dans le fichier : « %(ref)s ».") % {"ref": v["ref"]}
            )
        try:
            person = people.prepare_person(
                organization=self.organization,
                actor=self.actor,
                external_ref=v["ref"],
                confirmed_not_duplicate=bool(v.get("autre_personne")),
                duplicates=self._look_alikes,
                bulk=True,
                **fields,
            )
        except people.PossibleDuplicate:
            raise LineRefused(
                "nom",
                _(
                    "Une fiche existante ressemble à cette personne (même date de naissance, nom "
                    "proche) : vérifiez-la dans Ancrage, ou mettez « oui » dans la colonne "
                    "autre_personne si c'est quelqu'un d'autre."
                ),
            ) from None
        self.pending_people.append((self.line, person))
        self.pending_people_refs.add(v["ref"])
        if person.birth_date:
            self.born.setdefault(person.birth_date, []).append(person)
        return "created"

    def _look_alikes(self, person: Person) -> list[Person]:
        """People of the organization (or earlier in the file) born the same day, named alike."""
        if person.birth_date is None:
            return []
        return [
            other
            for other in self.born.get(person.birth_date, [])
            if names_look_alike(
                person.last_name, person.first_name, other.last_name, other.first_name
            )
        ]

    def contacts(self, v: dict[str, Any]) -> str:
        if v["ref"] in self.contact_refs:
            return "unchanged"
        self.columns_of = {
            "occurred_at": "date",
            "direction": "sens",
            "channel": "canal",
            "subjects": "sujets",
            "outcome": "resultat",
            "person": "personne",
            "partner": "partenaire",
            "desk": "permanence",
            "age_band": "tranche_age",
            "commune": "commune",
            "situation": "situation",
        }
        values: dict[str, Any] = {
            "occurred_at": v["date"],
            "channel": v["canal"],
            "subjects": v["sujets"],
            "outcome": v["resultat"],
            "age_band": v.get("tranche_age", ""),
            "situation": v.get("situation", ""),
            "commune": self._commune(v.get("commune", "")),
        }
        if v.get("sens"):
            values["direction"] = v["sens"]
        if v.get("personne"):
            values["person"] = self._person(v["personne"])
        if v.get("partenaire"):
            values["partner"] = self._partner(v["partenaire"])
        if v.get("permanence"):
            desk = Desk.objects.filter(
                organization=self.organization, name__iexact=v["permanence"]
            ).first()
            if desk is None:
                raise LineRefused(
                    "permanence",
                    _("Permanence inconnue : « %(name)s ».") % {"name": v["permanence"][:60]},
                )
            values["desk"] = desk
        contact = support.prepare_contact(
            organization=self.organization,
            actor=self.actor,
            external_ref=v["ref"],
            bulk=True,
            **values,
        )
        self.pending_contacts.append((self.line, contact))
        self._seen(v["date"])
        self.contact_refs.add(v["ref"])
        return "created"

    def mark_changed_months(self) -> None:
        """The months whose figures the import touched: its dates, and every month of the
        support of a person whose file it changed."""
        first = (
            Enrollment.objects.filter(person_id__in=self.people_changed).aggregate(
                first=Min("requested_on")
            )["first"]
            if self.people_changed
            else None
        )
        if first is not None:
            refresh_after_bulk_write(since=min(first, self.earliest or first))
        elif self.earliest is not None:
            refresh_after_bulk_write(since=self.earliest, until=self.latest)

    def flush(self) -> None:
        """Insert the people and contacts checked so far, together; a conflict the database
        finds (a reference sent meanwhile by someone else) refuses its line only."""
        batches: list[tuple[str, list[tuple[int, Any]], Callable[..., Any]]] = [
            (SheetKind.PERSONS, self.pending_people, people.save_people),
            (SheetKind.CONTACTS, self.pending_contacts, support.save_contacts),
        ]
        for kind, pending, save in batches:
            if not pending:
                continue
            try:
                with transaction.atomic():
                    save(
                        [record for _line, record in pending],
                        actor=self.actor,
                        on=self.organization,
                    )
                saved = pending
            except IntegrityError:
                saved = []
                for line, record in pending:
                    try:
                        with transaction.atomic():
                            save([record], actor=self.actor, on=self.organization)
                        saved.append((line, record))
                    except IntegrityError:
                        self.result.problems.append(
                            Problem(
                                self.label,
                                line,
                                "ref",
                                _(
                                    "Ligne en conflit avec une donnée existante (référence en double ?)."
                                ),
                            )
                        )
                        self.result.uncount(kind, "created")
                        self.result.count(kind, "refused")
            if kind == SheetKind.PERSONS:
                for _line, person in saved:
                    self.persons[person.external_ref] = person
                self.pending_people_refs.clear()
            pending.clear()

    def _partner(self, text: str):
        if self.partners is None:
            self.partners = partner_lookup(excluding=self.organization)
        found = self.partners.get(text.strip() if text.strip().isdigit() else fold(text), [])
        if len(found) != 1:
            raise LineRefused(
                "partenaire",
                _(
                    "Structure partenaire introuvable ou ambiguë : « %(name)s » (son nom exact ou son numéro)."
                )
                % {"name": text[:60]},
            )
        return found[0]

    def accompagnements(self, v: dict[str, Any]) -> str:
        person = self._person(v["personne"])
        enrollment = self.enrollments.get(v["ref"])
        status = "unchanged"
        self.columns_of = {
            "requested_on": "demande_le",
            "referent": "personne",
            "program": "personne",
        }
        if enrollment is None:
            enrollment = support.open_enrollment(
                person=person,
                referent=self.actor,
                requested_on=v["demande_le"],
                actor=self.actor,
                external_ref=v["ref"],
            )
            status = "created"
            self._seen(v["demande_le"])
        elif enrollment.person_id != person.pk:
            raise LineRefused(
                "personne", _("Cet accompagnement existe déjà pour une autre personne.")
            )
        steps: tuple[tuple[str, str, Callable[..., Enrollment], dict[str, Any]], ...] = (
            ("diagnostic_le", "assessment", support.start_assessment, {}),
            ("debut_le", "support", support.start_support, {}),
            (
                "refus_le",
                "refused",
                support.refuse_enrollment,
                {"reason": v.get("motif_refus", "")},
            ),
            ("abandon_le", "dropped", support.abandon_enrollment, {}),
        )
        for key, reached, service, extra in steps:
            on = v.get(key)
            if on is None or _already(enrollment, reached):
                continue
            self.columns_of = {"on": key, "reason": "motif_refus", NON_FIELD_ERRORS: key}
            enrollment = service(enrollment=enrollment, on=on, actor=self.actor, **extra)
            self._seen(on)
            status = "updated" if status == "unchanged" else status
        self.enrollments[v["ref"]] = enrollment
        return status

    def sorties(self, v: dict[str, Any]) -> str:
        enrollment = self.enrollments.get(v["accompagnement"])
        if enrollment is None:
            raise LineRefused(
                "accompagnement",
                _("Accompagnement inconnu : référence « %(ref)s ».") % {"ref": v["accompagnement"]},
            )
        if enrollment.status == "exited":
            return "unchanged"
        self.columns_of = {"on": "date", "outcome": "situation", NON_FIELD_ERRORS: "date"}
        self.enrollments[v["accompagnement"]] = support.close_enrollment(
            enrollment=enrollment,
            outcome=v["situation"],
            on=v["date"],
            actor=self.actor,
            ready_for_housing=bool(v.get("pret_logement")),
        )
        self._seen(v["date"])
        return "created"

    def actions(self, v: dict[str, Any]) -> str:
        if v["ref"] in self.activities:
            return "unchanged"
        self.columns_of = {"kind": "type", "title": "titre", "description": "description"}
        self.activities[v["ref"]] = activities.create_activity(
            organization=self.organization,
            kind=v["type"],
            title=v["titre"],
            description=v.get("description", ""),
            actor=self.actor,
            external_ref=v["ref"],
        )
        return "created"

    def seances(self, v: dict[str, Any]) -> str:
        if v["ref"] in self.sessions:
            return "unchanged"
        activity = self.activities.get(v["action"])
        if activity is None:
            raise LineRefused(
                "action", _("Action inconnue : référence « %(ref)s ».") % {"ref": v["action"]}
            )
        self.columns_of = {
            "starts_at": "debut",
            "duration_minutes": "duree_minutes",
            "place": "lieu",
            "anonymous_count": "non_nommes",
        }
        session = activities.schedule_session(
            activity=activity,
            starts_at=v["debut"],
            duration_minutes=v.get("duree_minutes") or 120,
            place=v.get("lieu") or _("Non précisé"),
            actor=self.actor,
            external_ref=v["ref"],
        )
        if v.get("non_nommes"):
            activities.set_anonymous_count(session=session, count=v["non_nommes"], actor=self.actor)
        self.sessions[v["ref"]] = session
        self._seen(v["debut"])
        return "created"

    def presences(self, v: dict[str, Any]) -> str:
        session = self.sessions.get(v["seance"])
        if session is None:
            raise LineRefused(
                "seance", _("Séance inconnue : référence « %(ref)s ».") % {"ref": v["seance"]}
            )
        person = self._person(v["personne"])
        if Attendance.objects.filter(session=session, person=person).exists():
            return "unchanged"
        self.columns_of = {"person": "personne", NON_FIELD_ERRORS: "seance"}
        activities.record_attendance(session=session, person=person, actor=self.actor)
        self._seen(session.starts_at)
        return "created"


def _already(enrollment: Enrollment, reached: str) -> bool:
    order = ["requested", "assessment", "support"]
    if enrollment.status in ("refused", "dropped", "exited"):
        return True
    if reached in order:
        return order.index(enrollment.status) >= order.index(reached)
    return False


def run(
    *,
    organization,
    actor,
    tables: list[tuple[str, Table]],
    mode: str,
    dry_run: bool,
    mappings: dict[str, dict[str, str]] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Import ``tables`` (each with its kind) in one transaction, rolled back on a dry run, or in
    all-or-nothing mode when a line is refused."""
    mappings = mappings or {}
    result = Result(total_lines=sum(len(t.rows) for _k, t in tables))
    tables = sorted(tables, key=lambda item: ORDER.index(item[0]))
    done = 0
    with transaction.atomic(), refresh_paused():
        importer = Importer(organization=organization, actor=actor, mappings=mappings)
        importer.result = result
        for kind, table in tables:
            label = importer.label = table.name
            index, missing = _column_index(kind, table.headers, mappings.get(kind, {}))
            if missing:
                for column in missing:
                    result.problems.append(
                        Problem(
                            label,
                            1,
                            column.key,
                            _("Colonne obligatoire absente : « %(name)s ».")
                            % {"name": mappings.get(kind, {}).get(column.key) or column.key},
                        )
                    )
                for _line in table.rows:
                    result.count(kind, "refused")
                done += len(table.rows)
                continue
            columns = {c.key: c for c in COLUMNS[kind]}
            handler = getattr(importer, kind)
            batched = kind in BATCHED
            for line, cells in table.rows:
                done += 1
                importer.line = line
                values, cell_problems = _parse(kind, columns, index, cells)
                if cell_problems:
                    result.problems.extend(
                        Problem(label, line, key, message) for key, message in cell_problems
                    )
                    result.count(kind, "refused")
                else:
                    try:
                        if batched:
                            # Checked only, or one update in its own transaction: no savepoint.
                            result.count(kind, handler(values))
                        else:
                            with transaction.atomic():
                                result.count(kind, handler(values))
                    except LineRefused as refused:
                        result.problems.append(
                            Problem(label, line, refused.column, refused.message)
                        )
                        result.count(kind, "refused")
                    except ValidationError as error:
                        result.problems.extend(
                            Problem(
                                label,
                                line,
                                importer.columns_of.get(key, "")
                                if key != NON_FIELD_ERRORS
                                else importer.columns_of.get(NON_FIELD_ERRORS, ""),
                                message,
                            )
                            for key, message in _messages(error)
                        )
                        result.count(kind, "refused")
                    except IntegrityError:
                        result.problems.append(
                            Problem(
                                label,
                                line,
                                "ref",
                                _(
                                    "Ligne en conflit avec une donnée existante (référence en double ?)."
                                ),
                            )
                        )
                        result.count(kind, "refused")
                if (
                    batched
                    and len(importer.pending_people) + len(importer.pending_contacts) >= BATCH
                ):
                    importer.flush()
                if progress and done % 200 == 0:
                    progress(done, result.total_lines)
            importer.flush()
        refused_any = bool(result.problems)
        if dry_run or (mode == Mode.ALL_OR_NOTHING and refused_any):
            transaction.set_rollback(True)
        else:
            result.written = True
            importer.mark_changed_months()
    if progress:
        progress(result.total_lines, result.total_lines)
    return result


def _parse(kind, columns, index, cells) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    problems = []
    for key, position in index.items():
        column = columns[key]
        raw = cells[position] if position < len(cells) else None
        try:
            value = column.parse(raw)
        except CellError as error:
            problems.append((key, str(error)))
            continue
        if column.required and value in (None, "", []):
            problems.append((key, _("Valeur obligatoire.")))
            continue
        if value not in (None, "", []):
            values[key] = value
    return values, problems


def _messages(error: ValidationError):
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            for message in messages:
                yield key, message
    else:
        for message in error.messages:
            yield NON_FIELD_ERRORS, message
