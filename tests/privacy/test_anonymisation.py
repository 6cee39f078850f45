"""Anonymisation misses no text: every text or JSON field of every record about a person is either
blanked by its app or kept on purpose, with the reason written down."""

from __future__ import annotations

from django.db import models

from ancrage.catalogue.services import privacy as catalogue_privacy
from ancrage.housing.services import privacy as housing_privacy
from ancrage.partnerships import services as partnerships_services
from ancrage.people import services as people_services
from ancrage.people.models import Person
from ancrage.support.services import privacy as support_privacy

# Blanked by anonymise_person itself.
PERSON_FIELDS = {"last_name", "first_name", "phone", "email", "external_ref"}


def _records_about_a_person():
    """Every model reached from Person through foreign keys pointing at it, three levels deep."""
    seen, queue = {Person}, [(Person, 0)]
    while queue:
        model, depth = queue.pop(0)
        if depth == 3:
            continue
        for relation in model._meta.related_objects:
            child = relation.related_model
            if (relation.one_to_many or relation.one_to_one) and child not in seen:
                seen.add(child)
                queue.append((child, depth + 1))
    return seen


def test_every_text_field_about_a_person_is_blanked_or_kept_with_a_reason():
    blanked = {
        f"{label}.{name}"
        for module in (
            people_services,
            support_privacy,
            housing_privacy,
            catalogue_privacy,
            partnerships_services,
        )
        for label, (_, values) in module.ANONYMISED_FIELDS.items()
        for name in values
    } | {f"people.Person.{name}" for name in PERSON_FIELDS}
    kept = (
        people_services.KEPT_TEXT_FIELDS.keys()
        | support_privacy.KEPT_TEXT_FIELDS.keys()
        | housing_privacy.KEPT_TEXT_FIELDS.keys()
        | catalogue_privacy.KEPT_TEXT_FIELDS.keys()
        | partnerships_services.KEPT_TEXT_FIELDS.keys()
    )
    unaccounted = []
    for model in _records_about_a_person():
        if model._meta.app_label in {"privacy"}:
            continue  # the rights requests: their reason is written not to name the person
        for field in model._meta.concrete_fields:
            if field.choices or not isinstance(
                field, models.CharField | models.TextField | models.JSONField
            ):
                continue
            name = f"{model._meta.label}.{field.name}"
            if name not in blanked and name not in kept:
                unaccounted.append(name)
    assert unaccounted == []
