from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from ancrage.core.money import format_euros, format_number
from ancrage.core.text import fold


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "1\u202f234,56\u00a0€"),
        (0, "0,00\u00a0€"),
        (Decimal("-98765.4"), "-98\u202f765,40\u00a0€"),
        (1234567, "1\u202f234\u202f567,00\u00a0€"),
        (Decimal("0.005"), "0,01\u00a0€"),
        (None, "—"),
    ],
)
def test_amounts_are_written_the_french_way(value, expected):
    assert format_euros(value) == expected


def test_numbers_group_thousands():
    assert format_number(25000) == "25\u202f000"
    assert format_number(Decimal("12.5"), 1) == "12,5"


def test_template_filters_and_dates_follow_french_conventions():
    moment = timezone.make_aware(timezone.datetime(2026, 3, 4, 18, 5))
    rendered = Template(
        "{% load ancrage %}{{ amount|euros }}|{{ day|date:'SHORT_DATE_FORMAT' }}|{{ day|date:'SHORT_DATETIME_FORMAT' }}"
    ).render(Context({"amount": Decimal("25000"), "day": moment}))
    assert rendered == "25\u202f000,00\u00a0€|04/03/2026|04/03/2026 18:05"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Élodie", "elodie"),
        ("  SAINT-ÉTIENNE ", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("", ""),
    ],
)
def test_fold_ignores_case_accents_and_punctuation(text, expected):
    assert fold(text) == expected
