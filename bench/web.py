"""Web benchmark: the counsellor's pages and their API twins under a bounded load, each as a ratio to
a floor view (a minimal Django view rendering 50 rows from one query, through the same middleware and
session) and to a bare WSGI application, served the way production serves them (`ancrage serve`).

    make bench-web                       one process, then two (the default)
    make bench-web REQUESTS=500          fewer requests per page (a quick look)

Uses the PostgreSQL database of BENCH_DATABASE_URL (default: ancrage_bench_web on 127.0.0.1, created
if missing): migrates it, loads the demo and a caseload of a national desk's size once. The load
generator is one asyncio process keeping 8 requests in flight, each on its own connection (as
nginx proxies). Record the output and the
machine in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/ancrage_bench_web"
CASELOAD = 520  # open enrollments of the bench counsellor, as in the measure of the issue
CONTACTS = 3000


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    env["DJANGO_SETTINGS_MODULE"] = "bench.web_settings"
    env["ANCRAGE_INDICATORS_AUTO_REFRESH"] = "0"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare() -> dict[str, str]:
    """Migrate, load the demo and the bench caseload once; returns the pages, the session cookie
    and the API token (run in this process, then the servers start with the same database)."""
    os.environ.update(_environment())
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from ancrage.accounts.models import User
    from ancrage.accounts.services import create_api_token
    from ancrage.core.models import Territory
    from ancrage.housing.models import Residence
    from ancrage.people.models import Person

    call_command("migrate", verbosity=0)
    if not Territory.objects.filter(kind="commune").exists():
        call_command("load_territories")  # the demo's services name real communes
    if not User.objects.filter(email="conseiller@demo.ancrage.fr").exists():
        print("Chargement de la démonstration…", flush=True)
        from ancrage.demo.data import load_demo

        load_demo()
    counsellor = User.objects.get(email="conseiller@demo.ancrage.fr")
    _grow_caseload(counsellor)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as after autovacuum on a live server
    client = Client()
    client.force_login(counsellor)
    _, token = create_api_token(user=counsellor, name="banc d'essai web", actor=counsellor)
    person = Person.objects.filter(enrollments__referent=counsellor).order_by("pk").first()
    manager = User.objects.get(email="gestion@demo.ancrage.fr")
    residence = (
        Residence.objects.filter(organization__memberships__user=manager).order_by("pk").first()
    )
    manager_client = Client()
    manager_client.force_login(manager)
    return {
        "cookie": client.cookies["sessionid"].value,
        "manager_cookie": manager_client.cookies["sessionid"].value,
        "token": token,
        "caseload": reverse("support:caseload"),
        "contacts": reverse("support:contact_list"),
        "persons": reverse("people:person_list"),
        "person": reverse("people:person_detail", args=[person.pk]),
        "indicators": reverse("indicators:dashboard"),
        "api_persons": "/api/v1/persons/",
        "api_contacts": "/api/v1/contacts/",
        "occupancy": reverse("housing:occupancy", args=[residence.pk]),
    }


def _grow_caseload(counsellor) -> None:
    """The demo counsellor follows ``CASELOAD`` people and has logged ``CONTACTS`` contacts, all
    written through the services like any record."""
    import datetime
    import random

    from django.utils import timezone

    from ancrage.people.services import create_person
    from ancrage.support.models import Contact, Enrollment
    from ancrage.support.services.contacts import record_contact
    from ancrage.support.services.enrollments import open_enrollment

    organization = counsellor.memberships.first().organization
    have = Enrollment.objects.filter(referent=counsellor, ended_on__isnull=True).count()
    rng = random.Random(7)  # noqa: S311 — synthetic data
    today = timezone.localdate()
    if have < CASELOAD:
        print(f"Dossiers du banc : {CASELOAD - have} personnes accompagnées de plus…", flush=True)
    for index in range(have, CASELOAD):
        person = create_person(
            organization=organization,
            actor=counsellor,
            last_name=f"Banc{index:04d}",
            first_name=rng.choice(["Élodie", "Hugo", "Inès", "Noah", "Zoé", "Yanis"]),
            birth_date=datetime.date(1990 + index % 15, 1 + index % 12, 1 + index % 28),
            confirmed_not_duplicate=True,
        )
        open_enrollment(
            person=person,
            referent=counsellor,
            requested_on=today - datetime.timedelta(days=index % 300),
            actor=counsellor,
        )
    have = Contact.objects.filter(organization=organization).count()
    if have < CONTACTS:
        print(f"Contacts du banc : {CONTACTS - have} de plus…", flush=True)
    now = timezone.now()
    for index in range(have, CONTACTS):
        record_contact(
            organization=organization,
            actor=counsellor,
            channel=rng.choice(["phone", "email", "walk_in"]),
            subjects=[rng.choice(["housing", "admin_help", "mobility"])],
            outcome=rng.choice(["information", "referral", "appointment"]),
            occurred_at=now - datetime.timedelta(hours=index * 3),
        )


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _one_connection(port, path, headers, queue, latencies, errors) -> None:
    writer = None
    # One connection per request, as nginx proxies (HTTP/1.0 to the upstream, no keep-alive):
    # with kept-alive connections one gunicorn worker may accept all eight and the other idle.
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n"
    ).encode()
    while True:
        try:
            queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.perf_counter()
        writer.write(request)
        status_line = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if b" 200 " not in status_line:
            errors.append(status_line)
        writer.close()
        writer = None


async def _load(port: int, path: str, headers: str, requests: int, connections: int) -> Result:
    queue: asyncio.Queue = asyncio.Queue()
    for _ in range(requests):
        queue.put_nowait(None)
    latencies: list[float] = []
    errors: list = []
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _one_connection(port, path, headers, queue, latencies, errors)
            for _ in range(connections)
        )
    )
    return Result(requests, len(errors), time.perf_counter() - started, latencies)


def load(port, path, headers, requests, connections=8) -> Result:
    asyncio.run(_load(port, path, headers, min(50, requests), connections))  # warm up
    return asyncio.run(_load(port, path, headers, requests, connections))


def _wait(port: int, process: subprocess.Popen) -> None:
    import socket

    for _ in range(200):
        if process.poll() is not None:
            sys.exit(f"Le serveur s'est arrêté (code {process.returncode}).")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit("Le serveur ne répond pas.")


def _server(arguments: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "ancrage.cli", *arguments, "--port", str(port)],
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait(port, process)
    return process


def _rss_mb(process: subprocess.Popen) -> float:
    """Resident memory of the server and its children (gunicorn's workers), in MB."""
    pids = [str(process.pid)]
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    pids += children
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


PAGES = [
    ("Mes accompagnements", "caseload", "cookie"),
    ("Contacts", "contacts", "cookie"),
    ("Personnes", "persons", "cookie"),
    ("Fiche personne", "person", "cookie"),
    ("Indicateurs", "indicators", "cookie"),
    ("API personnes", "api_persons", "token"),
    ("API contacts", "api_contacts", "token"),
    ("Occupation (résidence)", "occupancy", "manager_cookie"),
]


def _headers(setup: dict[str, str], credential: str) -> str:
    if credential == "token":
        return f"Authorization: Token {setup['token']}\r\n"
    return f"Cookie: sessionid={setup[credential]}\r\n"


def run(setup: dict[str, str], workers: int, requests: int, port: int) -> dict[str, Result]:
    results: dict[str, Result] = {}
    bare = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.web_bare",
            "--workers",
            str(workers),
            "--port",
            str(port + 1),
        ],
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port + 1, bare)
        results["bare"] = load(port + 1, "/", "", requests)
    finally:
        bare.terminate()
        bare.wait()
    server = _server(["serve", "--workers", str(workers)], port)
    try:
        results["floor"] = load(port, "/banc/plancher/", _headers(setup, "cookie"), requests)
        for _, key, credential in PAGES:
            results[key] = load(port, setup[key], _headers(setup, credential), requests)
        results["rss"] = _rss_mb(server)  # type: ignore[assignment]
    finally:
        server.terminate()
        server.wait()
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=int(os.environ.get("REQUESTS", "2000")))
    parser.add_argument("--port", type=int, default=18500)
    parser.add_argument("--workers", default="1,2", help="nombres de processus, séparés par ,")
    args = parser.parse_args(argv)
    setup = prepare()
    print(
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()} ; {args.requests} requêtes par page, 8 connexions"
    )
    runs = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        runs[workers] = run(setup, workers, args.requests, args.port)
        result = runs[workers]
        floor = result["floor"].rate
        print(
            f"\n{workers} processus — mémoire du serveur après la charge : {result['rss']:.0f} Mo"
        )
        print(
            f"{'page':<26}{'req/s':>8}{'÷ plancher':>12}{'÷ WSGI nu':>11}{'p50 ms':>9}"
            f"{'p95 ms':>9}{'erreurs':>9}"
        )
        rows = [("WSGI nu", "bare"), ("Plancher (50 lignes)", "floor")]
        rows += [(label, key) for label, key, _ in PAGES]
        for label, key in rows:
            r = result[key]
            print(
                f"{label:<26}{r.rate:>8.0f}{r.rate / floor:>12.2f}"
                f"{r.rate / result['bare'].rate:>11.3f}{r.percentile(0.5):>9.1f}"
                f"{r.percentile(0.95):>9.1f}{r.errors:>9}"
            )
        below = [label for label, key, _ in PAGES if result[key].rate / floor < 0.5]
        print(
            "Objectif ≥ 0,5 du plancher : "
            + ("tenu" if not below else "manqué — " + ", ".join(below))
        )
    if 1 in runs and 2 in runs:
        print("\nPassage à 2 processus (objectif ≥ 1,7×) :")
        for label, key in [("Plancher", "floor")] + [(label, key) for label, key, _ in PAGES]:
            print(f"  {label:<26}{runs[2][key].rate / runs[1][key].rate:>6.2f}×")


if __name__ == "__main__":
    main()
