"""A residence manager books an apprentice's school weeks for the school year, sees them on the
grid, fills the other weeks of the same studio with a second apprentice on the complementary rhythm,
and is told clearly why an overlapping booking is refused."""

import datetime
import re

import pytest

from ancrage.accounts.enums import Role
from ancrage.housing import services
from ancrage.housing.models import Booking
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEPT = datetime.date(2026, 9, 7)


@pytest.fixture
def manager(transactional_db):
    """ORM data created before the browser starts (see test_counsellor_journey.py)."""
    organization = OrganizationFactory(name="Résidences Alternance Loire")
    user = MembershipFactory(
        organization=organization, role=Role.ADMIN, user__email="gestion@exemple.fr"
    ).user
    residence = services.create_residence(
        organization=organization,
        **{"name": "Résidence Carnot", "kind": "apprentices"},
        actor=user,
    )
    services.create_unit(
        residence=residence,
        **{"reference": "T1-01", "typology": "t1", "monthly_rent": 390, "weekly_price": 105},
        actor=user,
    )
    for first, last, offset in (("Mathéo", "Perrin", 0), ("Anaïs", "Robert", 2)):
        person = PersonFactory(organization=organization, first_name=first, last_name=last)
        services.create_rhythm(
            person=person,
            name="BTS 2026-2027",
            template="2/2",
            first_school_week=SEPT + datetime.timedelta(weeks=offset),
            ends_on=datetime.date(2027, 6, 30),
            actor=user,
        )
    PersonFactory(organization=organization, first_name="Lina", last_name="Faure")
    return user, residence


def pick_person(page, name_typed):
    field = page.get_by_role("combobox", name="Occupant·e (obligatoire)", exact=True)
    field.press_sequentially(name_typed, delay=30)
    option = page.locator("#personnes-suggestions option").first
    option.wait_for(state="attached")
    field.fill(option.get_attribute("value"))


def book(page, live_server, residence, person, *, mode, rhythm=None, start, end):
    page.goto(f"{live_server.url}/residences/{residence.pk}/reserver/")
    assert_form = page.get_by_role("heading", name="Réserver un logement à Résidence Carnot")
    assert assert_form.is_visible()
    pick_person(page, person)
    # The label says whether the bed is free on the first day: « T1-01 — T1 — libre le … ».
    studio = page.locator("#id_bed option", has_text="T1-01 — T1").get_attribute("value")
    page.get_by_label("Logement").select_option(value=studio)
    page.get_by_label(mode).check()
    if rhythm:
        page.get_by_label("Rythme d'alternance", exact=True).select_option(label=rhythm)
    page.get_by_label("À partir du").fill(start)
    page.get_by_label("Jusqu'au").fill(end)
    page.get_by_role("button", name="Réserver").click()


def test_two_apprentices_share_a_studio_and_an_overlap_is_refused(
    manager, live_server, page, assert_accessible, screenshot_dir
):
    user, residence = manager
    login(page, live_server, user)
    page.goto(f"{live_server.url}/residences/{residence.pk}/")
    assert_accessible(page)

    book(
        page,
        live_server,
        residence,
        "perrin",
        mode="Les semaines à l'école d'un rythme d'alternance",
        rhythm="Mathéo PERRIN — BTS 2026-2027 (2/2)",
        start="2026-09-01",
        end="2027-06-30",
    )
    assert page.get_by_text("Réservation enregistrée pour Mathéo PERRIN.").is_visible()
    assert_accessible(page)
    grid = page.get_by_role("table")
    assert (
        grid.get_by_role("link", name="Mathéo PERRIN").count() == 6
    )  # weeks 37, 38, 41, 42, 45, 46
    # Free cells lead to booking that bed that week.
    free = grid.get_by_role("link", name=re.compile(r"^libre : réserver T1-01"))
    assert free.count() == 6

    book(
        page,
        live_server,
        residence,
        "robert",
        mode="Les semaines à l'école d'un rythme d'alternance",
        rhythm="Anaïs ROBERT — BTS 2026-2027 (2/2)",
        start="2026-09-01",
        end="2027-06-30",
    )
    assert page.get_by_text("Réservation enregistrée pour Anaïs ROBERT.").is_visible()
    assert page.get_by_text("taux d'occupation 100 %").is_visible()
    assert page.get_by_role("table").get_by_role("link", name=re.compile(r"^libre")).count() == 0
    page.screenshot(path=f"{screenshot_dir}/grille-occupation.png", full_page=True)
    assert_accessible(page)

    # A third person asks for two weeks already taken.
    page.goto(f"{live_server.url}/residences/{residence.pk}/reserver/")
    assert_accessible(page)
    book(
        page,
        live_server,
        residence,
        "faure",
        mode="Des semaines consécutives",
        start="2026-09-21",
        end="2026-10-04",
    )
    alert = page.get_by_text(
        "T1-01 est déjà réservé du 21/09/2026 au 04/10/2026 pour Anaïs ROBERT."
    )
    assert alert.is_visible()
    assert_accessible(page)
    assert Booking.objects.count() == 2
