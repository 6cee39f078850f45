"""Dashboards, reports and API: as the team, a colleague, the program's funder, an outsider, anonymous.
The funder sees aggregates at every level and can reach no personal data."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ancrage.accounts.enums import Role
from ancrage.accounts.services import create_api_token
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.indicators.models import AnnualReport, Target
from ancrage.indicators.rollup import refresh_year
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.indicators.conftest import shared_year_refreshed
from tests.programs.factories import ParticipantFactory
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

# Names of the people of the hand-built year: none may appear anywhere a funder can go.
NAMES = ["Martin", "MARTIN", "Yanis", "Benali", "Inès", "Moreau", "Léa", "Simon", "Hugo", "Zoé"]


# Every test here starts from the figures of 2025 and 2026: computed once for the module.
_shared_year = shared_year_refreshed(2025, 2026)


@pytest.fixture
def people(year):
    # Fixed names for the users: the page shows the reader's own name, which must not be taken
    # for a supported person's (Faker could draw "Martin").
    def member(organization, role, first_name):
        return MembershipFactory(
            organization=organization,
            role=role,
            user__first_name=first_name,
            user__last_name="Testeur",
        ).user

    team = member(year.cllaj, Role.ADMIN, "Équipe")
    colleague = member(year.cllaj, Role.READ_ONLY, "Collègue")
    funder = member(year.funder, Role.FUNDER, "Financeur")
    outsider = member(OrganizationFactory(), Role.ADMIN, "Extérieur")
    return {"team": team, "colleague": colleague, "funder": funder, "outsider": outsider}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_team_sees_its_organization_year_against_last_year(year, people):
    response = client_for(people["team"]).get(reverse("indicators:dashboard"), {"annee": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indicateurs 2026" in page and "CLLAJ de l&#x27;Artois" in page
    assert "Jeunes reçus physiquement" in page
    # 5 calls and e-mails vs 1: on so small a base the difference, not « +400 % ».
    assert "2025 : 1 · évolution <strong>+4</strong>" in page
    assert "Tableau de reporting" in page
    # Each chart comes with its table.
    assert page.count('role="img"') == page.count("Les chiffres par mois")


def test_the_funder_sees_the_program_by_region_then_departement_then_organization(year, people):
    client = client_for(people["funder"])
    national = client.get(reverse("indicators:dashboard"), {"annee": 2026})
    assert national.status_code == 200
    page = national.content.decode()
    assert "CLLAJ 62" in page and "Par région" in page and "Hauts-de-France" in page
    region = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    by_departement = client.get(
        reverse("indicators:dashboard"),
        {"dispositif": year.program.pk, "territoire": region.pk, "annee": 2026},
    )
    assert "Par département" in by_departement.content.decode()
    departement = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    by_organization = client.get(
        reverse("indicators:dashboard"),
        {"dispositif": year.program.pk, "territoire": departement.pk, "annee": 2026},
    )
    page = by_organization.content.decode()
    assert "Par structure" in page
    assert "Association de Lens" in page and "CLLAJ de l&#x27;Artois" in page
    one = client.get(
        reverse("indicators:dashboard"),
        {"dispositif": year.program.pk, "structure": year.cllaj.pk, "annee": 2026},
    )
    assert one.status_code == 200
    for response in (national, by_departement, by_organization, one):
        for name in NAMES:
            assert name not in response.content.decode(), name


def test_the_funder_reaches_no_personal_data(year, people):
    client = client_for(people["funder"])
    # Not the organization outside the program it funds, nor the reporting table, nor people.
    assert (
        client.get(reverse("indicators:dashboard"), {"structure": year.cllaj.pk}).status_code == 404
    )
    assert (
        client.get(reverse("indicators:reporting_table", args=[year.cllaj.pk, 2026])).status_code
        == 404
    )
    assert client.get(reverse("people:person_detail", args=[year.yanis.pk])).status_code in (
        403,
        404,
    )
    assert client.get(reverse("api:person-list")).json()["results"] == []
    # The documents it may open carry no names.
    pdf = client.get(reverse("indicators:annual_report_pdf", args=[year.cllaj.pk, 2026]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    xlsx = client.get(reverse("indicators:annual_report_xlsx", args=[year.cllaj.pk, 2026]))
    cells = " ".join(
        str(cell.value)
        for sheet in load_workbook(io.BytesIO(xlsx.content))
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    data = client.get(
        reverse("indicators:open_data"), {"dispositif": year.program.pk, "annee": 2026}
    ).content.decode("utf-8-sig")
    values = client.get(
        reverse("api:indicator-values", args=["personnes_accompagnees"]),
        {"program": year.program.pk, "breakdown": "true", "year": 2026},
    ).content.decode()
    for document in (text, cells, data, values):
        for name in NAMES:
            assert name not in document, name


def test_an_outsider_gets_nothing_and_anonymous_logs_in(year, people):
    outsider = client_for(people["outsider"])
    for params in ({"structure": year.cllaj.pk}, {"dispositif": year.program.pk}):
        assert outsider.get(reverse("indicators:dashboard"), params).status_code == 404
        assert outsider.get(reverse("indicators:open_data"), params).status_code == 404
    assert (
        outsider.get(reverse("indicators:annual_report", args=[year.cllaj.pk, 2026])).status_code
        == 404
    )
    assert outsider.get(reverse("indicators:dashboard"), {"national": 1}).status_code == 404
    anonymous = client_for(None).get(reverse("indicators:dashboard"))
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]


def test_the_annual_report_has_the_six_indicators_in_pdf_and_xlsx(year, people):
    team = client_for(people["team"])
    response = team.post(
        reverse("indicators:annual_report", args=[year.cllaj.pk, 2026]),
        {"obstacles": "Peu de T1 disponibles.", "analysis": "Hausse des ateliers."},
    )
    assert response.status_code == 302
    assert AnnualReport.objects.get(organization=year.cllaj, year=2026).updated_by == people["team"]
    pdf = team.get(reverse("indicators:annual_report_pdf", args=[year.cllaj.pk, 2026]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for line in (
        "Contacts téléphoniques et par e-mail\n5\n1\n+4",
        "Jeunes reçus physiquement\n4\n0\n—",
        "Jeunes accompagnés\n3\n1\n+2",
        "Jeunes ayant accédé au logement\n1\n0\n—",
        "Participants aux actions collectives et temps forts\n8\n0\n—",
        "Partenaires du champ du logement mobilisés\n2\n0\n—",
        "Peu de T1 disponibles.",
        "Hausse des ateliers.",
    ):
        assert line in text, line
    xlsx = team.get(reverse("indicators:annual_report_xlsx", args=[year.cllaj.pk, 2026]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Indicateurs"]
    assert sheet["A3"].value == "État : en rédaction (non remis au financeur)."
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=6, max_col=2, values_only=True)}
    assert figures == {
        "Contacts téléphoniques et par e-mail": 5,
        "Jeunes reçus physiquement": 4,
        "Jeunes accompagnés": 3,
        "Jeunes ayant accédé au logement": 1,
        "Participants aux actions collectives et temps forts": 8,
        "Partenaires du champ du logement mobilisés": 2,
        # « Accompagnement et parcours », as on the dashboard.
        "Parcours engagés": 3,
        "Sorties d'accompagnement": 2,
        "Taux de sorties positives vers l'emploi ou la formation": 50,
        "Délai moyen de la demande au logement": 95,
        "Ménages prêts au logement": 1,
        "Demandes reçues": 10,  # the observatory: incoming requests from the public
    }
    analysis = load_workbook(io.BytesIO(xlsx.content))["Analyse"]
    assert analysis["A2"].value == "Peu de T1 disponibles."


def test_a_colleague_reads_the_report_but_cannot_write_it(year, people):
    colleague = client_for(people["colleague"])
    url = reverse("indicators:annual_report", args=[year.cllaj.pk, 2026])
    page = colleague.get(url)
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert colleague.post(url, {"obstacles": "x", "analysis": "y"}).status_code == 403
    assert not AnnualReport.objects.exists()
    funder_page = client_for(people["funder"]).get(url)
    assert funder_page.status_code == 200 and "<textarea" not in funder_page.content.decode()


def test_the_reporting_table_lists_each_person_supported_once_and_is_audited(year, people):
    from ancrage.audit.models import AuditEvent

    response = client_for(people["team"]).get(
        reverse("indicators:reporting_table", args=[year.cllaj.pk, 2026])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted((r[1], r[2]) for r in rows) == [
        ("MARTIN", "Yanis"),
        ("MOREAU", "Léa"),
        ("SIMON", "Hugo"),
    ]
    assert AuditEvent.objects.filter(action="view", object_id=str(year.yanis.pk)).count() == 1


def test_open_data_suppresses_small_cells(year, people, settings):
    client = client_for(people["funder"])
    url = reverse("indicators:open_data")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(url, {"dispositif": year.program.pk, "annee": 2026}).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    supported = [
        r for r in rows if r["indicateur"] == "personnes_accompagnees" and not r["repartition"]
    ]
    assert {r["niveau"] for r in supported} == {"france", "région", "département"}
    assert all(r["secret_statistique"] == "oui" and r["valeur"] == "" for r in supported)  # 4 < 11
    settings.ANCRAGE_SMALL_CELL_THRESHOLD = 3
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(url, {"dispositif": year.program.pk, "annee": 2026}).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    national = [
        r for r in rows if r["niveau"] == "france" and r["indicateur"] == "personnes_accompagnees"
    ]
    total = next(r for r in national if not r["repartition"])
    assert total["valeur"] == "4" and total["secret_statistique"] == "non"
    situations = {r["categorie"]: r for r in national if r["repartition"] == "Situation"}
    # Apprentices 4 are shown; Inès is not supported; the only other category would be withheld.
    assert situations["Apprenti·e"]["valeur"] == "4"


def test_targets_show_on_the_program_dashboard(year, people):
    Target.objects.create(
        indicator="personnes_accompagnees", program=year.program, year=2026, value=8
    )
    page = client_for(people["funder"]).get(
        reverse("indicators:dashboard"), {"dispositif": year.program.pk, "annee": 2026}
    )
    assert "Objectif 2026 : <strong>8</strong> — atteint à 50 %" in page.content.decode()


def test_the_api_lists_definitions_and_values_with_the_same_permissions(year, people):
    token, key = create_api_token(user=people["funder"], name="Suivi", actor=people["funder"])
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    definitions = api.get(reverse("api:indicator-list")).json()
    assert len(definitions) == 32
    assert definitions[0]["code"] == "contacts_telephone_mail"
    values = api.get(
        reverse("api:indicator-values", args=["personnes_accompagnees"]),
        {"program": year.program.pk, "year": 2026},
    ).json()["results"]
    assert [(v["scope"], v["value"]) for v in values] == [("program", 4.0)]
    regions = api.get(
        reverse("api:indicator-values", args=["personnes_accompagnees"]),
        {"program": year.program.pk, "year": 2026, "level": "region"},
    ).json()["results"]
    assert [(v["territory"]["name"], v["value"]) for v in regions] == [("Hauts-de-France", 4.0)]
    organizations = api.get(
        reverse("api:indicator-values", args=["personnes_accompagnees"]),
        {"program": year.program.pk, "year": 2026, "level": "organization"},
    ).json()["results"]
    assert sorted((v["organization"]["name"], v["value"]) for v in organizations) == [
        ("Association de Lens", 2.0),
        ("CLLAJ de l'Artois", 3.0),
    ]
    # The organization alone (outside the program) is not the funder's: 404, as on the pages.
    assert (
        api.get(
            reverse("api:indicator-values", args=["personnes_accompagnees"]),
            {"organization": year.cllaj.pk},
        ).status_code
        == 404
    )
    month = api.get(
        reverse("api:indicator-values", args=["taux_sorties_emploi"]),
        {"program": year.program.pk, "month": "2026-05"},
    ).json()["results"]
    assert month[0]["value"] == 100.0 and month[0]["denominator"] == 1
    assert api.get(reverse("api:indicator-values", args=["inconnu"])).status_code == 404
    bad = api.get(reverse("api:indicator-values", args=["sorties"]), {"year": 1990})
    assert bad.status_code == 400 and "year" in bad.json()
    for month in ("0000-00", "2026-13", "2026-5"):
        bad = api.get(reverse("api:indicator-values", args=["sorties"]), {"month": month})
        assert bad.status_code == 400
        assert bad.json() == {
            "month": ["Un mois AAAA-MM est attendu (01 à 12), par exemple 2026-03."]
        }


def test_the_values_schema_says_what_the_endpoint_returns(year, people):
    """Paginated (count, next, previous, results) at every level, with or without breakdowns."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/indicators/{code}/values/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    described = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(described) == {"count", "next", "previous", "results"}
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "offset", "month", "level"}
    assert "400" in operation["responses"]
    _, key = create_api_token(user=people["funder"], name="Schéma", actor=people["funder"])
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(
        reverse("api:indicator-values", args=["personnes_accompagnees"]),
        {"program": year.program.pk, "year": 2026, "level": "region", "breakdown": "true"},
    )
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_the_dashboard_keeps_a_constant_number_of_queries(year, people, count_queries):
    client = client_for(people["funder"])
    departement = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    params = {"dispositif": year.program.pk, "territoire": departement.pk, "annee": 2026}
    client.get(reverse("indicators:dashboard"), params)  # warm up
    few = count_queries(lambda: client.get(reverse("indicators:dashboard"), params))
    for index in range(4):
        extra = OrganizationFactory(name=f"Antenne {index}", commune=year.lens)
        ParticipantFactory(program=year.program, organization=extra)
        EnrollmentFactory(
            organization=extra,
            requested_on=datetime.date(2026, 2, 1),
            started_on=datetime.date(2026, 2, 2),
            status="support",
        )
    refresh_year(2026)
    assert count_queries(lambda: client.get(reverse("indicators:dashboard"), params)) == few
    response = client.get(reverse("indicators:dashboard"), params)
    assert response.content.decode().count("Antenne ") == 4


def test_small_breakdown_cells_are_withheld_outside_the_team(year, people):
    url = reverse("indicators:dashboard")
    team = client_for(people["team"]).get(url, {"structure": year.cllaj.pk, "annee": 2026})
    assert "moins de 11" not in team.content.decode()
    funder = client_for(people["funder"]).get(
        url, {"structure": year.cllaj.pk, "dispositif": year.program.pk, "annee": 2026}
    )
    page = funder.content.decode()
    assert '<td>Arras</td><td class="text-end">moins de 11</td>' in page
    pdf = client_for(people["funder"]).get(
        reverse("indicators:annual_report_pdf", args=[year.cllaj.pk, 2026])
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Arras moins de 11" in text


def test_the_breadcrumb_climbs_back_from_an_organization_to_the_program(year, people):
    page = client_for(people["funder"]).get(
        reverse("indicators:dashboard"),
        {"dispositif": year.program.pk, "structure": year.cllaj.pk, "annee": 2026},
    )
    content = page.content.decode()
    region = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    departement = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    assert f'?dispositif={year.program.pk}&amp;annee=2026">CLLAJ 62</a>' in content
    assert f"?dispositif={year.program.pk}&amp;territoire={region.pk}&amp;annee=2026" in content
    assert f'territoire={departement.pk}&amp;annee=2026">Pas-de-Calais</a>' in content


def test_operators_set_targets_in_the_admin(year, user_factory):
    operator = user_factory(is_staff=True, is_superuser=True, with_mfa=True)
    client = client_for(operator)
    response = client.post(
        reverse("admin:indicators_target_add"),
        {
            "indicator": "personnes_accompagnees",
            "program": year.program.pk,
            "organization": "",
            "year": 2026,
            "value": 40,
        },
    )
    assert response.status_code == 302
    assert Target.objects.get().value == 40
    listing = client.get(reverse("admin:indicators_target_changelist"))
    assert "Jeunes accompagnés" in listing.content.decode()


def test_an_organization_outside_the_cllaj_reports_its_program_indicators(year, people):
    from ancrage.indicators.reports import annual_report_data
    from ancrage.programs.enums import ProgramKind
    from tests.programs.factories import ProgramFactory

    housing = ProgramFactory(name="Alternants 62", kind=ProgramKind.APPRENTICE_HOUSING)
    ParticipantFactory(program=housing, organization=year.manager)
    labels = [f.indicator.label for f in annual_report_data(year.manager, 2026).figures]
    assert labels[0] == "Taux d'occupation" and "Jeunes reçus physiquement" not in labels
    assert [f.indicator.code for f in annual_report_data(year.cllaj, 2026).figures][0] == (
        "contacts_telephone_mail"
    )


def test_the_funders_home_leads_to_the_indicators(year, people):
    home = client_for(people["funder"]).get(reverse("core:home")).content.decode()
    dashboard = f"{reverse('indicators:dashboard')}?dispositif={year.program.pk}"
    assert f'href="{dashboard}">Tableau de bord</a>' in home
    assert year.program.name in home
    report = reverse("indicators:annual_report", args=[year.cllaj.pk, 2025])
    assert f'href="{report}">CLLAJ de l&#x27;Artois</a>' in home


def test_the_report_leads_each_reader_back_to_a_dashboard_they_may_see(year, people):
    url = reverse("indicators:annual_report", args=[year.cllaj.pk, 2026])
    for who, expected in (
        ("team", f"?structure={year.cllaj.pk}&amp;annee=2026"),
        ("funder", f"?dispositif={year.program.pk}&amp;annee=2026"),
    ):
        client = client_for(people[who])
        page = client.get(url).content.decode()
        assert f'{reverse("indicators:dashboard")}{expected}">Indicateurs</a>' in page, who
        back = expected.replace("&amp;", "&")
        assert client.get(reverse("indicators:dashboard") + back).status_code == 200, who


def test_the_report_shows_the_objectives_the_support_figures_and_a_partial_year(year, people):
    """The objectives seen on the dashboard are in the report and its PDF and XLSX, with the
    support figures, and a year under way says so instead of « au 31 décembre »."""
    Target.objects.create(
        indicator="personnes_accompagnees",
        program=year.program,
        organization=year.cllaj,
        year=2026,
        value=2,
    )
    team = client_for(people["team"])
    url = reverse("indicators:annual_report", args=[year.cllaj.pk, 2026])
    page = team.get(url).content.decode()
    assert "Période : du 1er janvier au 23 novembre 2026 (année en cours)" in page
    row = page[page.index("Jeunes accompagnés</th>") :].split("</tr>")[0]
    assert '<td class="text-end">2</td><td class="text-end">150 %</td>' in row  # 3 for 2
    assert "Parcours engagés" in page or "Accompagnement" in page
    pdf = team.get(reverse("indicators:annual_report_pdf", args=[year.cllaj.pk, 2026]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Période : du 1er janvier au 23 novembre 2026 (année en cours)" in text
    assert "Objectif" in text and "150 %" in text
    xlsx = team.get(reverse("indicators:annual_report_xlsx", args=[year.cllaj.pk, 2026]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Indicateurs"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Jeunes accompagnés"][4:6] == (2, 150)
    # A past year ends on 31 December.
    page = team.get(reverse("indicators:annual_report", args=[year.cllaj.pk, 2025])).text
    assert "Période : du 1er janvier au 31 décembre 2025." in page
