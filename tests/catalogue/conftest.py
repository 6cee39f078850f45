import pytest

from ancrage.core.territories import load_territories


@pytest.fixture
def communes(db):
    """The communes, EPCI and département of the Pas-de-Calais (Arras 62041, Lens 62498)."""
    load_territories(only_departements=["62"])
