import pytest

from tests.accounts.factories import MembershipFactory


@pytest.fixture
def counsellor(world):
    return MembershipFactory(organization=world.org, role="counsellor").user
