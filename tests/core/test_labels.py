"""Choice labels are looked up in a table kept per field and language (issue 23: rebuilding the
choices and translating every label on each call cost a third of a list page)."""

import inspect
from functools import partialmethod

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from ancrage.core import labels
from ancrage.core.labels import choice_label
from ancrage.support.enums import Channel
from ancrage.support.models import Contact

DJANGO_DISPLAY = models.Model._get_FIELD_display


def _choice_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.choices is not None:
                yield model, field


def test_every_coded_field_of_every_model_uses_the_table():
    fields = list(_choice_fields())
    assert len(fields) > 50
    for model, field in fields:
        method = inspect.getattr_static(model, f"get_{field.name}_display")
        assert isinstance(method, partialmethod) and method.func is choice_label, (model, field)


def test_each_label_is_the_one_django_would_give():
    for model, field in _choice_fields():
        instance = model()
        for value, _label in [*field.flatchoices, ("valeur-inconnue", None)]:
            setattr(instance, field.attname, value)
            assert choice_label(instance, field) == DJANGO_DISPLAY(instance, field), (model, field)


def test_an_unknown_value_is_shown_as_itself_and_the_table_follows_the_language():
    contact = Contact(channel=Channel.WALK_IN)
    assert contact.get_channel_display() == "Accueil physique au siège"
    contact.channel = "pigeon"
    assert contact.get_channel_display() == "pigeon"
    field = Contact._meta.get_field("channel")
    with translation.override("en"):
        contact.get_channel_display()
    assert {(field, "fr"), (field, "en")} <= set(labels._TABLES)


@pytest.mark.parametrize("value", [["a", "b"], {"a": 1}])
def test_an_unhashable_value_falls_back_to_djangos_lookup(value):
    contact = Contact()
    field = Contact._meta.get_field("channel")
    contact.channel = value
    assert choice_label(contact, field) == DJANGO_DISPLAY(contact, field) == str(value)
