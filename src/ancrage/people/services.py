"""Writes on people. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.accounts.permissions import require
from ancrage.audit.recorder import bulk_create, bulk_update_declared
from ancrage.core import documents
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.models import Territory
from ancrage.core.text import fold
from ancrage.people.enums import DocumentKind
from ancrage.people.models import (
    MAX_HOUSEHOLD,
    MAX_RESOURCES,
    HouseholdMember,
    Person,
    PersonDocument,
    PersonMerge,
    Resource,
    SharingObjection,
)
from ancrage.people.queries import find_possible_duplicates

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "phone",
    "email",
    "commune",
    "situation",
    "housing_situation",
    "disability_recognised",
    "informed_on",
)


class PossibleDuplicate(Exception):
    """The person seems to exist already; the caller shows the candidates and asks to confirm."""

    def __init__(self, candidates: list[Person]):
        super().__init__("possible duplicate")
        self.candidates = candidates


def _replace_children(
    person: Person,
    resources: Iterable[dict[str, Any]] | None,
    household: Iterable[dict[str, Any]] | None,
) -> None:
    resources = None if resources is None else list(resources)
    household = None if household is None else list(household)
    if resources is not None and len(resources) > MAX_RESOURCES:
        raise ValidationError(
            {"resources": _("%(max)s ressources au plus.") % {"max": MAX_RESOURCES}}
        )
    if household is not None and len(household) > MAX_HOUSEHOLD:
        raise ValidationError(
            {"household": _("%(max)s membres du foyer au plus.") % {"max": MAX_HOUSEHOLD}}
        )
    if resources is not None:
        for resource in person.resources.all():
            resource.delete()
        for item in resources:
            resource = Resource(person=person, **item)
            resource.full_clean()
            resource.save()
    if household is not None:
        for member in person.household.all():
            member.delete()
        for item in household:
            member = HouseholdMember(person=person, **item)
            member.full_clean()
            member.save()


def prepare_person(
    *,
    organization: Organization,
    actor: User,
    last_name: str,
    first_name: str,
    birth_date: datetime.date | None = None,
    phone: Maybe[str] = UNSET,
    email: Maybe[str] = UNSET,
    commune: Territory | None = None,
    situation: Maybe[str] = UNSET,
    housing_situation: Maybe[str] = UNSET,
    disability_recognised: Maybe[bool] = UNSET,
    informed_on: Maybe[datetime.date | None] = UNSET,
    confirmed_not_duplicate: bool = False,
    external_ref: str = "",
    duplicates: Callable[[Person], list[Person]] | None = None,
    bulk: bool = False,
) -> Person:
    """A new person, checked but not saved: ``create_person`` saves it, ``save_people`` saves
    many at once (an import). ``duplicates``: how to find look-alikes (default: a query);
    ``bulk``: the records given are real and the database checks the unique constraints at
    insert, so the row-by-row queries of those checks are skipped."""
    require(actor, "people.change", organization)
    person = Person(organization=organization, created_by=actor, external_ref=external_ref)
    assign(
        person,
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        phone=phone,
        email=email,
        commune=commune,
        situation=situation,
        housing_situation=housing_situation,
        disability_recognised=disability_recognised,
        informed_on=informed_on,
    )
    if bulk:
        person.full_clean(
            exclude=["organization", "commune", "created_by"], validate_constraints=False
        )
    else:
        person.full_clean()
    if not confirmed_not_duplicate:
        candidates = (
            duplicates(person)
            if duplicates is not None
            else find_possible_duplicates(
                organization=organization,
                last_name=person.last_name,
                first_name=person.first_name,
                birth_date=person.birth_date,
            )
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    return person


def create_person(
    *,
    organization: Organization,
    actor: User,
    last_name: str,
    first_name: str,
    birth_date: datetime.date | None = None,
    phone: Maybe[str] = UNSET,
    email: Maybe[str] = UNSET,
    commune: Territory | None = None,
    situation: Maybe[str] = UNSET,
    housing_situation: Maybe[str] = UNSET,
    disability_recognised: Maybe[bool] = UNSET,
    informed_on: Maybe[datetime.date | None] = UNSET,
    resources: Iterable[dict[str, Any]] | None = None,
    household: Iterable[dict[str, Any]] | None = None,
    confirmed_not_duplicate: bool = False,
    external_ref: str = "",
) -> Person:
    """Create a person; raises ``PossibleDuplicate`` unless the actor confirmed it is someone else.
    ``external_ref``: the person's id in the system the record comes from (unique per
    organization; the API answers the existing person when it is sent again)."""
    person = prepare_person(
        organization=organization,
        actor=actor,
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        phone=phone,
        email=email,
        commune=commune,
        situation=situation,
        housing_situation=housing_situation,
        disability_recognised=disability_recognised,
        informed_on=informed_on,
        confirmed_not_duplicate=confirmed_not_duplicate,
        external_ref=external_ref,
    )
    with acting_as(actor), transaction.atomic():
        person.save()
        _replace_children(person, resources, household)
    return person


def save_people(people: list[Person], *, actor: User, on: Model) -> list[Person]:
    """Save people prepared by ``prepare_person`` in one insert (an import): one audit event on
    ``on`` (the organization) says how many. The database refuses a duplicate reference."""
    for person in people:
        person.set_derived_fields()
    with acting_as(actor), transaction.atomic():
        return bulk_create("people.bulk_load", Person, people, on=on)


def update_person(
    *,
    person: Person,
    actor: User,
    last_name: Maybe[str] = UNSET,
    first_name: Maybe[str] = UNSET,
    birth_date: Maybe[datetime.date | None] = UNSET,
    phone: Maybe[str] = UNSET,
    email: Maybe[str] = UNSET,
    commune: Maybe[Territory | None] = UNSET,
    situation: Maybe[str] = UNSET,
    housing_situation: Maybe[str] = UNSET,
    disability_recognised: Maybe[bool] = UNSET,
    informed_on: Maybe[datetime.date | None] = UNSET,
    resources: Iterable[dict[str, Any]] | None = None,
    household: Iterable[dict[str, Any]] | None = None,
    external_ref: Maybe[str] = UNSET,
) -> Person:
    """Change the fields given (the others keep their value); ``resources`` and ``household``,
    when given, replace the person's lists."""
    require(actor, "people.change", person.organization_id)
    assign(
        person,
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        phone=phone,
        email=email,
        commune=commune,
        situation=situation,
        housing_situation=housing_situation,
        disability_recognised=disability_recognised,
        informed_on=informed_on,
        external_ref=external_ref,
    )
    person.full_clean()
    with acting_as(actor), transaction.atomic():
        person.save()
        _replace_children(person, resources, household)
    return person


# --- Objection to sharing ----------------------------------------------------------------------


def record_sharing_objection(
    *, person: Person, partner: Organization, actor: User, objected_on: datetime.date | None = None
) -> SharingObjection:
    """The person objects to any sharing with ``partner``; referrals to it are refused from now on."""
    require(actor, "people.change", person.organization_id)
    objected_on = objected_on or timezone.localdate()
    errors = {}
    if partner.pk == person.organization_id:
        errors["partner"] = _("Choisissez une structure partenaire, pas la vôtre.")
    elif SharingObjection.objects.filter(person=person, partner=partner).exists():
        errors["partner"] = _("Cette opposition est déjà enregistrée.")
    if objected_on > timezone.localdate():
        errors["objected_on"] = _("La date ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors)
    objection = SharingObjection(
        person=person, partner=partner, objected_on=objected_on, recorded_by=actor
    )
    with acting_as(actor), transaction.atomic():
        objection.save()
    return objection


def withdraw_sharing_objection(*, objection: SharingObjection, actor: User) -> None:
    """The person lifts the objection (a referral still needs their consent)."""
    require(actor, "people.change", objection.person.organization_id)
    with acting_as(actor), transaction.atomic():
        objection.delete()


# --- Merging duplicates ------------------------------------------------------------------------


class MergeConflict(ValidationError):
    """The two files cannot be merged as they are (the message says what to do first)."""


def _person_relations() -> Iterator[tuple[type[Model], str]]:
    """Every foreign key to Person in every app, except the merge log itself."""
    for relation in Person._meta.related_objects:
        if relation.one_to_many and relation.related_model is not PersonMerge:
            yield relation.related_model, relation.field.name


# Records the kept file may already hold (same session, same partner): the duplicate's copy is dropped.
DROP_ON_CONFLICT = {"activities.Attendance", "people.SharingObjection"}
CONFLICT_MESSAGES = {
    "support.Enrollment": gettext_lazy(
        "Les deux fiches ont chacune un accompagnement en cours : terminez ou abandonnez "
        "l'un des deux avant de fusionner."
    ),
}


def merge_people(*, kept: Person, duplicate: Person, actor: User) -> PersonMerge:
    """Fold ``duplicate`` into ``kept``: every record moves, ``kept``'s values win, blanks are filled.

    A record ``kept`` already has (same session, same partner objection…) is dropped instead of
    moved. Every move is a save, so it is in the audit trail; the merge itself is logged in
    ``PersonMerge`` with what moved, and the duplicate's history stays under its number.
    """
    require(actor, "people.merge", kept)
    if kept.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("Choisissez une autre fiche que celle-ci.")})
    if kept.organization_id != duplicate.organization_id:
        raise ValidationError(
            {"duplicate": _("On ne fusionne que des fiches de la même structure.")}
        )
    moved: dict[str, int] = {}
    with acting_as(actor), transaction.atomic():
        for key in PERSON_FIELDS:
            if getattr(kept, key) in (None, "") and getattr(duplicate, key) not in (None, ""):
                setattr(kept, key, getattr(duplicate, key))
                label = Person._meta.get_field(key).verbose_name  # type: ignore[union-attr]
                moved[f"champ : {label}"] = 1
        kept.save()
        keep_resources = kept.resources.exists()
        kept_household = {fold(m.first_name) for m in kept.household.all()}
        for model, field in _person_relations():
            for row in model._default_manager.filter(**{field: duplicate}):
                if (model is Resource and keep_resources) or (
                    isinstance(row, HouseholdMember) and fold(row.first_name) in kept_household
                ):
                    row.delete()
                    continue
                setattr(row, field, kept)
                try:
                    with transaction.atomic():
                        row.save(update_fields=[field])
                except IntegrityError:
                    label = model._meta.label
                    if label not in DROP_ON_CONFLICT:
                        raise MergeConflict(
                            CONFLICT_MESSAGES.get(label)
                            or _("Fusion impossible : %(what)s en conflit.")
                            % {"what": model._meta.verbose_name_plural}
                        ) from None
                    row.delete()  # the kept file already holds this fact
                    continue
                label = str(model._meta.verbose_name_plural)
                moved[label] = moved.get(label, 0) + 1
        merge = PersonMerge.objects.create(
            kept=kept,
            merged_person_id=duplicate.pk,
            merged_name=str(duplicate),
            moved=moved,
            merged_by=actor,
        )
        duplicate.delete()
    return merge


# --- RGPD lifecycle: archive, restore, anonymise ---------------------------------------------

# What this app blanks when a person is anonymised, per model (reached from the person by the
# path): names, contact details and free text. ``privacy`` calls it with the other apps'.
ANONYMISED_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "people.HouseholdMember": ("person", {"first_name": ""}),
    "people.PersonMerge": ("kept", {"merged_name": ""}),
}
# Text kept on purpose, with why (tests/privacy/test_anonymisation.py fails on any other).
KEPT_TEXT_FIELDS = {
    "people.Person.search_name": "recomputed from the blanked names",
    "people.Person.identity_key": "recomputed: empty once anonymised",
    "people.PersonMerge.moved": "counts of records moved, names no one",
    # A person's documents are deleted with their files at anonymisation (_forget_documents):
    # nothing of them is kept to blank.
    "people.PersonDocument.title": "the row is deleted at anonymisation",
    "people.PersonDocument.content_type": "the row is deleted at anonymisation",
    "people.PersonDocument.sha256": "the row is deleted at anonymisation",
}


def archive_person(*, person: Person, on: datetime.date, actor: User | None = None) -> Person:
    """Move the file to the archive: only the organization's administrators see it from now on."""
    if actor is not None:
        require(actor, "privacy.manage", person.organization_id)
    person.archived_on = on
    with acting_as(actor), transaction.atomic():
        # Not a change of the file: its last activity (updated_at) stays where it was.
        person.save(update_fields=["archived_on"])
    return person


def restore_person(*, person: Person, actor: User) -> Person:
    """Bring an archived file back to the team (the person came back): a new activity."""
    require(actor, "people.archive", person.organization_id)
    if person.archived_on is None or person.anonymised_on is not None:
        raise ValidationError(_("Cette fiche n'est pas archivée."))
    person.archived_on = None
    with acting_as(actor), transaction.atomic():
        person.save()
    return person


def anonymise_person(*, person: Person, on: datetime.date, actor: User | None = None) -> Person:
    """Remove the names, contact details, birth day and free text of the person's file (this app's
    part); the row stays, with what the statistics need (situation, commune, year of birth)."""
    if actor is not None:
        require(actor, "privacy.manage", person.organization_id)
    if person.anonymised_on is not None:
        return person
    person.last_name = person.first_name = person.phone = person.email = person.external_ref = ""
    if person.birth_date is not None:
        person.birth_date = datetime.date(person.birth_date.year, 7, 1)
    person.anonymised_on = on
    person.archived_on = person.archived_on or on
    with acting_as(actor), transaction.atomic():
        person.save()
        # The documents go with the personal data: rows now, files once committed.
        _forget_documents(person.documents.all())
        bulk_update_declared("privacy.anonymisation", ANONYMISED_FIELDS, on=person)
    return person


def add_document(
    *, person: Person, kind: str, upload: Any, actor: User, title: str = ""
) -> PersonDocument:
    """Keep a file on the person's file: a PDF, PNG or JPEG of 10 MB at most, recognised by its
    first bytes; stored under a random name outside the web root."""
    require(actor, "people.change", person.organization_id)
    errors: dict[str, str] = {}
    if person.anonymised_on is not None:
        raise ValidationError(_("Cette fiche est anonymisée : on n'y dépose plus de document."))
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choisissez le type de document.")
    title = (title or "").strip()
    if len(title) > 150:
        errors["title"] = _("L'intitulé tient en 150 caractères au plus.")
    try:
        content_type, size, sha256 = documents.check(upload)
    except ValueError as reason:
        errors["file"] = str(reason)
    if errors:
        raise ValidationError(errors)
    with (
        documents.stored(person.organization_id, upload, content_type) as name,
        acting_as(actor),
        transaction.atomic(),
    ):
        document = PersonDocument(
            organization_id=person.organization_id,
            person=person,
            kind=kind,
            title=title,
            file=name,
            content_type=content_type,
            size=size,
            sha256=sha256,
            uploaded_by=actor,
        )
        document.full_clean()
        document.save()
    return document


def delete_document(*, document: PersonDocument, actor: User) -> None:
    """Remove a document (a wrong file, one no longer needed): the row, then the file once the
    deletion is committed."""
    require(actor, "people.change", document.organization_id)
    with acting_as(actor), transaction.atomic():
        _forget_documents([document])


def _forget_documents(rows: Iterable[PersonDocument]) -> None:
    """Delete the rows and, after the commit, their files."""
    store = documents.storage()
    for document in rows:
        name = document.file.name or ""
        document.delete()
        if name:
            transaction.on_commit(partial(store.delete, name))
