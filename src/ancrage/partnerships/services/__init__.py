"""Writes on partnerships. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.permissions import require
from ancrage.audit.recorder import bulk_update_declared
from ancrage.core.actor import acting_as
from ancrage.housing import services as housing_services
from ancrage.partnerships.models import Apprenticeship

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person

FIELDS = frozenset({"school", "employer", "diploma", "starts_on", "ends_on", "rhythm"})
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)
LONGEST = datetime.timedelta(days=4 * 366)  # a contract runs six months to three years


def _check(apprenticeship: Apprenticeship) -> None:
    a = apprenticeship
    a.diploma = (a.diploma or "").strip()
    errors: dict[str, str] = {}
    if a.school_id is None:
        errors["school"] = _("Indiquez l'école (CFA).")
    elif a.school.kind != OrganizationKind.SCHOOL:
        errors["school"] = _("%(name)s n'est pas une école ou un CFA.") % {"name": a.school}
    if a.employer_id is None:
        errors["employer"] = _("Indiquez l'employeur.")
    elif a.employer_id == a.school_id:
        errors["employer"] = _("L'employeur et l'école sont deux structures différentes.")
    if not a.diploma:
        errors["diploma"] = _("Indiquez le diplôme préparé.")
    elif len(a.diploma) > 150:
        errors["diploma"] = _("150 caractères au plus.")
    for name in ("starts_on", "ends_on"):
        day = getattr(a, name)
        if day is None:
            errors[name] = _("Indiquez la date.")
        elif not EARLIEST <= day < LATEST:
            errors[name] = _("Indiquez une date entre 2000 et 2099.")
    if "starts_on" not in errors and "ends_on" not in errors:
        if a.ends_on <= a.starts_on:
            errors["ends_on"] = _("Le contrat finit après son début.")
        elif a.ends_on - a.starts_on > LONGEST:
            errors["ends_on"] = _("Un contrat d'apprentissage dure quatre ans au plus.")
    if a.rhythm is not None and a.rhythm.person_id != a.person_id:
        errors["rhythm"] = _("Ce rythme est celui d'une autre personne.")
    if not errors:
        other = (
            Apprenticeship.objects.filter(
                person_id=a.person_id, starts_on__lt=a.ends_on, ends_on__gt=a.starts_on
            )
            .exclude(pk=a.pk)
            .first()
        )
        if other is not None:
            errors["starts_on"] = _(
                "%(person)s a déjà un contrat du %(start)s au %(end)s (%(diploma)s)."
            ) % {
                "person": a.person,
                "start": f"{other.starts_on:%d/%m/%Y}",
                "end": f"{other.ends_on:%d/%m/%Y}",
                "diploma": other.diploma,
            }
    if errors:
        raise ValidationError(errors)


def create_apprenticeship(
    *, person: Person, actor: User, external_ref: str = "", **fields: Any
) -> Apprenticeship:
    require(actor, "people.change", person.organization_id)
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    apprenticeship = Apprenticeship(
        organization_id=person.organization_id,
        person=person,
        external_ref=(external_ref or "").strip(),
        **fields,
    )
    _check(apprenticeship)
    with acting_as(actor), transaction.atomic():
        apprenticeship.save()
    return apprenticeship


def update_apprenticeship(
    *, apprenticeship: Apprenticeship, actor: User, **fields: Any
) -> Apprenticeship:
    require(actor, "people.change", apprenticeship)
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(apprenticeship, name, value)
    _check(apprenticeship)
    with acting_as(actor), transaction.atomic():
        apprenticeship.save()
    return apprenticeship


def delete_apprenticeship(*, apprenticeship: Apprenticeship, actor: User) -> None:
    """Remove a contract recorded by mistake; one with a charter stays (the charter is a proof:
    withdraw it instead)."""
    require(actor, "people.change", apprenticeship)
    if apprenticeship.charters.exists():
        raise ValidationError(
            _("Ce contrat a une charte tripartite : il ne peut plus être supprimé.")
        )
    with acting_as(actor), transaction.atomic():
        apprenticeship.delete()


# --- This app's part of anonymising a person (``privacy`` runs every app's part) -----------------

# Free text per model, reached from the person by the path: blanked.
ANONYMISED_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "partnerships.Apprenticeship": ("person", {"external_ref": ""}),
    "partnerships.Signatory": (
        "charter__apprenticeship__person",
        {"name": "", "email": "", "ip": None},
    ),
    "partnerships.Charter": ("apprenticeship__person", {"document": "", "signed_document": ""}),
}
# Text kept on purpose, with why (tests/privacy/test_anonymisation.py fails on any other).
KEPT_TEXT_FIELDS = {
    "partnerships.Apprenticeship.diploma": "the diploma prepared (« CAP Cuisine »), names no one",
    "partnerships.Charter.document_sha256": "a hash: proves a copy was the charter, names no one",
    "partnerships.Charter.signed_sha256": "a hash: proves a copy was the signed charter",
    "partnerships.Signatory.role": "a code (apprentice, school, employer, guardian)",
    "partnerships.Signatory.token_hash": "the hash of a random link, names no one",
    "partnerships.Signatory.code_hash": "the hash of a one-time code, names no one",
    "partnerships.Signatory.signed_sha256": "a hash of the document signed, names no one",
}


def anonymise_partnerships_of(person: Person) -> None:
    """Blank the references other systems gave the person's contracts (the dates stay), the
    names and addresses of their charters' parties, and delete the charters' PDFs (they name
    the person; their hashes stay)."""
    from ancrage.core import documents
    from ancrage.partnerships.models import Charter

    files = [
        name
        for pair in Charter.objects.filter(apprenticeship__person=person).values_list(
            "document", "signed_document"
        )
        for name in pair
        if name
    ]
    bulk_update_declared("privacy.anonymisation", ANONYMISED_FIELDS, on=person)

    def delete_files() -> None:
        for name in files:
            documents.storage().delete(name)

    transaction.on_commit(delete_files)


def create_rhythm_for_apprenticeship(
    *, apprenticeship: Apprenticeship, actor: User, **rhythm: Any
) -> Apprenticeship:
    """The apprentice's alternation rhythm (``housing.services.create_rhythm``'s fields), made and
    tied to the contract in one transaction: both or neither."""
    require(actor, "people.change", apprenticeship)
    with transaction.atomic():
        made = housing_services.create_rhythm(person=apprenticeship.person, actor=actor, **rhythm)
        return update_apprenticeship(apprenticeship=apprenticeship, actor=actor, rhythm=made)
