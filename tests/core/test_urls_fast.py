"""Links to ids are filled into each route's shape, learnt once: the result is always Django's."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from ancrage.core.urls_fast import fast_reverse

ROUTES_WITH_IDS = [
    ("people:person_detail", (12,)),
    ("support:enrollment_detail", (0,)),
    ("accounts:member_detail", (3, 987654321)),
    ("housing:occupancy", (2**40,)),
]


@pytest.mark.parametrize(("name", "args"), ROUTES_WITH_IDS)
def test_the_same_address_as_django(name, args):
    assert fast_reverse(name, args) == reverse(name, args=args)
    assert fast_reverse(name, list(args)) == reverse(name, args=args)


def test_what_is_not_an_id_goes_to_django():
    assert fast_reverse("support:caseload") == reverse("support:caseload")
    with pytest.raises(NoReverseMatch):
        fast_reverse("people:person_detail", (-1,))
    with pytest.raises(NoReverseMatch):
        fast_reverse("people:person_detail", ("abc",))
    with pytest.raises(NoReverseMatch):
        fast_reverse("people:person_detail", (1, 2))
    with pytest.raises(NoReverseMatch):
        fast_reverse("nowhere:nothing", (1,))
    # True is an int to Python, not an id: refused by Django, refused here.
    with pytest.raises(NoReverseMatch):
        fast_reverse("people:person_detail", (True,))


def test_a_site_served_under_a_prefix_gets_it():
    set_script_prefix("/ancrage/")
    try:
        assert fast_reverse("people:person_detail", (5,)) == "/ancrage/personnes/5/"
    finally:
        set_script_prefix("/")
    assert fast_reverse("people:person_detail", (5,)) == "/personnes/5/"


def test_every_template_url_tag_uses_it_and_keeps_djangos_behaviour():
    template = engines["django"].from_string(
        "{% url 'people:person_detail' pk %}|{% url 'people:person_detail' text %}|"
        "{% url 'people:person_detail' pk as link %}[{{ link }}]|"
        "{% url 'nowhere:nothing' pk as missing %}[{{ missing }}]|{% url 'support:caseload' %}"
    )
    assert template.render({"pk": 7, "text": "8"}) == (
        "/personnes/7/|/personnes/8/|[/personnes/7/]|[]|" + reverse("support:caseload")
    )
