"""Bounded, derandomized fuzzing of every form page (issue 15, gap 5): each field of each form the
owner can open gets hostile values — huge, out-of-range dates, control and direction characters,
numbers too large — all fields at once, and each field alone with a third of them in turn.
Whatever the answer (the form again with a message, a redirect), it is never a 500. The forms are found by opening every registered page: a
new form is fuzzed without a line here."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ancrage.access_registry import REGISTRY
from tests.core.test_access_registry import SAMPLES, Sample
from tests.depth import LIGHT

HOSTILE = [
    "x" * 100_000,
    "0001-01-01",
    "9999-12-31T23:59",
    "99999-01-01",
    "2026-02-30",
    "\x00\x01",
    "Martin\u202eeniL",
    "-1",
    "1" * 40,
    "1e309",
    "NaN",
    "' OR 1=1 --",
]
ALONE_SHARE = 3  # each field alone gets one hostile value in three
# Pages with a form the owner opens with a GET (the flows of allauth and the API are fuzzed elsewhere).
PAGES = sorted(
    name
    for name in REGISTRY
    if not name.endswith(":*")
    and ":" in name
    and not name.startswith(("api:", "admin:"))
    and SAMPLES.get(name, Sample()).method == "get"
)


def _forms_of(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        values = context.flatten() if hasattr(context, "flatten") else dict(context)
        for value in values.values():
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def _value(field: forms.Field, hostile: str):
    if isinstance(field, forms.FileField):
        return SimpleUploadedFile("fichier.csv", hostile.encode("utf-8", "surrogatepass"))
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [hostile]
    return hostile


@pytest.mark.parametrize("name", PAGES)
def test_hostile_values_in_any_field_never_answer_500(world, name):
    sample = SAMPLES.get(name, Sample())
    url = reverse(name, kwargs=sample.kwargs(world) if sample.kwargs else None)
    client = Client()
    client.force_login(world.owner)
    page = client.get(url)
    if page.status_code != 200:
        pytest.skip(f"{name}: HTTP {page.status_code} for the owner")
    fields = {
        form.add_prefix(field_name): field
        for form in _forms_of(page)
        for field_name, field in form.fields.items()
    }
    if not fields:
        pytest.skip(f"{name}: no form")
    failures = []
    for number, hostile in enumerate(HOSTILE):
        everything = {key: _value(field, hostile) for key, field in fields.items()}
        cases = [everything]
        if not LIGHT:
            # Alone, each field gets a third of the values in turn (every value reaches every
            # field in the case above, and a third of the fields alone): the run stays bounded on
            # forms of forty fields.
            cases += [
                {key: _value(field, hostile)}
                for index, (key, field) in enumerate(fields.items())
                if (index + number) % ALONE_SHARE == 0
            ]
        for data in cases:
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(f"{sorted(data)} = {hostile[:20]!r}: HTTP {response.status_code}")
    assert failures == [], f"{name}:\n" + "\n".join(failures[:10])
