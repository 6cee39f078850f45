import pytest

from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.territories import load_territories, read_rows

pytestmark = pytest.mark.django_db


def test_the_committed_file_covers_france():
    rows = read_rows()
    kinds = {
        kind: sum(1 for r in rows if r["kind"] == kind)
        for kind in ("region", "departement", "epci", "commune")
    }
    assert kinds["region"] == 26
    assert kinds["departement"] >= 101
    assert kinds["epci"] > 1200
    assert kinds["commune"] > 34000


def test_loading_a_departement_links_communes_to_epci_departement_and_region():
    counts = load_territories(only_departements=["62"])
    assert counts["departement"] == 1
    arras = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62041")
    assert arras.name == "Arras"
    assert arras.postal_codes == "62000"
    assert arras.departement.name == "Pas-de-Calais"
    assert arras.region.name == "Hauts-de-France"
    assert arras.epci.name == "CU d'Arras"
    assert str(arras) == "Arras (62000)"


def test_loading_twice_changes_nothing():
    first = load_territories(only_departements=["62"])
    total = Territory.objects.count()
    second = load_territories(only_departements=["62"])
    assert first == second
    assert Territory.objects.count() == total


def test_commune_search_ignores_accents_case_and_accepts_postal_codes():
    load_territories(only_departements=["42"])
    assert "Saint-Étienne" in [t.name for t in Territory.objects.communes().search("saint-etienne")]
    assert "Saint-Étienne" in [t.name for t in Territory.objects.communes().search("42100")]
    assert list(Territory.objects.communes().search("   ")) == []


def test_a_territory_is_named_with_its_kind_and_acronyms_stay_upper_case():
    assert Territory(kind="commune", name="Arras").name_and_kind == "Arras (commune)"
    assert (
        Territory(kind="epci", name="Saint-Étienne Métropole").name_and_kind
        == "Saint-Étienne Métropole (EPCI)"
    )
    assert Territory(kind="departement", name="Loire").name_and_kind == "Loire (département)"
