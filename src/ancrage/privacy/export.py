"""A person's whole file, for a right-of-access or portability request: a readable PDF and a JSON
of the same records, in one ZIP.

Every record that points at the person, in every app, and the records that hang from them (an
enrollment's steps, an exit's follow-ups…) are found by walking the models' relations, as the merge
of two files does: a new kind of record is exported without anyone remembering to add it. The
consultations of the file (who, when) come from the audit trail: the recipients of the data.
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.db import models
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ancrage.audit.queries import consultations_of
from ancrage.core import documents, pdf
from ancrage.people.models import Person

# Internal values that say nothing to the person (a search key, a pseudonym) or name them twice.
SKIPPED_FIELDS = {"search_name", "identity_key", "key_hash"}
MAX_DEPTH = 3


@dataclass
class Value:
    name: str
    label: str
    raw: object
    shown: str


@dataclass
class Section:
    title: str
    records: list[list[Value]] = field(default_factory=list)


def _in_archive(instance: models.Model, f: models.Field) -> str:
    """Where a stored file (a document of the file) sits in the ZIP."""
    name = getattr(instance, f.attname).name or ""
    return f"documents/{instance.pk}{'.' + name.rsplit('.', 1)[1] if '.' in name else ''}"


def _shown(instance: models.Model, f: models.Field) -> str:
    if isinstance(f, models.FileField):
        return _in_archive(instance, f)
    value = getattr(instance, f.name)
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if f.choices:
        return str(getattr(instance, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, list):
        # A list of codes has its labels next to it (``subjects`` → ``subject_labels()``).
        labels = getattr(instance, f"{f.name.removesuffix('s')}_labels", None)
        return ", ".join(str(v) for v in (labels() if callable(labels) else value))
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items())
    return str(value)


def _raw(instance: models.Model, f: models.Field):
    if isinstance(f, models.FileField):
        return _in_archive(instance, f)
    value = getattr(instance, f.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _record(instance: models.Model, skip: set[str]) -> list[Value]:
    values = [Value("id", "N°", instance.pk, str(instance.pk))]
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.name in SKIPPED_FIELDS or f.name in skip:
            continue
        label = str(f.verbose_name)
        values.append(
            Value(f.name, label[:1].upper() + label[1:], _raw(instance, f), _shown(instance, f))
        )
    return values


def _relations(model: type[models.Model]):
    for relation in model._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            yield relation.related_model, relation.field


def person_data(person: Person) -> list[Section]:
    """The sections of the export: identity first, then every kind of record, then consultations."""
    sections = [Section("Identité et situation", [_record(person, set())])]
    seen: set[type[models.Model]] = {Person}
    queue: list[tuple[type[models.Model], str, int]] = [
        (model, fk.name, 1) for model, fk in _relations(Person)
    ]
    while queue:
        model, path, depth = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        rows = list(model._default_manager.filter(**{path: person}).order_by("pk").select_related())
        if rows:
            skip = {path.split("__")[0]}
            sections.append(
                Section(
                    str(model._meta.verbose_name_plural).capitalize(),
                    [_record(row, skip) for row in rows],
                )
            )
        if depth < MAX_DEPTH:
            queue += [
                (child, f"{fk.name}__{path}", depth + 1)
                for child, fk in _relations(model)
                if child not in seen
            ]
    consultations = Section("Consultations de la fiche (qui l'a ouverte, quand)")
    for event in consultations_of(person, limit=1000):
        consultations.records.append(
            [
                Value(
                    "at", "date", event.at.isoformat(), _shown(event, event._meta.get_field("at"))
                ),
                Value("actor", "par", event.actor_label, event.actor_label),
            ]
        )
    if consultations.records:
        sections.append(consultations)
    return sections


def as_json(person: Person, sections: list[Section]) -> bytes:
    payload = {
        "export": {
            "personne": person.pk,
            "structure": person.organization.name,
            "date": timezone.now().isoformat(),
            "format": "Ancrage — export des données personnelles (RGPD art. 15 et 20), v1",
        },
        "sections": [
            {
                "titre": section.title,
                "enregistrements": [{v.name: v.raw for v in record} for record in section.records],
            }
            for section in sections
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode()


def as_pdf(person: Person, sections: list[Section]) -> bytes:
    styles = pdf.styles()  # DejaVu Sans: every name prints (Łucja, Nguyễn…)
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Données personnelles — {person}",
        author=person.organization.name,
    )
    today = timezone.localdate()
    story = [
        Paragraph(escape(f"Vos données personnelles — {person}"), styles["Title"]),
        Paragraph(
            escape(
                f"{person.organization.name} vous communique toutes les données qu'elle "
                f"enregistre à votre sujet dans Ancrage, au {today:%d/%m/%Y} (RGPD, articles 15 "
                "et 20). Le fichier JSON joint contient les mêmes données, lisibles par un "
                "autre logiciel. Vous pouvez demander la rectification d'une donnée inexacte, "
                "l'effacement ou la limitation de vos données, ou vous opposer à leur traitement "
                "auprès de la structure ; en cas de désaccord, vous pouvez saisir la CNIL "
                "(www.cnil.fr)."
            ),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    for section in sections:
        heading = Paragraph(escape(section.title), styles["Heading2"])
        for index, record in enumerate(section.records):
            rows = [
                [Paragraph(escape(v.label), small), Paragraph(escape(v.shown), small)]
                for v in record
            ]
            table = Table(rows, colWidths=[55 * mm, 119 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BOX", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ]
                )
            )
            # A section's title stays with its first record (no title alone at a page's foot).
            story += [KeepTogether([heading, table] if index == 0 else table), Spacer(1, 2 * mm)]
    document.build(story)
    return buffer.getvalue()


def export_archive(person: Person) -> tuple[str, bytes]:
    """The file name and the bytes of the ZIP holding the PDF and the JSON."""
    sections = person_data(person)
    stem = f"donnees-personne-{person.pk}-{timezone.localdate():%Y%m%d}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.pdf", as_pdf(person, sections))
        archive.writestr(f"{stem}.json", as_json(person, sections))
        store = documents.storage()
        for document in person.documents.order_by("pk"):
            stored = document.file.name or ""
            if stored and store.exists(stored):
                with store.open(stored, "rb") as handle:
                    archive.writestr(
                        _in_archive(document, document._meta.get_field("file")), handle.read()
                    )
    return f"{stem}.zip", buffer.getvalue()
