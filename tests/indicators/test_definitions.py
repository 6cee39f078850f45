"""Every indicator on the hand-built year of ``conftest.py``; expected values are written by hand."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.indicators.definitions import CLLAJ_SIX, INDICATORS
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate, MonthFacts, Refresh, StaleMonth
from ancrage.indicators.packing import KEY_SCHEME, Packed
from ancrage.indicators.rollup import (
    Context,
    count_distinct,
    next_month,
    refresh_stale,
    refresh_year,
)
from ancrage.support.enums import Channel
from tests.indicators.conftest import D, at, shared_year_refreshed
from tests.support.factories import ContactFactory

pytestmark = pytest.mark.django_db


def value(
    code,
    scope,
    *,
    organization=None,
    program=None,
    territory=None,
    period=None,
    grain=Grain.YEAR,
    category="",
):
    row = Aggregate.objects.filter(
        indicator=code,
        scope=scope,
        organization=organization,
        program=program,
        territory=territory,
        grain=grain,
        period=period or D(2026, 1, 1),
        category=category,
    ).first()
    if row is None:
        return None
    if row.denominator is not None:
        return round(
            row.value / row.denominator * (100 if INDICATORS[code].unit == "percent" else 1), 2
        )
    return row.value


# Every test here starts from the figures of 2025 and 2026: computed once for the module.
_shared_year = shared_year_refreshed(2025, 2026)


@pytest.fixture
def refreshed(year):
    return year


def org(code, y, organization, **kw):
    return value(code, Scope.ORGANIZATION, organization=organization, **kw)


def test_the_six_cllaj_indicators_of_the_cllaj(refreshed):
    y = refreshed
    assert {code: org(code, y, y.cllaj) for code in CLLAJ_SIX} == {
        "contacts_telephone_mail": 5,  # 3 calls (2 anonymous) + 2 e-mails; not the landlord's
        "personnes_recues": 4,  # Yanis (three visits), Inès, Lucas, and the anonymous walk-in
        "personnes_accompagnees": 3,  # Yanis, Léa, Hugo; not Chloé (request), not Adam (2025)
        "acces_logement": 1,  # Léa
        "participants_actions": 8,  # 2 named + 5 counted, then Yanis again
        "partenaires_logement": 2,  # the landlord (twice) and the youth residence
    }


def test_an_anonymous_call_is_a_contact_but_nobody_received(refreshed):
    y = refreshed
    assert org("contacts_telephone_mail", y, y.cllaj, category="canal:phone") == 3
    assert org("contacts_telephone_mail", y, y.cllaj, category="canal:email") == 2
    march = D(2026, 3, 1)
    # In March: two anonymous calls and an anonymous e-mail; Yanis came twice.
    assert org("contacts_telephone_mail", y, y.cllaj, grain=Grain.MONTH, period=march) == 3
    assert org("personnes_recues", y, y.cllaj, grain=Grain.MONTH, period=march) == 1


def test_one_youth_received_three_times_counts_once(refreshed):
    y = refreshed
    # Yanis: March (twice) and April; each month counts him once, the year once too.
    assert org("personnes_recues", y, y.cllaj, grain=Grain.MONTH, period=D(2026, 4, 1)) == 1
    assert org("personnes_recues", y, y.cllaj) == 4  # Yanis, Inès, Lucas and one anonymous visit
    # The two parts the definition page and the report's detail show.
    assert org("personnes_recues", y, y.cllaj, category="accueil:named") == 3
    assert org("personnes_recues", y, y.cllaj, category="accueil:anonymous") == 1


def test_every_anonymous_visit_counts_and_the_months_add_them(refreshed):
    y = refreshed
    ContactFactory(organization=y.cllaj, channel=Channel.WALK_IN, occurred_at=at(D(2026, 5, 20)))
    ContactFactory(organization=y.cllaj, channel=Channel.WORKSHOP, occurred_at=at(D(2026, 6, 2)))
    ContactFactory(organization=y.cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 6, 3)))
    refresh_year(2026)
    assert org("personnes_recues", y, y.cllaj, category="accueil:anonymous") == 3  # not the call
    may = {"grain": Grain.MONTH, "period": D(2026, 5, 1)}
    assert org("personnes_recues", y, y.cllaj, category="accueil:anonymous", **may) == 2
    assert org("personnes_recues", y, y.cllaj) == 6


def test_a_person_supported_by_two_organizations_counts_once_in_the_rollup(refreshed):
    y = refreshed
    assert org("personnes_accompagnees", y, y.cllaj) == 3
    assert org("personnes_accompagnees", y, y.association) == 2  # Yanis and Zoé
    program = value("personnes_accompagnees", Scope.PROGRAM, program=y.program)
    assert program == 4  # not 5: Yanis is the same young man in both organizations
    departement = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    region = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    assert value("personnes_accompagnees", Scope.TERRITORY, territory=departement) == 4
    assert value("personnes_accompagnees", Scope.TERRITORY, territory=region) == 4
    assert (
        value(
            "personnes_accompagnees",
            Scope.PROGRAM_TERRITORY,
            program=y.program,
            territory=departement,
        )
        == 4
    )
    assert value("personnes_accompagnees", Scope.NATIONAL) == 4
    # Lens and Arras: the association's people count in Lens only.
    assert value("personnes_accompagnees", Scope.TERRITORY, territory=y.lens) == 2
    assert value("personnes_accompagnees", Scope.TERRITORY, territory=y.arras) == 3


def test_breakdowns_of_people_supported(refreshed):
    y = refreshed
    assert org("personnes_accompagnees", y, y.cllaj, category="situation:apprentice") == 3
    assert org("personnes_accompagnees", y, y.cllaj, category="commune:62041") == 1  # Yanis
    assert org("personnes_accompagnees", y, y.cllaj, category="commune:inconnu") == 2
    # Ages on 23/11/2026 (today, before the end of the year): Yanis 22, Léa 24, Hugo 25.
    assert org("personnes_accompagnees", y, y.cllaj, category="age:21_25") == 3


def test_support_indicators(refreshed):
    y = refreshed
    assert org("parcours_engages", y, y.cllaj) == 3  # Léa (Jan), Yanis and Hugo (Feb)
    assert org("sorties", y, y.cllaj) == 2
    assert org("sorties", y, y.cllaj, category="sortie:social_housing") == 1
    assert org("sorties", y, y.cllaj, category="sortie:employment") == 1
    assert org("sorties", y, y.cllaj, period=D(2025, 1, 1)) == 1  # Adam, 15/12/2025
    assert org("taux_sorties_emploi", y, y.cllaj) == 50.0  # Hugo, of Léa and Hugo
    assert org("delai_acces_logement", y, y.cllaj) == 95  # 05/01 → 10/04/2026
    assert org("prets_au_logement", y, y.cllaj) == 1  # Léa


def test_last_year_is_kept_apart(refreshed):
    y = refreshed
    last_year = D(2025, 1, 1)
    assert org("contacts_telephone_mail", y, y.cllaj, period=last_year) == 1
    assert org("personnes_accompagnees", y, y.cllaj, period=last_year) == 1  # Adam


def test_housing_indicators_in_march(refreshed):
    y = refreshed
    march = D(2026, 3, 1)
    # Two beds in service × five Mondays = 10 bed-weeks; 2 + 3 occupied; the bed in works is out.
    assert org("taux_occupation", y, y.manager, grain=Grain.MONTH, period=march) == 50.0
    assert org("semaines_lits_vides", y, y.manager, grain=Grain.MONTH, period=march) == 5
    # 300 € called, 100 € of allowance, 150 € paid: 50 € of 200 € unpaid.
    assert org("taux_impayes", y, y.manager, grain=Grain.MONTH, period=march) == 25.0


def test_housing_indicators_over_the_year(refreshed):
    y = refreshed
    # January–November 2026 (the months computed so far): 48 Mondays × 2 beds = 96 bed-weeks;
    # occupied 2 (bed 1 in March) + 38 (bed 2 from 16/03) = 40.
    assert org("taux_occupation", y, y.manager) == round(100 * 40 / 96, 2)
    assert org("semaines_lits_vides", y, y.manager) == 56
    assert org("duree_moyenne_sejour", y, y.manager) == 180  # 01/01 → 30/06/2026
    assert org("taux_impayes", y, y.manager) == 25.0
    assert org("acces_logement", y, y.manager) == 1  # the lease that started on 01/01


def test_a_new_contact_marks_its_month_and_a_refresh_counts_it(refreshed):
    y = refreshed
    ContactFactory(organization=y.cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 8, 3)))
    assert list(StaleMonth.objects.values_list("month", flat=True)) == [D(2026, 8, 1)]
    refresh_stale()
    assert not StaleMonth.objects.exists()
    assert org("contacts_telephone_mail", y, y.cllaj) == 6
    assert org("contacts_telephone_mail", y, y.cllaj, grain=Grain.MONTH, period=D(2026, 8, 1)) == 1


FIGURE_FIELDS = (
    "indicator",
    "grain",
    "period",
    "scope",
    "organization",
    "program",
    "territory",
    "category",
    "value",
    "denominator",
)


def recomputed_from_nothing() -> list:
    """The figures of both years computed again from the raw rows, nothing stored beforehand."""
    Aggregate.objects.all().delete()
    MonthFacts.objects.all().delete()
    Refresh.objects.all().delete()
    refresh_year(2025)
    refresh_year(2026)
    return sorted(Aggregate.objects.values_list(*FIGURE_FIELDS))


def test_refreshing_twice_writes_the_same_figures(refreshed):
    before = sorted(Aggregate.objects.values_list(*FIGURE_FIELDS))
    refresh_year(2026)
    assert sorted(Aggregate.objects.values_list(*FIGURE_FIELDS)) == before


def test_a_month_refreshed_alone_gives_the_figures_of_a_full_recomputation(refreshed):
    """The year's distinct people are counted again from the stored months, without reading the
    other months' rows: the figures are those of a recomputation from nothing."""
    y = refreshed
    other_months = dict(
        MonthFacts.objects.filter(first_month=None)
        .exclude(month=D(2026, 8, 1))
        .values_list("pk", "month")
    )
    assert other_months
    ContactFactory(
        organization=y.cllaj, person=y.yanis, channel=Channel.WALK_IN, occurred_at=at(D(2026, 8, 3))
    )
    ContactFactory(
        organization=y.yanis_at_association.organization,
        person=y.yanis_at_association,
        channel=Channel.WALK_IN,
        occurred_at=at(D(2026, 8, 5)),
    )
    refresh_stale()
    # The other months' facts were read, not rewritten.
    assert dict(MonthFacts.objects.filter(pk__in=other_months).values_list("pk", "month")) == (
        other_months
    )
    incremental = sorted(Aggregate.objects.values_list(*FIGURE_FIELDS))
    assert recomputed_from_nothing() == incremental


def test_the_current_month_refreshed_reuses_the_months_already_joined(refreshed):
    """The year keeps its months but the last joined, and its months but the last two: a change
    in the last month reads the first run and one month; a change in the month before (a late
    entry) joins the second run with two months; a change in an earlier month joins them all
    again. Each gives the figures of a recomputation from nothing."""
    y = refreshed

    def runs() -> dict[datetime.date, int]:
        return dict(
            MonthFacts.objects.filter(
                indicator="personnes_recues", first_month=D(2026, 1, 1)
            ).values_list("month", "pk")
        )

    last = max(
        MonthFacts.objects.filter(first_month=None, month__year=2026).values_list(
            "month", flat=True
        )
    )
    before_last = D(last.year, last.month - 1, 1)
    two_before = D(last.year, last.month - 2, 1)
    kept = runs()
    assert set(kept) == {before_last, two_before}

    def visit(day: datetime.date) -> None:
        ContactFactory(
            organization=y.cllaj, person=y.yanis, channel=Channel.WALK_IN, occurred_at=at(day)
        )
        refresh_stale()

    visit(last)
    assert runs() == kept
    visit(before_last)
    rejoined = runs()
    assert rejoined[two_before] == kept[two_before]  # the run before it, joined with it
    assert rejoined[before_last] != kept[before_last]
    incremental = sorted(Aggregate.objects.values_list(*FIGURE_FIELDS))
    assert recomputed_from_nothing() == incremental
    recomputed = runs()
    visit(D(2026, 2, 3))
    rebuilt = runs()
    assert set(rebuilt) == set(kept) and not set(rebuilt.values()) & set(recomputed.values())
    incremental = sorted(Aggregate.objects.values_list(*FIGURE_FIELDS))
    assert recomputed_from_nothing() == incremental


def test_a_refresh_rewrites_only_the_figures_that_changed(refreshed):
    y = refreshed
    august = Aggregate.objects.filter(grain=Grain.MONTH, period=D(2026, 8, 1))
    before = sorted(august.values_list(*FIGURE_FIELDS))
    pks = set(august.values_list("pk", flat=True))
    contact = ContactFactory(
        organization=y.cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 8, 3))
    )
    refresh_stale()
    rewritten = august.exclude(pk__in=pks)
    assert set(rewritten.values_list("indicator", flat=True)) == {
        "contacts_telephone_mail",
        "demandes_recues",
    }
    assert august.filter(indicator="personnes_accompagnees", pk__in=pks).exists()  # kept as is
    contact.delete()
    refresh_stale()
    # The figures the contact made (a phone cell in August) are gone again.
    assert sorted(august.values_list(*FIGURE_FIELDS)) == before


def test_months_stored_with_another_key_scheme_are_counted_again(refreshed):
    """Keys of two schemes never meet in one count: such months are read again from the rows."""
    figures = sorted(Aggregate.objects.values_list(*FIGURE_FIELDS))
    MonthFacts.objects.filter(month__lt=D(2026, 8, 1)).update(scheme=KEY_SCHEME - 1, data=b"")
    StaleMonth.objects.create(month=D(2026, 8, 1))
    refresh_stale()  # August only; its year joins the months
    assert not MonthFacts.objects.exclude(scheme=KEY_SCHEME).filter(month__year=2026).exists()
    assert sorted(Aggregate.objects.values_list(*FIGURE_FIELDS)) == figures


def test_facts_read_column_by_column_count_as_the_definition(year):
    """An indicator's fast reading (``packed``) gives the figures of its facts, month by month and
    over the year, with the last month's categories or all of them. On PostgreSQL the fast
    reading is computed by the database (keys, ages, months); elsewhere it packs the facts."""
    context = Context.load()
    fast = [i for i in INDICATORS.values() if i.packed is not None]
    assert {i.code for i in fast} >= {"personnes_accompagnees", "personnes_recues"}
    ranges = [(D(2026, m, 1), next_month(D(2026, m, 1))) for m in range(1, 13)]
    for start, end in [*ranges, (D(2025, 1, 1), D(2027, 1, 1))]:
        for indicator in fast:
            packed = indicator.packed(start, end)
            reference = Packed.of(indicator.facts(start, end))
            assert len(packed) == len(reference)
            for latest_only in (False, True):
                assert count_distinct(packed, context, latest_only=latest_only) == (
                    count_distinct(reference, context, latest_only=latest_only)
                )


def test_every_indicator_has_a_french_definition():
    for indicator in INDICATORS.values():
        assert indicator.label and indicator.definition.endswith(".")
        assert indicator.code == indicator.code.lower()


def test_months_in_the_future_are_not_computed(refreshed):
    assert not Aggregate.objects.filter(
        grain=Grain.MONTH, period=datetime.date(2026, 12, 1)
    ).exists()


def test_a_change_queues_one_refresh_after_commit_when_auto_refresh_is_on(
    refreshed, settings, django_capture_on_commit_callbacks
):
    settings.ANCRAGE_INDICATORS_AUTO_REFRESH = True
    y = refreshed
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for day in (3, 4):
            ContactFactory(
                organization=y.cllaj, channel=Channel.EMAIL, occurred_at=at(D(2026, 9, day))
            )
    assert len(callbacks) == 1  # two contacts, one refresh
    assert not StaleMonth.objects.exists()
    assert org("contacts_telephone_mail", y, y.cllaj) == 7


def test_a_new_situation_is_counted_in_the_breakdowns_after_the_refresh(refreshed):
    y = refreshed
    y.yanis.situation = "student"
    y.yanis.save()
    assert D(2026, 1, 1) in set(StaleMonth.objects.values_list("month", flat=True))
    refresh_stale()
    assert org("personnes_accompagnees", y, y.cllaj, category="situation:student") == 1
    assert org("personnes_accompagnees", y, y.cllaj, category="situation:apprentice") == 2


def test_the_definitions_page_says_anonymous_visits_count_and_shows_both_parts(client, world):
    from django.urls import reverse

    client.force_login(world.owner)
    page = client.get(reverse("indicators:definitions")).content.decode()
    assert "chaque visite anonyme compte une fois" in page
    assert (
        "Accueil : Personnes nommées (chacune une fois), Visites anonymes (chacune compte)" in page
    )
