"""Import benchmark: a year of a desk (20,000 people, 100,000 contacts) through ``ancrage import``
(CSV read, every line checked by the services, inserted by batches, one audit event per batch),
against a plain ``bulk_create`` of the same rows in the same run (the floor), with the number of
indicator refreshes queued; then 1,000 contacts created one POST at a time through the API.

    make bench-import                          20,000 people and 100,000 contacts
    make bench-import PEOPLE=2000              a quicker run
    DATABASE_URL=postgres://… make bench-import

Uses the database of DATABASE_URL (migrated first); each run adds its own organizations. Record
the output and the machine in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _n(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")


SUBJECTS = ["logement", "Aide administrative", "Solvabilisation", "Mobilité"]
CHANNELS = ["Téléphone", "email", "walk_in", "Accueil physique au siège"]


def _rows(people: int, contacts: int):
    persons = [["ref", "nom", "prenom", "date_naissance", "situation"]]
    for i in range(people):
        # One birth day each (7919 is prime to the counts used): no look-alikes to refuse.
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(i * 7919) % people)
        persons.append([f"P{i:06d}", f"Nom{i}", f"Prénom{i}", born.strftime("%d/%m/%Y"), "student"])
    logged = [["ref", "date", "canal", "sujets", "resultat", "personne", "tranche_age"]]
    for i in range(contacts):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 365)
        named = i % 3 != 0
        logged.append(
            [
                f"C{i:07d}",
                f"{day:%d/%m/%Y} {8 + i % 10:02d}:{(i * 7) % 60:02d}",
                CHANNELS[i % len(CHANNELS)],
                SUBJECTS[i % len(SUBJECTS)],
                "information",
                f"P{(i * 7919) % people:06d}" if named else "",
                "" if named else "21_25",
            ]
        )
    return persons, logged


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def _organization(suffix: str):
    from ancrage.accounts.models import Membership, Organization, User

    organization = Organization.objects.create(name=f"Banc d'essai {suffix}", kind="cllaj")
    user = User.objects.create_user(email=f"banc-{suffix}@exemple.fr", password=uuid.uuid4().hex)
    Membership.objects.create(user=user, organization=organization, role="admin")
    return organization, user


def floor(persons, logged) -> float:
    """The same rows as model objects, bulk-created by 1,000: no checks, no audit."""
    from django.db import transaction
    from django.utils import timezone

    from ancrage.people.models import Person
    from ancrage.support.models import Contact

    organization, user = _organization(f"plancher-{uuid.uuid4().hex[:6]}")
    channels = {"Téléphone": "phone", "email": "email", "walk_in": "walk_in"}
    started = time.perf_counter()
    with transaction.atomic():
        people = []
        for ref, last, first, born, situation in persons[1:]:
            person = Person(
                organization=organization,
                created_by=user,
                external_ref=ref,
                last_name=last,
                first_name=first,
                birth_date=datetime.date(*reversed([int(part) for part in born.split("/")])),
                situation=situation,
            )
            person.set_derived_fields()
            people.append(person)
        Person.objects.bulk_create(people, batch_size=1000)
        by_ref = {person.external_ref: person for person in people}
        contacts = []
        for ref, when, channel, _subject, outcome, person, age_band in logged[1:]:
            contacts.append(
                Contact(
                    organization=organization,
                    recorded_by=user,
                    external_ref=ref,
                    occurred_at=timezone.make_aware(
                        datetime.datetime.strptime(when, "%d/%m/%Y %H:%M")  # noqa: DTZ007 — local time, made aware
                    ),
                    channel=channels.get(channel, "walk_in"),
                    subjects=["housing"],
                    outcome=outcome,
                    person=by_ref.get(person),
                    age_band=age_band,
                )
            )
        Contact.objects.bulk_create(contacts, batch_size=1000)
    return time.perf_counter() - started


def through_import(persons, logged) -> tuple[float, int, int, int]:
    """``ancrage import`` of the two CSV files; the refreshes queued are counted, not run."""
    from django.conf import settings
    from django.core.management import call_command

    from ancrage.indicators import signals, tasks
    from ancrage.indicators.models import StaleMonth

    organization, user = _organization(f"import-{uuid.uuid4().hex[:6]}")
    queued = []

    class Counted:
        """Stands for the refresh task: counts what would be queued, runs nothing."""

        @staticmethod
        def enqueue(*args, **kwargs):
            queued.append(1)

    originals = (tasks.refresh_stale_indicators, signals.refresh_stale_indicators)
    tasks.refresh_stale_indicators = signals.refresh_stale_indicators = Counted  # type: ignore[assignment]
    settings.ANCRAGE_INDICATORS_AUTO_REFRESH = True
    StaleMonth.objects.all().delete()
    directory = tempfile.mkdtemp(prefix="banc-import-")
    paths = []
    for name, rows in (("personnes.csv", persons), ("contacts.csv", logged)):
        path = os.path.join(directory, name)
        with open(path, "wb") as handle:
            handle.write(_csv(rows))
        paths.append((path, name.removesuffix(".csv")))
    started = time.perf_counter()
    for path, kind in paths:
        call_command(
            "import_records",
            path,
            "--structure",
            str(organization.pk),
            "--utilisateur",
            user.email,
            "--contenu",
            kind,
            stdout=io.StringIO(),
        )
    elapsed = time.perf_counter() - started
    tasks.refresh_stale_indicators, signals.refresh_stale_indicators = originals  # type: ignore[assignment]
    settings.ANCRAGE_INDICATORS_AUTO_REFRESH = False
    from ancrage.support.models import Contact

    return (
        elapsed,
        len(queued),
        StaleMonth.objects.count(),
        Contact.objects.filter(organization=organization).count(),
    )


def api_posts(count: int) -> tuple[float, float, int]:
    """``count`` contacts created one POST at a time (token, JSON, the whole middleware)."""
    from django.test import Client

    from ancrage.accounts.services import create_api_token

    organization, user = _organization(f"api-{uuid.uuid4().hex[:6]}")
    _, token = create_api_token(user=user, name="banc", actor=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    times = []
    for i in range(count):
        body = {
            "external_ref": f"A{i}",
            "occurred_at": "2025-03-04T10:00:00+01:00",
            "channel": "phone",
            "subjects": ["housing"],
            "outcome": "information",
            "age_band": "21_25",
        }
        started = time.perf_counter()
        response = client.post("/api/v1/contacts/", body, content_type="application/json")
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 201:
            raise SystemExit(f"POST refusé : HTTP {response.status_code}")
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=int(os.environ.get("PEOPLE", 20000)))
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    contacts = args.people * 5
    print(
        f"Machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, "
        f"Python {sys.version.split()[0]}, base {connection.vendor}"
    )
    persons, logged = _rows(args.people, contacts)
    base = floor(persons, logged)
    print(f"Plancher (bulk_create des mêmes lignes) : {base:.1f} s")
    elapsed, queued, stale, written = through_import(persons, logged)
    if written != contacts:
        raise SystemExit(f"{written} contacts écrits sur {contacts}")
    print(
        f"ancrage import, {_n(args.people)} personnes et {_n(contacts)} contacts : {elapsed:.1f} s "
        f"({_n((args.people + contacts) / elapsed)} lignes/s) — {elapsed / base:.2f} × le plancher "
        f"(objectif ≤ 2)"
    )
    print(f"Actualisations des indicateurs mises en file : {queued} ; mois marqués : {stale}")
    median, p95, count = api_posts(args.posts)
    print(f"API, {count} contacts un POST à la fois : médiane {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
