"""A template that names a variable the page does not have fails the test that renders it
(pytest-django's --fail-on-template-vars, set in pyproject.toml), instead of showing an empty cell."""

import pytest
from django.template import Context, Template


def test_an_unknown_template_variable_fails_the_test_that_renders_it():
    template = Template("<td>{{ person.comune.name }}</td>")  # a typo: "comune"
    with pytest.raises(pytest.fail.Exception, match=r"Undefined template variable 'person\.comune"):
        template.render(Context({"person": {"commune": {"name": "Arras"}}}))


def test_a_known_variable_and_an_if_on_a_missing_one_render():
    template = Template("{% if person.commune %}{{ person.commune.name }}{% else %}—{% endif %}")
    assert template.render(Context({"person": {"commune": {"name": "Arras"}}})) == "Arras"
    assert template.render(Context({"person": {"commune": None}})) == "—"


@pytest.mark.ignore_template_errors
def test_the_guard_can_be_lifted_for_a_test_that_means_it():
    assert Template("[{{ missing }}]").render(Context({})) == "[]"
