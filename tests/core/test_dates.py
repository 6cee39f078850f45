import datetime

import pytest

from ancrage.core.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 15), 6, datetime.date(2026, 9, 15)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 1), 12, datetime.date(2027, 12, 1)),
        (datetime.date(2026, 7, 31), 12, datetime.date(2027, 7, 31)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected
