"""The vocabularies of the data·inclusion schema (thématiques, publics, frais, modes d'accueil…),
read from its published package (``data-inclusion-schema``, pinned) so that a service written here
is a service any tool of the insertion offer reads.

The package (and pydantic under it) is imported on first use only: a web or worker process that
never opens the catalogue does not carry it (≈ 25 MB)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

# Our field → the schema's enumeration (class name in ``data_inclusion.schema.v1``).
ENUMS = {
    "kind": "TypeService",
    "themes": "Thematique",
    "fees": "Frais",
    "publics": "Public",
    "reception_modes": "ModeAccueil",
    "mobilisation_modes": "ModeMobilisation",
    "mobilisable_by": "PersonneMobilisatrice",
}
# « Tous publics » cannot be combined with another public (a rule of the schema).
EVERYONE = "tous-publics"
# Codes of the whole country in a zone of eligibility.
FRANCE = ("france", "99100")


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    group: str = ""


def schema_module() -> Any:
    from data_inclusion.schema import v1

    return v1


@functools.cache
def terms(field: str) -> tuple[Term, ...]:
    """The codes and French labels of one field's vocabulary, in the schema's order; the
    thématiques carry the label of their category (the part before ``--``)."""
    v1 = schema_module()
    enum = getattr(v1, ENUMS[field])
    if field != "themes":
        return tuple(Term(member.value, member.label) for member in enum)
    categories = {member.value: member.label for member in v1.Categorie}
    found = []
    for member in enum:
        category = member.value.split("--", 1)[0]
        if category == member.value:
            continue  # a category itself is not a thématique of a service
        found.append(Term(member.value, member.label, categories.get(category, category)))
    return tuple(found)


@functools.cache
def labels(field: str) -> dict[str, str]:
    return {term.code: term.label for term in terms(field)}


def label(field: str, code: str) -> str:
    return labels(field).get(code, code)


def choices(field: str) -> list[tuple[str, Any]]:
    """Form choices; the thématiques grouped by category."""
    if field != "themes":
        return [(term.code, term.label) for term in terms(field)]
    groups: dict[str, list[tuple[str, str]]] = {}
    for term in terms(field):
        groups.setdefault(term.group, []).append((term.code, term.label))
    return list(groups.items())


def categories() -> list[tuple[str, str]]:
    """The thématiques' categories (« Mobilité », « Santé »…), for a search by theme."""
    seen: dict[str, str] = {}
    for term in terms("themes"):
        seen.setdefault(term.code.split("--", 1)[0], term.group)
    return sorted(seen.items(), key=lambda item: item[1])
