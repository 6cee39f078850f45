"""A body over the upload limit gets the API's JSON answer, never Django's HTML page (found by
schemathesis on POST /services/import/)."""

import pytest

from tests.api.clients import token_client

pytestmark = pytest.mark.django_db


def test_a_body_too_large_answers_400_in_json(world):
    response = token_client(world.owner).post_json(
        "/api/v1/services/import/", {"x": "a" * 9_000_000}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"non_field_errors": ["Le contenu envoyé est trop volumineux."]}
