"""Outreach benchmark (1000 LIANES): a landlord's extract of 1,000,000 tenants imported as targets
(staged by COPY, checked in SQL, one set-based upsert), against a plain ``bulk_create`` of the
same rows in the same run (the floor); the next month's extract with 5 % of lines changed; five
targeting rules scored on every target; an assignee's list of 5,000 targets paged by keyset.

    make bench-import                          (runs this after the past-records benchmark)
    python -m bench.outreach --lines 100000    a quicker run
    DATABASE_URL=postgres://… make bench-import

Targets (issue 19, PostgreSQL): import ≤ 5 s, scoring ≤ 2 s, keyset pages at constant time. On
SQLite the same file imports correctly; the times are reported without a target.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import sys
import time
import uuid


def _n(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ancrage.core.models import Territory

    if not Territory.objects.communes().exists():
        call_command("load_territories")


HEADER = [
    "reference",
    "nom",
    "prenom",
    "naissance",
    "adresse",
    "commune",
    "telephone",
    "seul",
    "etage",
    "ascenseur",
    "logement_adapte",
    "demandeur_emploi",
    "impayes",
]


def _lines(count: int, communes: list[str], seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        rows.append(
            [
                f"L{i:08d}",
                f"Nom{i % 5000}",
                f"Prénom{i % 700}",
                str(1930 + i % 70),
                f"{1 + i % 120} rue de la République",
                communes[i % len(communes)],
                f"06 {i % 100:02d} {i % 97:02d} {i % 89:02d} {i % 83:02d}" if i % 3 else "",
                "oui" if rng.random() < 0.4 else "non",
                "RDC" if i % 11 == 0 else str(i % 9),
                "oui" if rng.random() < 0.6 else "non",
                "oui" if rng.random() < 0.1 else "non",
                "oui" if rng.random() < 0.3 else "non",
                f"{rng.randint(0, 3000)},{rng.randint(0, 99):02d}" if rng.random() < 0.2 else "",
            ]
        )
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _world(suffix: str):
    import datetime

    from ancrage.accounts.models import Membership, Organization, User
    from ancrage.outreach import services
    from ancrage.programs.models import Program, ProgramParticipant

    operator = Organization.objects.create(name=f"Opérateur banc {suffix}", kind="association")
    landlord = Organization.objects.create(name=f"Bailleur banc {suffix}", kind="social_landlord")
    relay = Organization.objects.create(name=f"Relais banc {suffix}", kind="association")
    user = User.objects.create_user(email=f"banc-{suffix}@exemple.fr", password=uuid.uuid4().hex)
    Membership.objects.create(user=user, organization=operator, role="admin")
    program = Program.objects.create(
        name=f"LIANES banc {suffix}", kind="seniors_insertion", starts_on=datetime.date(2025, 1, 1)
    )
    ProgramParticipant.objects.create(program=program, organization=operator, role="operator")
    outreach_list = services.create_list(
        organization=operator, program=program, name="Banc", actor=user
    )
    return outreach_list, landlord, relay, user


def _import(outreach_list, landlord, user, data: bytes) -> tuple[float, object]:
    from ancrage.outreach import services

    started = time.perf_counter()
    job = services.submit_import(
        outreach_list=outreach_list,
        landlord=landlord,
        actor=user,
        filename="extrait.csv",
        data=data,
        mode="all",
        dry_run=False,
        enqueue=False,
    )
    job = services.run_import(job.pk)
    return time.perf_counter() - started, job


def floor(rows: list[list[str]], suffix: str) -> float:
    """The same rows as model objects, bulk-created by 5,000: CSV parsed in Python, no checks."""
    from django.db import transaction
    from django.utils import timezone

    from ancrage.core.models import Territory
    from ancrage.outreach.models import Prospect

    outreach_list, landlord, _relay, _user = _world(f"plancher-{suffix}")
    data = _csv(rows)
    started = time.perf_counter()
    communes = dict(Territory.objects.communes().values_list("code", "pk"))
    today = timezone.localdate()

    def yes(text: str) -> bool | None:
        return {"oui": True, "non": False}.get(text)

    with transaction.atomic():
        reader = csv.reader(io.StringIO(data.decode()), delimiter=";")
        next(reader)
        batch = []
        for row in reader:
            arrears = row[12]
            batch.append(
                Prospect(
                    outreach_list=outreach_list,
                    landlord=landlord,
                    tenant_ref=row[0],
                    last_name=row[1],
                    first_name=row[2],
                    birth_year=int(row[3]),
                    address=row[4],
                    commune_id=communes[row[5]],
                    phone=row[6],
                    lives_alone=yes(row[7]),
                    floor=0 if row[8] == "RDC" else int(row[8]),
                    has_lift=yes(row[9]),
                    unit_adapted=yes(row[10]),
                    job_seeker=yes(row[11]),
                    arrears_cents=round(float(arrears.replace(",", ".")) * 100)
                    if arrears
                    else None,
                    first_seen_on=today,
                    active_on=today,
                )
            )
            if len(batch) >= 5000:
                Prospect.objects.bulk_create(batch)
                batch = []
        Prospect.objects.bulk_create(batch)
    return time.perf_counter() - started


FIELDS = (
    "tenant_ref, last_name, first_name, birth_year, address, commune_id, phone, lives_alone, "
    "floor, has_lift, unit_adapted, job_seeker, arrears_cents, score, status, first_seen_on, "
    "active_on"
)


def _sql_floor(imported, suffix: str) -> float:
    """The same rows, already typed, inserted by one ``INSERT … SELECT`` into a new list: what
    writing a million targets costs this database with its indexes, without reading a file."""
    from django.db import connection, transaction

    outreach_list, landlord, _relay, _user = _world(f"sql-{suffix}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_typed AS SELECT {FIELDS} FROM outreach_prospect "
            f"WHERE outreach_list_id = %s",
            (imported.pk,),
        )
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO outreach_prospect (outreach_list_id, landlord_id, {FIELDS}) "
            f"SELECT %s, %s, {FIELDS} FROM bench_typed",
            (outreach_list.pk, landlord.pk),
        )
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_typed")
    return seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=int(os.environ.get("LINES", 1_000_000)))
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection
    from django.db.models import Count

    from ancrage.core.models import Territory
    from ancrage.outreach import queries, services
    from ancrage.outreach.models import Assignment, Prospect, ScoringRule, Segment

    suffix = uuid.uuid4().hex[:6]
    communes = list(
        Territory.objects.communes().order_by("code").values_list("code", flat=True)[:2000]
    )
    if not communes:
        sys.exit("Aucune commune : la base n'est pas migrée.")
    rows = _lines(args.lines, communes)
    data = _csv(rows)
    print(
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"{connection.vendor} ; {_n(args.lines)} lignes, {len(data) / 2**20:.0f} Mo"
    )
    outreach_list, landlord, relay, user = _world(suffix)

    seconds, job = _import(outreach_list, landlord, user, data)
    assert job.status == "done", job.error
    assert job.counts["created"] == args.lines, job.counts
    floor_seconds = floor(rows, suffix)
    sql_floor = _sql_floor(outreach_list, suffix)
    print(
        f"Import (COPY, contrôles SQL, insertion)   : {seconds:6.2f} s "
        f"({_n(args.lines / seconds)} lignes/s)"
    )
    print(f"Plancher bulk_create (mêmes lignes)       : {floor_seconds:6.2f} s")
    print(f"Plancher SQL (INSERT … SELECT de lignes déjà typées, mêmes index) : {sql_floor:6.2f} s")
    print(f"  rapport import / plancher bulk_create    : {seconds / floor_seconds:6.2f}")
    print(f"  rapport import / plancher SQL            : {seconds / sql_floor:6.2f}")

    changed = list(rows)
    step = 20  # 5 %
    for i in range(0, len(changed), step):
        changed[i] = [
            *changed[i][:8],
            str((int(changed[i][8]) if changed[i][8] != "RDC" else 0) + 1),
            *changed[i][9:],
        ]
    seconds, job = _import(outreach_list, landlord, user, _csv(changed))
    assert job.counts["updated"] == len(range(0, len(changed), step)), job.counts
    print(
        f"Réimport, 5 % de lignes changées          : {seconds:6.2f} s "
        f"({_n(job.counts['updated'])} mises à jour, {_n(job.counts['unchanged'])} inchangées)"
    )

    rules = [
        (
            "75 ans et plus, seul·e",
            [
                {"field": "age", "operator": "gte", "value": 75},
                {"field": "lives_alone", "operator": "true"},
            ],
            40,
        ),
        (
            "Étage sans ascenseur",
            [
                {"field": "floor", "operator": "gte", "value": 1},
                {"field": "no_lift", "operator": "true"},
            ],
            30,
        ),
        ("Logement non adapté", [{"field": "unit_not_adapted", "operator": "true"}], 10),
        ("Demandeur d'emploi", [{"field": "job_seeker", "operator": "true"}], 25),
        ("Impayés de 500 € et plus", [{"field": "arrears", "operator": "gte", "value": "500"}], 15),
    ]
    for name, conditions, weight in rules:
        ScoringRule.objects.create(
            outreach_list=outreach_list, name=name, conditions=conditions, weight=weight
        )
    Segment.objects.create(outreach_list=outreach_list, name="Priorité 1", min_score=60)
    Segment.objects.create(outreach_list=outreach_list, name="Priorité 2", min_score=30)
    started = time.perf_counter()
    changed_count = services.rescore(outreach_list=outreach_list)
    scoring = time.perf_counter() - started
    print(
        f"Score de {_n(Prospect.objects.filter(outreach_list=outreach_list).count())} cibles, "
        f"5 règles, 2 segments : {scoring:6.2f} s ({_n(changed_count)} écritures)"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_prospect SET score = score + 0 WHERE outreach_list_id = %s",
            (outreach_list.pk,),
        )
    print(
        f"  plancher SQL : UPDATE de chaque cible (score = score + 0) : "
        f"{time.perf_counter() - started:6.2f} s"
    )
    started = time.perf_counter()
    unchanged = services.rescore(outreach_list=outreach_list)
    print(
        f"  le même score recalculé (rien ne change) : {time.perf_counter() - started:6.2f} s ({unchanged} écriture)"
    )

    # 5,000 targets for one local actor: a commune-wide assignment of the first segment.
    first = Segment.objects.get(outreach_list=outreach_list, name="Priorité 1")
    per_commune = dict(
        Prospect.objects.filter(outreach_list=outreach_list, segment=first)
        .values_list("commune__code")
        .annotate(n=Count("id"))
    )
    total = 0
    chosen = []
    for code, n in sorted(per_commune.items()):
        if total >= 5000:
            break
        chosen.append(code)
        total += n
    for code in chosen:
        Assignment.objects.create(
            outreach_list=outreach_list,
            segment=first,
            territory=Territory.objects.get(kind="commune", code=code),
            assignee=relay,
        )
    services.apply_assignments(outreach_list=outreach_list)
    assigned = Prospect.objects.filter(assignee=relay)
    print(f"Liste d'un relais local : {_n(assigned.count())} cibles")
    timings = []
    after = None
    for page in range(1, 101):
        started = time.perf_counter()
        after = queries.targets_page(assigned, after=after, size=50).next_key
        timings.append((page, (time.perf_counter() - started) * 1000))
        if after is None:
            break
    shown = [t for t in timings if t[0] in (1, 2, 10, 50, 100) or t is timings[-1]]
    print(
        "  page de 50 par clé (page : ms) : "
        + ", ".join(f"{page} : {ms:.1f}" for page, ms in shown)
    )


if __name__ == "__main__":
    main()
