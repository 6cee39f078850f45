import datetime

import pytest
from django.core.exceptions import ValidationError

from ancrage.housing import services
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
SEPT = datetime.date(2026, 9, 7)  # Monday of ISO week 37


def weeks(*numbers):
    return [SEPT + datetime.timedelta(weeks=n) for n in numbers]


def rhythm(world, template, *, first=SEPT, person=None, **kwargs):
    return services.create_rhythm(
        person=person or PersonFactory(organization=world.org),
        name="BTS 2026-2027",
        template=template,
        first_school_week=first,
        ends_on=SEPT + datetime.timedelta(weeks=12),
        actor=world.owner,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("1/1", weeks(0, 2, 4, 6, 8, 10)),
        ("2/2", weeks(0, 1, 4, 5, 8, 9)),
        ("1/3", weeks(0, 4, 8)),
        ("3/1", weeks(0, 1, 2, 4, 5, 6, 8, 9, 10)),
        ("2/4", weeks(0, 1, 6, 7)),
    ],
)
def test_templates_give_the_school_weeks(world, template, expected):
    assert rhythm(world, template).school_weeks() == expected


def test_the_start_is_moved_to_its_monday_and_a_window_cuts_the_weeks(world):
    r = rhythm(world, "1/1", first=SEPT + datetime.timedelta(days=2))
    assert r.first_school_week == SEPT
    assert r.school_weeks(
        SEPT + datetime.timedelta(weeks=3), SEPT + datetime.timedelta(weeks=7)
    ) == weeks(4, 6)


def test_a_custom_calendar_keeps_its_weeks(world):
    r = rhythm(world, "custom", custom_weeks=[SEPT + datetime.timedelta(days=15), SEPT])
    assert r.school_weeks() == weeks(0, 2)
    with pytest.raises(ValidationError) as exc:
        rhythm(world, "custom")
    assert "custom_school_weeks" in exc.value.message_dict


def test_two_apprentices_on_complementary_rhythms_fill_one_studio(world):
    bed = BedFactory(unit__residence__organization=world.org)
    first = PersonFactory(organization=world.org)
    second = PersonFactory(organization=world.org)
    r1 = rhythm(world, "2/2", person=first)
    r2 = rhythm(world, "2/2", person=second, first=SEPT + datetime.timedelta(weeks=2))
    end = SEPT + datetime.timedelta(weeks=12)
    services.book_rhythm(person=first, bed=bed, rhythm=r1, start=SEPT, end=end, actor=world.owner)
    services.book_rhythm(person=second, bed=bed, rhythm=r2, start=SEPT, end=end, actor=world.owner)
    booked = sorted(
        start for (start,) in bed.periods.filter(is_active=True).values_list("starts_on")
    )
    assert len(booked) == 6  # runs of two weeks each, alternating
    third = PersonFactory(organization=world.org)
    r3 = rhythm(world, "1/1", person=third)
    with pytest.raises(ValidationError, match="déjà réservé"):
        services.book_rhythm(
            person=third, bed=bed, rhythm=r3, start=SEPT, end=end, actor=world.owner
        )


def test_a_rhythm_books_only_its_own_person(world):
    bed = BedFactory(unit__residence__organization=world.org)
    r = rhythm(world, "1/1")
    with pytest.raises(ValidationError) as exc:
        services.book_rhythm(
            person=PersonFactory(organization=world.org),
            bed=bed,
            rhythm=r,
            start=SEPT,
            end=SEPT + datetime.timedelta(weeks=4),
            actor=world.owner,
        )
    assert "rhythm" in exc.value.message_dict
