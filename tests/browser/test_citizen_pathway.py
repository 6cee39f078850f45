"""The CLEA citizen pathway in two browsers: the residence manager signs the apprentice up for
the sessions of the weeks they are housed (those of the other weeks are not offered) and opens
them to their school with consent; the school's member, in a second browser, sees the first name
and initial only and notes attendance; completion reaches 100 % and the certificate says so."""

import datetime
import io
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from ancrage.accounts.enums import Role
from ancrage.activities.services import schedule_session
from ancrage.housing.models.calendars import monday_of
from ancrage.housing.services import book_weeks
from ancrage.partnerships.services import pathways
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.browser.layout import layout_problems
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")


def _look(page, screenshot_dir, name):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/pathway-{name}-{width}.png", full_page=True)
        assert layout_problems(page) == [], (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def at(monday, weekday, hour):
    return datetime.datetime.combine(
        monday + datetime.timedelta(days=weekday), datetime.time(hour), tzinfo=PARIS
    )


def test_pathway_on_present_weeks_attendance_by_the_school_and_certificate(
    world, live_server, page, assert_accessible, screenshot_dir, tmp_path
):
    program = ParticipantFactory(organization=world.org, program__name="CLEA").program
    school = OrganizationFactory(name="CFA du Forez", kind="school")
    teacher = MembershipFactory(
        organization=school,
        role=Role.PARTNER,
        user__first_name="Paul",
        user__last_name="Girard",
    ).user
    residence = ResidenceFactory(organization=world.org, name="Résidence des Alternants")
    apprentice = PersonFactory(organization=world.org, first_name="Élodie", last_name="Roux")
    present = monday_of(timezone.localdate()) + datetime.timedelta(weeks=2)
    away = present + datetime.timedelta(weeks=1)
    book_weeks(
        person=apprentice,
        bed=BedFactory(unit__residence=residence),
        weeks=[present],
        actor=world.owner,
    )
    template = pathways.create_template(
        organization=world.org,
        program=program,
        title="Parcours citoyen CLEA",
        residence=residence,
        actor=world.owner,
    )
    first_aid = pathways.add_module(
        template=template,
        theme="first_aid",
        title="Premiers secours",
        delivered_by=school,
        actor=world.owner,
    )
    rights = pathways.add_module(
        template=template,
        theme="rights",
        title="Droits et devoirs",
        delivered_by=school,
        actor=world.owner,
    )
    pathway = pathways.open_pathway(template=template, person=apprentice, actor=world.owner)
    for module, day in ((first_aid, 1), (rights, 3)):
        schedule_session(
            activity=module.activity,
            starts_at=at(present, day, 14),
            place="Salle commune",
            actor=world.owner,
        )
    schedule_session(
        activity=first_aid.activity,
        starts_at=at(away, 1, 14),
        place="Salle commune",
        actor=world.owner,
    )

    # The manager: only the sessions of the week Élodie is housed are offered.
    login(page, live_server, world.owner)
    page.goto(f"{live_server.url}/parcours-citoyen/{pathway.pk}/")
    sessions = page.locator("#h-seances").locator("..").inner_text()
    assert at(present, 1, 14).strftime("%d/%m/%Y") in sessions
    assert at(away, 1, 14).strftime("%d/%m/%Y") not in sessions
    assert "Parcours réalisé à 0 %" in page.locator("#completion").inner_text()
    _look(page, screenshot_dir, "manager-before")
    sign_up = page.get_by_role("button", name=re.compile(r"^Inscrire"))
    for left in (1, 0):
        sign_up.first.click()
        page.get_by_text("Inscription enregistrée").wait_for()
        expect(sign_up).to_have_count(left)
    expect(page.get_by_role("button", name=re.compile(r"^Désinscrire"))).to_have_count(2)
    page.get_by_label("École ou partenaire").select_option(label="CFA du Forez")
    page.get_by_label("Accord de la personne le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Ouvrir avec son accord").click()
    page.get_by_text("la structure voit les séances de Élodie R.").wait_for()
    assert_accessible(page)
    _look(page, screenshot_dir, "manager-opened")

    # The school, in its own browser, after the sessions: first name and initial, attendance.
    with time_machine.travel(at(present, 4, 18)):
        context = page.context.browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        school_page = context.new_page()
        school_page.set_default_timeout(15_000)
        login(school_page, live_server, teacher)
        school_page.goto(f"{live_server.url}/parcours-citoyen/partenaire/")
        school_page.get_by_role("link", name="Élodie R.").click()
        assert "Roux" not in school_page.inner_text("body")
        _look(school_page, screenshot_dir, "school")
        note = school_page.get_by_role("button", name=re.compile(r"^Noter présent"))
        for left in (1, 0):
            note.first.click()
            school_page.get_by_text("Présence notée").wait_for()
            expect(note).to_have_count(left)
        expect(school_page.get_by_text("présent·e", exact=True)).to_have_count(2)
        assert_accessible(school_page)
        _look(school_page, screenshot_dir, "school-done")
        context.close()

        # The manager (a new session: two weeks later) sees 100 % and downloads the certificate.
        login(page, live_server, world.owner)
        page.goto(f"{live_server.url}/parcours-citoyen/{pathway.pk}/")
        assert "Parcours réalisé à 100 %" in page.locator("#completion").inner_text()
        _look(page, screenshot_dir, "manager-done")
        with page.expect_download() as download:
            page.get_by_role("link", name="Attestation (PDF)").click()
    content = download.value.path().read_bytes()
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Élodie Roux" in text
    assert "Premiers secours" in text and "Droits et devoirs" in text
    assert "100 %" in text and "2 module(s) validé(s) sur 2" in text
    if shutil.which("pdftoppm"):
        pdf_path = tmp_path / "attestation.pdf"
        pdf_path.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                str(pdf_path),
                f"{screenshot_dir}/pathway-certificate",
            ],
            check=True,
        )
