"""Walk the pages a signed-in persona can reach by following links from the home page, one
address per page (URL name), and check each one's layout at 1366 px and at 390 px wide.

Used by ``test_every_page.py`` on the demo data, and by hand against a running server
(``python -m tests.browser.crawl http://127.0.0.1:8000 conseiller@demo.ancrage.fr``)."""

from __future__ import annotations

import re
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from tests.browser.layout import layout_problems

WIDE, PHONE = 1366, 390
# Links not to follow: leaving the session, downloads, the API, the operators' admin (Django's own
# pages), opening a notification (it marks it read), feeds for calendar applications, and
# allauth's two-factor index (its own template names variables the test guard refuses).
SKIPPED = re.compile(
    r"^/(compte/logout|compte/2fa/$|api/|exploitation/|static/|notifications/\d+/ouvrir/)"
    r"|/(pdf|xlsx|csv|ical|calendrier\.ics)/?$|[?&](export|format)=|\.(pdf|xlsx|csv|ics|zip)$"
)


@dataclass
class Visit:
    url: str
    view_name: str
    status: int
    problems: list[str] = field(default_factory=list)


def view_name_of(path: str, resolve) -> str | None:
    try:
        return resolve(path).view_name
    except Exception:  # noqa: BLE001 — any address Django does not know is simply not a page
        return None


def crawl(
    page,
    base_url: str,
    *,
    resolve,
    seeds: list[str] = (),  # type: ignore[assignment]
    limit: int = 200,
    per_view: int = 1,
) -> list[Visit]:
    """Breadth first from the home page (then ``seeds``); each URL name visited ``per_view``
    times at most."""
    seen_urls: set[str] = set()
    per_name: dict[str, int] = {}
    queue = deque(["/", *seeds])
    visits: list[Visit] = []
    while queue and len(visits) < limit:
        path = queue.popleft()
        if path in seen_urls:
            continue
        seen_urls.add(path)
        name = view_name_of(urlsplit(path).path, resolve)
        if name is None or per_name.get(name, 0) >= per_view:
            continue
        per_name[name] = per_name.get(name, 0) + 1
        page.set_viewport_size({"width": WIDE, "height": 900})
        try:
            response = page.goto(base_url + path)
        except Exception as error:  # noqa: BLE001
            if "Download is starting" in str(error):
                continue  # a file, not a page (an export, a report)
            raise
        status = response.status if response else 0
        visit = Visit(path, name, status)
        visits.append(visit)
        if status != 200:
            continue
        page.wait_for_load_state("domcontentloaded")
        visit.problems += [f"{WIDE} px : {p}" for p in layout_problems(page)]
        page.set_viewport_size({"width": PHONE, "height": 800})
        visit.problems += [f"{PHONE} px : {p}" for p in layout_problems(page)]
        for href in page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        ):
            absolute = urljoin(base_url + path, href)
            if not absolute.startswith(base_url):
                continue
            target = absolute[len(base_url) :].split("#", 1)[0]
            if target and not SKIPPED.search(target) and target not in seen_urls:
                queue.append(target)
    return visits


def main() -> None:  # pragma: no cover - a tool for people
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings.dev")
    django.setup()
    from django.urls import resolve
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS
    from tests.conftest import CHROMIUM

    base_url, emails = sys.argv[1], sys.argv[2:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for email in emails:
            context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
            page = context.new_page()
            page.goto(base_url + "/compte/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", "demo-ancrage-2026")
            page.click("button[type=submit]")
            page.wait_for_load_state("domcontentloaded")
            started = time.monotonic()
            visits = crawl(page, base_url, resolve=resolve)
            print(f"{email}: {len(visits)} pages, {time.monotonic() - started:.1f} s")  # noqa: T201 — a tool reporting to whoever runs it
            for visit in visits:
                if visit.status != 200 or visit.problems:
                    print(f"  {visit.status} {visit.url} ({visit.view_name})")  # noqa: T201
                    for problem in visit.problems[:6]:
                        print(f"      {problem}")  # noqa: T201
            context.close()
        browser.close()


if __name__ == "__main__":  # pragma: no cover
    main()
