"""Property-based run of the whole API against its own OpenAPI schema: no 5xx, responses conform,
valid data accepted and invalid data rejected (positive and negative phases, derandomized, bounded).

The operations are driven directly (schemathesis' pytest plugin does not support pytest 9 yet):
one Hypothesis run per operation, with the data of the ``world`` fixture and an owner's token.
"""

import functools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth

from ancrage.accounts.services import create_api_token
from ancrage.wsgi import application
from tests.depth import examples
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory, EnrollmentFactory

# The 316 operations in four parts, so that the two test processes share the run (one part each
# while the other part of the suite runs beside it) instead of one process taking it all at the end.
SHARDS = 4


@functools.cache
def api_schema():
    """The schema as the application serves it, loaded once per test process (it does not depend
    on the database; building it costs seconds, and each shard needed it)."""
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def drawn(full: int):
    """Hypothesis' settings for one phase of an operation: ``full`` examples at full depth,
    derandomized so that CI is repeatable (run with a random seed by hand to explore further)."""
    return settings(
        max_examples=examples(full),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_conforms_to_its_schema(world, wsgi_keeps_connection, shard):
    # Records with the blanks real files have (no situation, no e-mail, an anonymous contact): the
    # responses must say what the schema says about them (issue 15, gap 8).
    PersonFactory(organization=world.org, situation="", housing_situation="", email="", phone="")
    ContactFactory(organization=world.org, age_band="", situation="")
    EnrollmentFactory(organization=world.org, referent=world.owner)
    _, token = create_api_token(user=world.owner, name="schemathesis", actor=world.owner)
    schema = api_schema()
    checked, operations = [], [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 316, [operation.label for operation in operations]
    for operation in operations[shard::SHARDS]:
        accepts_valid_input(operation, token)
        checked.append(operation.label)
        if operation.query or operation.path_parameters or operation.body:
            rejects_invalid_input(operation, token)
    assert len(checked) == len(operations[shard::SHARDS]), checked


def accepts_valid_input(operation, token) -> None:
    """Positive phase: schema-valid requests get a response the schema describes, never a 5xx."""
    auth_confirmed = []

    @given(case=operation.as_strategy())
    @drawn(30)
    def check(case):
        # A write may refuse schema-valid data on a rule the schema cannot state (a date not
        # after today): that is a documented 400 with the field's message, not a failure.
        # That the operation refuses a request without or with a wrong token is probed on its
        # first success, once (as schemathesis' own runner does), not after each of thirty.
        response = case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            excluded_checks=[positive_data_acceptance, *auth_confirmed],
        )
        if 200 <= response.status_code < 300:
            auth_confirmed[:] = [ignored_auth]

    check()


def rejects_invalid_input(operation, token) -> None:
    """Negative phase: data that violates the schema (a wrong type, a value out of its bounds, an
    empty choice) gets a 4xx with the schema's error body, never a 2xx or a 5xx."""

    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    @drawn(10)
    def check(case):
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            excluded_checks=[positive_data_acceptance],
        )

    check()
