"""``|date`` writes the all-digit formats itself: the text is always Django's, for dates and
times, aware and naive, years below 1000, every format the templates use."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from ancrage.core.templatetags.fastdate import date as fast_date

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ancrage"
USED = sorted(
    {
        match
        for path in TEMPLATES.rglob("*.html")
        for match in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8"))
    }
)
FORMATS = [None, "", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "H:i", *USED]
PARIS = datetime.timezone(datetime.timedelta(hours=1))
VALUES = [
    datetime.date(2026, 10, 16),
    datetime.date(999, 1, 2),
    datetime.date(1, 1, 1),
    datetime.datetime(2026, 10, 16, 9, 5, 7),  # noqa: DTZ001 — a naive value, as templates may get
    datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 29, 1, 30, tzinfo=PARIS),
    datetime.datetime(45, 6, 7, 0, 0),  # noqa: DTZ001
    None,
    "",
    "pas une date",
    42,
]


def test_the_templates_formats_are_found():
    assert "d/m/Y" in USED and "SHORT_DATE_FORMAT" in USED


@pytest.mark.parametrize("pattern", FORMATS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_same_text_as_django(value, pattern):
    try:
        expected = django_date(value, pattern)
    except TypeError:  # a time format for a date: Django refuses, so does the filter
        with pytest.raises(TypeError):
            fast_date(value, pattern)
        return
    assert fast_date(value, pattern) == expected


def test_templates_use_it_with_the_local_time():
    template = engines["django"].from_string(
        '{{ when|date:"SHORT_DATETIME_FORMAT" }}|{{ day|date:"d/m/Y" }}|{{ when|date:"l j F" }}'
    )
    when = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    local = timezone.localtime(when)
    assert template.render({"when": when, "day": datetime.date(2026, 1, 2)}) == (
        f"{local:%d/%m/%Y %H:%M}|02/01/2026|vendredi 1 janvier"
    )
    assert local.date() == datetime.date(2027, 1, 1)  # a Friday, in Paris already
