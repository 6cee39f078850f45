"""The forms whose checkbox groups broke (labels one word per line over the next fields, boxes
that could not be clicked) are laid out without overlap or covered control at 1366 and 390 px;
the old rendering fails the same check."""

import datetime

import pytest
from django import forms

from ancrage.accounts.enums import Role
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.browser.layout import layout_problems
from tests.housing.factories import ResidenceFactory
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(transactional_db):
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    OrganizationFactory(name="Pas-de-Calais Habitat", kind="social_landlord")
    admin = MembershipFactory(organization=cllaj, role=Role.ADMIN, user__email="a@exemple.fr").user
    person = PersonFactory(organization=cllaj)
    enrollment = EnrollmentFactory(
        organization=cllaj,
        person=person,
        referent=admin,
        requested_on=datetime.date(2025, 1, 6),
    )
    residence = ResidenceFactory(organization=cllaj)
    return admin, person, enrollment, residence


def test_forms_with_checkbox_groups_are_laid_out(setting, live_server, page, screenshot_dir):
    admin, person, enrollment, residence = setting
    login(page, live_server, admin)
    pages = {
        "diagnostic": f"/accueil/accompagnements/{enrollment.pk}/diagnostic/",
        "orientation": f"/accueil/personnes/{person.pk}/orienter/",
        "residence": "/residences/nouvelle/",
        "logement": f"/residences/{residence.pk}/",
    }
    found = {}
    for name, url in pages.items():
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + url)
            assert response.status == 200, (url, response.status)
            page.screenshot(path=f"{screenshot_dir}/layout-{name}-{width}.png", full_page=True)
            problems = layout_problems(page)
            if problems:
                found[f"{name} {width}"] = problems
    assert found == {}


def test_the_old_checkbox_group_fails_the_check(setting, live_server, page):
    """The rendering before the fix — Bootstrap's class of one box on the group's wrapper — put
    back on the diagnostic form: the check names the overlaps."""
    admin, _person, enrollment, _residence = setting
    login(page, live_server, admin)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + f"/accueil/accompagnements/{enrollment.pk}/diagnostic/")
    assert layout_problems(page) == []

    class Old(forms.Form):
        needs = forms.MultipleChoiceField(
            choices=[
                ("a", "Pas de couverture maladie"),
                ("b", "Pas de complémentaire santé"),
                ("c", "Besoin d'un soutien psychosocial"),
            ],
            widget=forms.CheckboxSelectMultiple,
        )

    old = str(Old()["needs"].as_widget(attrs={"class": "form-check-input"}))
    page.evaluate(
        """html => {
            const group = document.querySelector('main form fieldset');
            const wrapper = document.createElement('div');
            wrapper.className = 'mb-3';
            wrapper.innerHTML = html;
            group.replaceWith(wrapper);
        }""",
        old,
    )
    problems = layout_problems(page)
    assert problems, "the old checkbox group should fail the layout check"
    assert any("se chevauchent" in p or "recouvert" in p for p in problems), problems


def test_a_long_menu_and_name_wrap_instead_of_widening_the_page(setting, live_server, page):
    """Every module, the bell and a long name: the menu wraps at 1366 px (it had overflowed by
    a pixel with a longer name than usual)."""
    admin = setting[0]
    admin.first_name = "Marie-Christine-Alexandrine-Éléonore"
    admin.save()
    login(page, live_server, admin)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/reprise/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert layout_problems(page) == []
