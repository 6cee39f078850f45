"""A residence manager asks who should share which studio, reads the proposal (shares, weeks,
savings) and accepts it: the bookings exist, and the pages pass axe-core."""

import datetime
import os

import pytest

from ancrage.accounts.enums import Role
from ancrage.housing import services
from ancrage.housing.models import Booking
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEPT = datetime.date(2026, 9, 7)
JULY = datetime.date(2027, 7, 1)


@pytest.fixture
def manager(transactional_db):
    organization = OrganizationFactory(name="Résidences Alternance Loire")
    user = MembershipFactory(
        organization=organization,
        role=Role.ADMIN,
        user__email="gestion@exemple.fr",
        user__first_name="Gestion",
        user__last_name="Testeur",
    ).user
    residence = ResidenceFactory(organization=organization, name="Résidence Carnot")
    for reference in ("T1-01", "T1-02", "T1-03"):
        BedFactory(unit__residence=residence, unit__reference=reference)
    for first, template, offset in (
        ("Ana", "2/2", 0),
        ("Bao", "2/2", 2),
        ("Cléa", "1/1", 0),
        ("Dan", "1/1", 1),
    ):
        person = PersonFactory(organization=organization, first_name=first, last_name="Alternant")
        rhythm = services.create_rhythm(
            person=person,
            name="BTS",
            template=template,
            first_school_week=SEPT + datetime.timedelta(weeks=offset),
            ends_on=JULY,
            actor=user,
        )
        services.submit_application(
            residence=residence, person=person, wished_from=SEPT, rhythm=rhythm, actor=user
        )
    return user, residence


def test_manager_runs_reads_and_accepts_an_allocation(
    page, live_server, manager, assert_accessible, screenshot_dir
):
    user, residence = manager
    login(page, live_server, user)
    page.goto(f"{live_server.url}/residences/{residence.pk}/")
    page.get_by_role("link", name="Partager les studios selon les rythmes").click()
    page.get_by_role("heading", name="Qui partage quel logement ?").wait_for()
    assert_accessible(page)
    page.get_by_role("textbox", name="Du (obligatoire)", exact=True).fill(SEPT.isoformat())
    page.get_by_role("textbox", name="Au (obligatoire)", exact=True).fill(JULY.isoformat())
    page.get_by_label("Temps de calcul maximal (secondes)").fill("5")
    page.get_by_role("button", name="Lancer le calcul").click()
    page.get_by_role("button", name="Accepter pour les personnes cochées").wait_for()
    text = page.content()
    assert "au lieu de 4" in text and "partagé avec" in text
    page.screenshot(path=os.path.join(screenshot_dir, "allocation-proposition.png"), full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Accepter pour les personnes cochées").click()
    page.wait_for_load_state()
    assert Booking.objects.filter(bed__unit__residence=residence).count() == 4
    assert (
        Booking.objects.filter(bed__unit__residence=residence)
        .values("bed__unit")
        .distinct()
        .count()
        == 2
    )
