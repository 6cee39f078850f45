"""The final report over an agreement's period: figures over any run of whole months, a young
person supported in 2025 and in 2026 counted once, beside the annual reports of those years."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ancrage.accounts.enums import Role
from ancrage.indicators import rollup, services
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate, ReportingPeriod
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.indicators.conftest import _enrollment, _person

D = datetime.date
FIRST, LAST = D(2025, 1, 1), D(2026, 12, 1)


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.DEMO = True  # accounts made by the factory have no second factor


def member(organization, role=Role.READ_ONLY):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    client = Client()
    client.force_login(user)
    return client


def period_value(code, organization, first=FIRST, last=LAST, category=""):
    row = Aggregate.objects.filter(
        indicator=code,
        grain=Grain.PERIOD,
        period=first,
        last_month=last,
        scope=Scope.ORGANIZATION,
        organization=organization,
        category=category,
    ).first()
    return None if row is None else row.value


@pytest.fixture
def two_years(year):
    """The hand-built year, plus Nora: supported by the CLLAJ from October 2025, still in 2026."""
    nora = _person(year.cllaj, "Garnier", "Nora", D(2005, 2, 3))
    _enrollment(year.cllaj, nora, requested=D(2025, 9, 15), started=D(2025, 10, 1))
    rollup.refresh_year(2025)
    rollup.refresh_year(2026)
    period = services.track_period(first_month=FIRST, last_month=LAST)
    rollup.refresh_period(period)
    return year


def test_a_youth_supported_in_both_years_counts_once_over_the_agreement(two_years):
    y = two_years
    year_value = {
        r.period.year: r.value
        for r in Aggregate.objects.filter(
            indicator="personnes_accompagnees",
            grain=Grain.YEAR,
            scope=Scope.ORGANIZATION,
            organization=y.cllaj,
            category="",
        )
    }
    # 2025: Adam and Nora; 2026: Yanis, Léa, Hugo and Nora; the two years: five people, not six.
    assert year_value == {2025: 2, 2026: 4}
    assert period_value("personnes_accompagnees", y.cllaj) == 5
    # Totals add up over the period: the calls and e-mails of 2025 and those of 2026.
    contacts = {
        r.period.year: r.value
        for r in Aggregate.objects.filter(
            indicator="contacts_telephone_mail",
            grain=Grain.YEAR,
            scope=Scope.ORGANIZATION,
            organization=y.cllaj,
            category="",
        )
    }
    assert contacts[2026] == 5
    assert period_value("contacts_telephone_mail", y.cllaj) == contacts[2026] + contacts.get(
        2025, 0
    )


def test_the_page_shows_each_year_and_the_period_counting_people_once(two_years):
    y = two_years
    client = member(y.cllaj)
    url = reverse("indicators:period_report", args=[y.cllaj.pk])
    response = client.get(url, {"first_month": "2025-01", "last_month": "2026-12"})
    assert response.status_code == 200
    figure = next(
        f for f in response.context["data"].figures if f.indicator.code == "personnes_accompagnees"
    )
    assert figure.years == [(2025, 2.0), (2026, 4.0)]
    assert figure.value == 5.0
    assert figure.counted_once
    html = response.content.decode()
    assert "de janvier 2025 à décembre 2026" in html
    assert "chaque personne comptée une fois" in html
    assert reverse("indicators:annual_report", args=[y.cllaj.pk, 2025]) in html


def test_the_xlsx_has_the_figures_of_the_page(two_years):
    y = two_years
    client = member(y.cllaj)
    response = client.get(
        reverse("indicators:period_report_xlsx", args=[y.cllaj.pk]),
        {"first_month": "2025-01", "last_month": "2026-12"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Indicateurs"]
    rows = {row[0]: row[1:4] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Jeunes accompagnés"] == (2, 4, 5)


def test_a_change_in_one_month_makes_the_period_recounted(two_years):
    y = two_years
    late = _person(y.cllaj, "Faure", "Rayan", D(2006, 1, 1))
    _enrollment(y.cllaj, late, requested=D(2026, 6, 1), started=D(2026, 6, 10))
    rollup.refresh_months([D(2026, 6, 1)])
    period = ReportingPeriod.objects.get(first_month=FIRST, last_month=LAST)
    assert period.computed_at is None  # out of date: the page says it is being computed
    assert rollup.refresh_periods() > 0
    assert period_value("personnes_accompagnees", y.cllaj) == 6


def test_a_period_not_yet_computed_says_so_and_is_computed_in_the_background(year, settings):
    client = member(year.cllaj)
    url = reverse("indicators:period_report", args=[year.cllaj.pk])
    response = client.get(url, {"first_month": "2026-01", "last_month": "2026-06"})
    # The test's task backend runs the computation when the request's transaction commits: the
    # page either shows the figures or says they are being computed, never an empty table.
    html = response.content.decode()
    period = ReportingPeriod.objects.get(first_month=D(2026, 1, 1), last_month=D(2026, 6, 1))
    if period.computed_at is None:
        assert "en cours de calcul" in html
    else:
        assert response.context["data"] is not None


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2026-13", "2026-12", "first_month", "Mois attendu au format mm/aaaa"),
        ("2026-06", "2026-01", "last_month", "Le dernier mois précède le premier."),
        ("2020-01", "2026-12", "last_month", "Une période compte 60 mois au plus."),
        ("2030-01", "2030-12", "first_month", "Cette période n'a pas commencé."),
        ("x" * 5000, "2026-12", "first_month", "Mois attendu au format mm/aaaa"),
    ],
)
def test_bad_months_are_refused_with_a_french_message_and_nothing_kept(
    year, first, last, field, message
):
    client = member(year.cllaj)
    url = reverse("indicators:period_report", args=[year.cllaj.pk])
    response = client.get(url, {"first_month": first, "last_month": last})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ReportingPeriod.objects.exists()


def test_the_service_refuses_a_period_that_is_not_whole_months():
    with pytest.raises(ValidationError):
        services.track_period(first_month=D(2026, 1, 15), last_month=D(2026, 3, 1))


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "anonymous", "funder"])
def test_who_reads_the_final_report(two_years, who):
    y = two_years
    clients = {
        "owner": lambda: member(y.cllaj, Role.ADMIN),
        "colleague": lambda: member(y.cllaj),
        "outsider": lambda: member(y.manager, Role.ADMIN),
        "anonymous": Client,
        "funder": lambda: member(y.funder),
    }
    response = clients[who]().get(
        reverse("indicators:period_report", args=[y.cllaj.pk]),
        {"first_month": "2025-01", "last_month": "2026-12"},
    )
    if who == "anonymous":
        assert response.status_code == 302
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.context["data"].figures


def test_the_page_reads_a_constant_number_of_queries(two_years, count_queries):
    y = two_years
    client = member(y.cllaj)
    url = reverse("indicators:period_report", args=[y.cllaj.pk])
    query = {"first_month": "2025-01", "last_month": "2026-12"}
    client.get(url, query)  # the session's first page reads the account once
    few = count_queries(lambda: client.get(url, query))
    for index in range(3):
        more = _person(y.cllaj, "Faure", f"Rayan{index}", D(2006, 1, 1 + index))
        _enrollment(y.cllaj, more, requested=D(2026, 6, 1), started=D(2026, 6, 10))
    rollup.refresh_months([D(2026, 6, 1)])
    rollup.refresh_periods()
    assert count_queries(lambda: client.get(url, query)) == few


def test_the_api_gives_the_period_figure_and_refuses_half_a_period(two_years, settings):
    y = two_years
    client = member(y.cllaj)
    url = reverse("api:indicator-values", args=["personnes_accompagnees"])
    response = client.get(
        url, {"organization": y.cllaj.pk, "first_month": "2025-01", "last_month": "2026-12"}
    )
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["grain"], row["period"], row["last_month"], row["value"]) == (
        "span",
        "2025-01-01",
        "2026-12-01",
        5.0,
    )
    refused = client.get(url, {"organization": y.cllaj.pk, "first_month": "2025-01"})
    assert refused.status_code == 400
    assert refused.json()["last_month"] == ["Indiquez les deux mois."]
    backwards = client.get(
        url, {"organization": y.cllaj.pk, "first_month": "2026-01", "last_month": "2025-01"}
    )
    assert backwards.json()["last_month"] == ["Le dernier mois précède le premier."]
    assert ReportingPeriod.objects.count() == 1


def test_the_regions_of_the_period_count_people_once(two_years):
    from ancrage.indicators.access import Selection
    from ancrage.indicators.queries import children

    _title, heading, rows = children(Selection(Scope.NATIONAL), 2026, months=(FIRST, LAST))
    assert heading == "Région"
    [hauts_de_france] = rows
    # Adam, Nora, Yanis, Léa, Hugo (CLLAJ) and Zoé (association): six people over two years.
    assert hauts_de_france.values["personnes_accompagnees"] == "6"


def test_the_pdf_has_the_figures_of_the_page(two_years):
    from pypdf import PdfReader

    y = two_years
    client = member(y.cllaj)
    response = client.get(
        reverse("indicators:period_report_pdf", args=[y.cllaj.pk]),
        {"first_month": "2025-01", "last_month": "2026-12"},
    )
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join("".join(p.extract_text() for p in pages).split())
    assert "Bilan sur la période de janvier 2025 à décembre 2026" in text
    assert "Jeunes accompagnés 2 4 5" in text
