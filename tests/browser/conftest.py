"""Playwright drives Debian's Chromium (never a downloaded browser); axe-core checks every page visited."""

import os

import pytest

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(
            locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page and fail on any serious or critical violation, listing them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # A click on a link returns once the navigation has started: axe-core must wait for the
        # new document, and run again if the old one went away under it.
        from playwright.sync_api import Error

        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page)
                break
            except Error:
                if attempt == 2:
                    raise
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in SERIOUS
        ]
        assert problems == [], f"axe-core on {page.url}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def screenshot_dir():
    """Screenshots land in test-results/ (ignored by git) for a person to look at."""
    path = os.path.join(os.getcwd(), "test-results")
    os.makedirs(path, exist_ok=True)
    return path


def login(page, live_server, user) -> None:
    """Open a session for ``user`` in the browser (the login form itself is covered by
    test_counsellor_journey); any previous session is dropped."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
