"""Indicators benchmark, on PostgreSQL: dashboards served from the rollup tables, side by side with the
same figures computed by hand-written SQL over the raw tables (the floor we must beat), and the time
to refresh one month: this month as it is, this month after a day of entries (a day's contacts
added), last month whole.

    make bench-indicators                          the "regional" preset (100,000 people)
    make bench-indicators PRESET=national          1 M people, 20 M contacts and events (long)
    ancrage bench indicators --preset small        from a source checkout

Uses the database of DATABASE_URL (PostgreSQL only): generates the preset there unless synthetic data
of that seed is already present. Record the output and the machine in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings.dev")
    os.environ.setdefault("ANCRAGE_INDICATORS_AUTO_REFRESH", "0")
    import django

    django.setup()


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def _median_ms(function, runs: int) -> float:
    function()  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


ORG_FLOOR = """
WITH bounds AS (SELECT %(start)s::date AS s, %(end)s::date AS e,
                       %(start_at)s::timestamptz AS sa, %(end_at)s::timestamptz AS ea)
SELECT
 (SELECT count(*) FROM support_contact c, bounds
   WHERE c.organization_id = %(org)s AND c.direction = 'incoming' AND c.partner_id IS NULL
     AND c.channel IN ('phone', 'email') AND c.occurred_at >= sa AND c.occurred_at < ea),
 (SELECT count(DISTINCT k) FROM (
    SELECT coalesce(nullif(p.identity_key, ''), 'p' || p.id) k
      FROM support_contact c JOIN people_person p ON p.id = c.person_id, bounds
     WHERE c.organization_id = %(org)s AND c.channel IN ('walk_in', 'outreach_desk', 'workshop')
       AND c.occurred_at >= sa AND c.occurred_at < ea
    UNION ALL
    SELECT coalesce(nullif(p.identity_key, ''), 'p' || p.id)
      FROM support_appointment a JOIN people_person p ON p.id = a.person_id, bounds
     WHERE a.organization_id = %(org)s AND a.status = 'honoured'
       AND a.starts_at >= sa AND a.starts_at < ea) r)
 + (SELECT count(*) FROM support_contact c, bounds
     WHERE c.organization_id = %(org)s AND c.person_id IS NULL
       AND c.channel IN ('walk_in', 'outreach_desk', 'workshop')
       AND c.occurred_at >= sa AND c.occurred_at < ea),
 (SELECT count(DISTINCT coalesce(nullif(p.identity_key, ''), 'p' || p.id))
    FROM support_enrollment e JOIN people_person p ON p.id = e.person_id, bounds
   WHERE e.organization_id = %(org)s AND e.started_on IS NOT NULL AND e.started_on < e
     AND (e.ended_on IS NULL OR e.ended_on >= s)),
 (SELECT count(DISTINCT coalesce(nullif(p.identity_key, ''), 'p' || p.id))
    FROM support_exit x JOIN support_enrollment e ON e.id = x.enrollment_id
    JOIN people_person p ON p.id = e.person_id, bounds
   WHERE e.organization_id = %(org)s AND x.exited_on >= s AND x.exited_on < e
     AND x.outcome IN ('social_housing', 'private_housing', 'residence')),
 (SELECT count(*) FROM activities_attendance t JOIN activities_session s2 ON s2.id = t.session_id,
         bounds WHERE s2.organization_id = %(org)s AND s2.starts_at >= sa AND s2.starts_at < ea)
 + (SELECT coalesce(sum(anonymous_count), 0) FROM activities_session s3, bounds
     WHERE s3.organization_id = %(org)s AND s3.starts_at >= sa AND s3.starts_at < ea)
"""

NATIONAL_FLOOR = """
SELECT t.region_id,
       count(DISTINCT coalesce(nullif(p.identity_key, ''), 'p' || p.id)) AS supported
  FROM support_enrollment e
  JOIN people_person p ON p.id = e.person_id
  JOIN accounts_organization o ON o.id = e.organization_id
  JOIN core_territory t ON t.id = o.commune_id
 WHERE e.started_on IS NOT NULL AND e.started_on < %(end)s
   AND (e.ended_on IS NULL OR e.ended_on >= %(start)s)
 GROUP BY ROLLUP (t.region_id)
"""

NATIONAL_EXITS_FLOOR = """
SELECT t.region_id, count(*),
       count(*) FILTER (WHERE x.outcome IN ('social_housing', 'private_housing', 'residence'))
  FROM support_exit x JOIN support_enrollment e ON e.id = x.enrollment_id
  JOIN accounts_organization o ON o.id = e.organization_id
  JOIN core_territory t ON t.id = o.commune_id
 WHERE x.exited_on >= %(start)s AND x.exited_on < %(end)s
 GROUP BY ROLLUP (t.region_id)
"""


def _a_days_contacts(day: datetime.date) -> list[int]:
    """Copies of the contacts of ``day`` four weeks before, dated ``day`` (same weekday, same
    hours): a national day's entries. Written in SQL (a benchmark's fixture, not a user's entry:
    the refresh measured next is what is under test). Returns the copies' ids."""
    from django.db import connection
    from django.utils import timezone

    from ancrage.support.models import Contact

    columns = [f.column for f in Contact._meta.concrete_fields if not f.primary_key]
    shifted = [
        "occurred_at + interval '28 days'" if column == "occurred_at" else column
        for column in columns
    ]
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    start -= datetime.timedelta(days=28)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO support_contact ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(shifted)} FROM support_contact "
            "WHERE occurred_at >= %s AND occurred_at < %s ORDER BY id RETURNING id",
            [start, start + datetime.timedelta(days=1)],
        )
        return [row[0] for row in cursor.fetchall()]


def _remove_contacts(ids: list[int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM support_contact WHERE id = ANY(%s)", [ids])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default=os.environ.get("PRESET", "regional"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    _setup()

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ancrage.accounts.models import Organization, User
    from ancrage.core.models import Territory
    from ancrage.demo.synthetic import PRESETS, generate
    from ancrage.indicators.access import Selection
    from ancrage.indicators.enums import Scope
    from ancrage.indicators.queries import children, figures, last_refresh, period_figures
    from ancrage.indicators.rollup import (
        first_of_month,
        next_month,
        refresh_months,
        refresh_period,
        refresh_year,
    )
    from ancrage.indicators.services import track_period

    if connection.vendor != "postgresql":
        sys.exit("Ce banc d'essai se lance sur PostgreSQL : définissez DATABASE_URL.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # an empty database gets its tables first
    if not Territory.objects.filter(kind="commune").exists():
        call_command("load_territories")
    prefix = f"Structure synthétique {args.seed}-"
    if not Organization.objects.filter(name__startswith=prefix).exists():
        print(f"Génération du jeu « {args.preset} » ({PRESETS[args.preset].description})…")
        counts = generate(args.preset, seed=args.seed)
        print(
            "  "
            + " ; ".join(f"{k} {_n(v) if isinstance(v, int) else v}" for k, v in counts.items())
        )
        started = time.perf_counter()
        year = timezone.localdate().year
        refresh_year(year - 1)
        refresh_year(year)
        print(f"Calcul complet des deux années : {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM people_person")
        persons = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT count(*) FROM support_contact) + (SELECT count(*) FROM "
            "support_appointment) + (SELECT count(*) FROM activities_attendance)"
        )
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM support_enrollment")
        enrollments = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM housing_unit")
        units = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM indicators_aggregate")
        aggregates = cursor.fetchone()[0]

    year = timezone.localdate().year
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    tz = timezone.get_current_timezone()
    bounds = {
        "start": start,
        "end": end,
        "start_at": datetime.datetime.combine(start, datetime.time.min, tz),
        "end_at": datetime.datetime.combine(end, datetime.time.min, tz),
    }
    organization = (
        Organization.objects.filter(name__startswith=prefix)
        .order_by("-id")
        .extra(
            select={
                "n": "SELECT count(*) FROM support_enrollment e "
                "WHERE e.organization_id = accounts_organization.id"
            },
            order_by=["-n"],
        )
        .first()
    )
    org_selection = Selection(Scope.ORGANIZATION, organization)
    national = Selection(Scope.NATIONAL)

    def org_data():
        figures(org_selection, year)
        children(org_selection, year)
        last_refresh()

    def national_data():
        figures(national, year)
        children(national, year)
        last_refresh()

    # A 24-month period (last year and this one): computed once, then read like a year.
    first_month, last_month = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 1)
    period = track_period(first_month=first_month, last_month=last_month)
    period_phases: dict[str, float] = {}
    started = time.perf_counter()
    period_written = refresh_period(period, timings=period_phases)
    period_s = time.perf_counter() - started

    def org_period():
        period_figures(org_selection, first_month, last_month)

    def national_period():
        period_figures(national, first_month, last_month)
        children(national, year, months=(first_month, last_month))

    def org_floor():
        with connection.cursor() as cursor:
            cursor.execute(ORG_FLOOR, {**bounds, "org": organization.pk})
            cursor.fetchall()

    def national_floor():
        with connection.cursor() as cursor:
            cursor.execute(NATIONAL_FLOOR, bounds)
            cursor.fetchall()
            cursor.execute(NATIONAL_EXITS_FLOOR, bounds)
            cursor.fetchall()

    operator, _ = User.objects.get_or_create(
        email="banc-essai@exemple.invalid", defaults={"is_staff": True, "is_active": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(operator)

    def org_page():
        response = client.get("/indicateurs/", {"structure": organization.pk, "annee": year})
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")

    def national_page():
        response = client.get("/indicateurs/", {"national": 1, "annee": year})
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")

    # The rollups and the floor agree on the organization's six figures.
    with connection.cursor() as cursor:
        cursor.execute(ORG_FLOOR, {**bounds, "org": organization.pk})
        floor_values = [float(v) for v in cursor.fetchone()]
    stored = {f.indicator.code: f.current for f in figures(org_selection, year)}
    rollup_values = [
        stored[c] or 0.0
        for c in (
            "contacts_telephone_mail",
            "personnes_recues",
            "personnes_accompagnees",
            "acces_logement",
            "participants_actions",
        )
    ]
    agree = (
        "identiques"
        if floor_values == rollup_values
        else f"DIFFÉRENTS {floor_values} {rollup_values}"
    )

    rows = [
        ("Structure : données (rollups)", _median_ms(org_data, args.runs)),
        ("Structure : SQL sur les tables brutes (plancher)", _median_ms(org_floor, args.runs)),
        ("Structure : page complète (HTTP)", _median_ms(org_page, args.runs)),
        ("France + régions : données (rollups)", _median_ms(national_data, args.runs)),
        (
            "France + régions : SQL sur les tables brutes (plancher)",
            _median_ms(national_floor, max(3, args.runs // 4)),
        ),
        ("France + régions : page complète (HTTP)", _median_ms(national_page, args.runs)),
        ("Structure, 24 mois : données (rollups)", _median_ms(org_period, args.runs)),
        ("France + régions, 24 mois : données (rollups)", _median_ms(national_period, args.runs)),
    ]
    # This month (what the daily refresh does), then last month, whole (a correction to it, or
    # the first days of a month, when this month is still short): each refreshed twice, the first
    # time storing what a refresh keeps (the month's facts, the year's joined run), the second
    # measured.
    this_month = first_of_month(timezone.localdate())
    last_month = first_of_month(this_month - datetime.timedelta(days=1))
    refreshes = []
    for month in (this_month, last_month):
        refresh_months([month])
        phases: dict[str, float] = {}
        started = time.perf_counter()
        written = refresh_months([month], timings=phases)
        refreshes.append((month, None, time.perf_counter() - started, written, phases))
        if month != this_month:
            continue
        # Then what the daily refresh meets: this month after a day of entries. The contacts of
        # the same weekday four weeks ago are copied to today, the month refreshed (measured),
        # then the copies deleted and the month refreshed again: the next run finds the same data.
        added = _a_days_contacts(timezone.localdate())
        try:
            phases = {}
            started = time.perf_counter()
            written = refresh_months([month], timings=phases)
            refreshes.append((month, added, time.perf_counter() - started, written, phases))
        finally:
            _remove_contacts(added)
            refresh_months([month])

    print()
    print(
        f"Machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, "
        f"Python {platform.python_version()}, PostgreSQL {connection.pg_version // 10000}"
    )
    print(
        f"Jeu : {_n(persons)} personnes, {_n(enrollments)} accompagnements, {_n(events)} contacts "
        f"et événements, {_n(units)} logements ; {_n(aggregates)} valeurs stockées"
    )
    print(f"Structure mesurée : {organization.name} ; chiffres rollups / plancher : {agree}")
    print()
    print(f"{'mesure':<58} {'médiane':>10}")
    for label, ms in rows:
        print(f"{label:<58} {ms:>8.1f} ms")
    label = "Calculer une période de 24 mois"
    print(f"{label:<58} {period_s:>8.1f} s   ({_n(period_written)} valeurs)")
    for phase, seconds in period_phases.items():
        print(f"  dont {phase:<53} {seconds:>8.1f} s")
    for month, added, seconds, written, phases in refreshes:
        days = (
            min(timezone.localdate(), next_month(month) - datetime.timedelta(days=1)) - month
        ).days + 1
        label = f"Actualiser {month:%m/%Y} ({days} jours) et son année"
        if added is not None:
            label = f"Actualiser {month:%m/%Y} après une journée ({_n(len(added))} contacts)"
        print(f"{label:<58} {seconds:>8.1f} s   ({_n(written)} valeurs)")
        for phase, phase_seconds in phases.items():
            print(f"  dont {phase:<53} {phase_seconds:>8.1f} s")


if __name__ == "__main__":
    main()
