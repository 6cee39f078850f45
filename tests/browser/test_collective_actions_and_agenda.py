"""A counsellor runs a housing workshop (session, attendance by name, head count), fixes an
appointment from a person's page, closes the exit's follow-up, and the person's timeline shows it all."""

import datetime

import pytest
from django.utils import timezone

from ancrage.accounts.enums import Role
from ancrage.activities.models import Attendance, Session
from ancrage.support import services
from ancrage.support.models import Appointment
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(transactional_db):
    """ORM data created before the browser starts (see test_counsellor_journey.py)."""
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    counsellor = MembershipFactory(
        organization=cllaj, role=Role.COUNSELLOR, user__email="conseil@exemple.fr"
    ).user
    youth = PersonFactory(organization=cllaj, last_name="Lefèvre", first_name="Élodie")
    enrollment = EnrollmentFactory(
        organization=cllaj,
        person=youth,
        referent=counsellor,
        requested_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    services.start_support(
        enrollment=enrollment,
        on=timezone.localdate() - datetime.timedelta(days=390),
        actor=counsellor,
    )
    services.close_enrollment(
        enrollment=enrollment,
        outcome="private_housing",
        on=timezone.localdate() - datetime.timedelta(days=200),
        actor=counsellor,
    )
    return counsellor, youth, enrollment


def test_workshop_appointment_and_follow_up(setting, live_server, page, assert_accessible):
    counsellor, youth, enrollment = setting
    login(page, live_server, counsellor)

    # A new workshop and this morning's session.
    page.goto(live_server.url + "/actions-collectives/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle action collective").click()
    assert_accessible(page)
    page.get_by_label("Type d'action").select_option(label="Atelier recherche logement")
    page.get_by_role("textbox", name="Intitulé (obligatoire)", exact=True).fill(
        "Trouver son premier logement"
    )
    page.get_by_role("button", name="Créer l'action").click()
    assert page.get_by_role("heading", name="Trouver son premier logement").is_visible()
    assert_accessible(page)
    earlier = timezone.localtime() - datetime.timedelta(hours=2)
    page.get_by_label("Date et heure").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("textbox", name="Lieu", exact=True).fill("Salle Europe")
    page.get_by_role("button", name="Ajouter la séance").click()
    assert page.get_by_text("Séance ajoutée").is_visible()
    assert_accessible(page)

    # Élodie came, with four people who gave no name.
    field = page.get_by_role("combobox", name="Personne présente (obligatoire)", exact=True)
    field.press_sequentially("elodie", delay=30)
    option = page.locator("#personnes-suggestions option").first
    option.wait_for(state="attached")
    field.fill(option.get_attribute("value"))
    page.get_by_role("button", name="Noter présente").click()
    assert page.get_by_text("Élodie LEFÈVRE est notée présente.").is_visible()
    page.get_by_label("Participant·es non nommé·es").fill("4")
    page.get_by_role("button", name="Enregistrer le nombre").click()
    assert page.get_by_text("5 participant·es").is_visible()
    assert_accessible(page)
    assert Attendance.objects.get().person == youth
    assert Session.objects.get().anonymous_count == 4

    # An appointment fixed from her page, seen in the agenda.
    page.goto(live_server.url + f"/personnes/{youth.pk}/")
    page.get_by_role("link", name="Fixer un rendez-vous").click()
    assert_accessible(page)
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=10, minute=0)
    page.get_by_label("Date et heure").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Objet").fill("Dossier Visale")
    page.get_by_role("button", name="Fixer le rendez-vous").click()
    assert page.get_by_role("heading", name="Mon agenda", exact=True).is_visible()
    assert page.get_by_role("cell", name="Dossier Visale").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Créer mon lien d'agenda").click()
    assert page.get_by_label("Adresse de l'agenda").input_value().endswith(".ics")
    assert Appointment.objects.get().person == youth

    # Six months after her exit: still housed, in training.
    page.goto(live_server.url + "/accueil/mes-accompagnements/")
    assert_accessible(page)
    page.get_by_role("region", name="Nouvelles à prendre après une sortie").get_by_role(
        "link", name="Élodie LEFÈVRE"
    ).click()
    page.get_by_text("Enregistrer ce suivi").click()
    page.get_by_label("Oui").check()
    page.get_by_label("Où vit-elle aujourd'hui ?").select_option(
        label="Toujours dans le logement obtenu à la sortie"
    )
    page.get_by_label("Emploi ou formation aujourd'hui").select_option(
        label="En formation ou en apprentissage"
    )
    page.get_by_role("button", name="Enregistrer le suivi").click()
    assert page.get_by_text("Suivi 6 mois après la sortie enregistré.").is_visible()
    assert_accessible(page)

    # Her timeline gathers the workshop, the appointment and the follow-up.
    page.goto(live_server.url + f"/personnes/{youth.pk}/")
    timeline = page.get_by_role("region", name="Parcours")
    for text in ("Trouver son premier logement", "Rendez-vous", "Suivi après sortie"):
        assert timeline.get_by_text(text).first.is_visible()
    assert_accessible(page)
