"""The write examples shown in the schema (and prefilled in Swagger) are in the schema and valid
against the request body they illustrate — an example that drifted from the API is a defect."""

import jsonschema
import pytest
from django.test import Client
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ancrage.api.examples import WRITE_EXAMPLES


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/", {"format": "json"}).json()


def _request_bodies(schema) -> dict[str, dict]:
    bodies = {}
    for operations in schema["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                bodies[operation["operationId"]] = operation["requestBody"]
    return bodies


@pytest.mark.parametrize("operation_id", sorted(WRITE_EXAMPLES))
def test_each_example_is_shown_and_valid(schema, operation_id):
    bodies = _request_bodies(schema)
    assert operation_id in bodies, f"{operation_id} : plus d'opération de ce nom"
    media = bodies[operation_id]["content"]["application/json"]
    assert media["examples"]["Exemple"]["value"] == WRITE_EXAMPLES[operation_id]
    registry = Registry().with_resource("urn:api", Resource(schema, DRAFT202012))
    validator = jsonschema.Draft202012Validator(
        {"$ref": "urn:api" + media["schema"]["$ref"]},
        registry=registry,
        format_checker=jsonschema.FormatChecker(),
    )
    validator.validate(WRITE_EXAMPLES[operation_id])


def test_a_body_without_a_readable_type_gets_the_documented_415(schema, world):
    """Found by the fuzzing phase: a body sent without a Content-Type header answered a 415 the
    schema did not list. Every write documents it, and answers it with its French message, writing
    nothing."""
    from ancrage.people.models import PersonDocument
    from tests.api.clients import token_client

    writes = [
        operation
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method in ("post", "put", "patch")
    ]
    assert writes and all("415" in operation["responses"] for operation in writes)
    client = token_client(world.owner)
    for path in ("/api/v1/documents/", "/api/v1/contacts/"):
        response = client.generic("POST", path, b"\x1c\xc2\x9eqU", content_type="")
        assert response.status_code == 415, path
        assert response.json()["detail"].startswith("Type de média")
    assert PersonDocument.objects.count() == 0
