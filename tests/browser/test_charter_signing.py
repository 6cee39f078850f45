"""The tripartite charter signed online: the residence manager prepares it; the apprentice, the
school and the employer each sign in their own browser, without an account, with the code read
from the mailbox; the signed PDF shows three signatures and the hash; the verification page
accepts it and rejects a tampered copy."""

import io
import shutil
import subprocess

import pytest
from django.core import mail
from pypdf import PdfReader

from tests.browser.conftest import login
from tests.browser.layout import layout_problems
from tests.partnerships.factories import CODE, LINK, ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, screenshot_dir, name):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/charter-{name}-{width}.png", full_page=True)
        assert layout_problems(page) == [], (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def _link_for(email: str) -> str:
    bodies = [m.body for m in mail.outbox if m.to == [email] and LINK.search(m.body)]
    return LINK.search(bodies[-1]).group(0)


def _code_for(email: str) -> str:
    bodies = [m.body for m in mail.outbox if m.to == [email] and "code" in m.subject.lower()]
    return CODE.search(bodies[-1]).group(1)


def test_three_parties_sign_in_three_browsers_and_the_pdf_verifies(
    world, live_server, page, assert_accessible, screenshot_dir, tmp_path
):
    r = ready(world)
    login(page, live_server, world.owner)
    page.goto(f"{live_server.url}/apprentissages/{r.apprenticeship.pk}/")
    page.get_by_role("link", name="Préparer la charte").click()
    page.get_by_label("Accord de l'apprenti·e le").fill("2026-09-02")
    page.get_by_label("E-mail de l'apprenti·e").fill(r.parties["apprentice"][1])
    page.get_by_label("Qui signe pour l'école").fill(r.parties["school"][0])
    page.get_by_label("E-mail de l'école").fill(r.parties["school"][1])
    page.get_by_label("Qui signe pour l'employeur").fill(r.parties["employer"][0])
    page.get_by_label("E-mail de l'employeur").fill(r.parties["employer"][1])
    _look(page, screenshot_dir, "prepare")
    page.get_by_role("button", name="Préparer et envoyer les liens").click()
    page.get_by_text("chaque partie a reçu son lien").wait_for()
    assert page.locator("#statut-charte").inner_text() == "à signer"
    assert_accessible(page)
    _look(page, screenshot_dir, "follow")
    charter_url = page.url

    browser = page.context.browser
    for done, role in enumerate(("apprentice", "school", "employer"), start=1):
        name, email = r.parties[role]
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        party = context.new_page()
        party.set_default_timeout(15_000)
        party.goto(live_server.url + _link_for(email))
        assert "Léa MARTIN prépare « CAP Boulanger »" in party.inner_text("main")
        party.get_by_role("button", name="Recevoir un code par e-mail").click()
        party.get_by_text("Code envoyé").wait_for()
        if done == 2:
            assert_accessible(party)
            _look(party, screenshot_dir, "sign")
        party.get_by_label("Code reçu par e-mail").fill(_code_for(email))
        party.get_by_label("J'ai lu la charte et je m'engage à la respecter.").check()
        party.get_by_role("button", name="Signer la charte").click()
        party.get_by_text("votre signature est enregistrée").wait_for()
        if done == 3:
            assert "Toutes les parties ont signé" in party.inner_text("main")
            _look(party, screenshot_dir, "signed")
        # The link works once.
        party.goto(live_server.url + _link_for(email))
        assert "ce lien ne sert plus" in party.inner_text("main")
        context.close()

    page.goto(charter_url)
    assert page.locator("#statut-charte").inner_text() == "complète"
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la charte signée (PDF)").click()
    signed = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(signed))
    signature_page = reader.pages[-1].extract_text()
    for name in ("Léa MARTIN", r.parties["school"][0], r.parties["employer"][0]):
        assert name in signature_page  # the apprentice's name as the form offered it
    hash_shown = page.locator("dd code").first.inner_text()
    assert hash_shown in signature_page.replace("\n", "")
    if shutil.which("pdftoppm"):
        pdf_path = tmp_path / "signed.pdf"
        pdf_path.write_bytes(signed)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf_path), f"{screenshot_dir}/charter-pdf"],
            check=True,
        )

    # Anyone can check a copy: the signed one is accepted, a tampered one is not.
    checker = browser.new_context(locale="fr-FR").new_page()
    checker.goto(f"{live_server.url}/chartes/verifier/")
    (tmp_path / "charte.pdf").write_bytes(signed)
    checker.get_by_label("Exemplaire PDF à vérifier").set_input_files(str(tmp_path / "charte.pdf"))
    checker.get_by_role("button", name="Vérifier", exact=True).click()
    assert "Document authentique" in checker.locator("#verification").inner_text()
    assert_accessible(checker)
    _look(checker, screenshot_dir, "verified")
    tampered = signed.replace(b"Anne Vidal", b"Anne Vidam")
    assert tampered != signed  # one letter of a name changed in the PDF
    (tmp_path / "modifiee.pdf").write_bytes(tampered)
    checker.get_by_label("Exemplaire PDF à vérifier").set_input_files(
        str(tmp_path / "modifiee.pdf")
    )
    checker.get_by_role("button", name="Vérifier", exact=True).click()
    assert "Document non reconnu" in checker.locator("#verification").inner_text()
    checker.context.close()
