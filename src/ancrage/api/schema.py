"""The OpenAPI schema documents the error answers every endpoint can give, not only the happy path."""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from ancrage.api.examples import WRITE_EXAMPLES

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Facultatif. Une clé unique par écriture (un UUID) : renvoyée dans les 24 h avec le même "
        "corps, la première réponse est rendue (en-tête Idempotent-Replayed) sans rien écrire de "
        "plus ; avec un autre corps, 422 ; pendant que la première requête s'exécute, 409."
    ),
)
IDEMPOTENCY_ERRORS = {
    "409": "Une requête avec la même clé d'idempotence est en cours (ou, selon l'opération, un "
    "conflit décrit dans le message).",
    "422": "Cette clé d'idempotence a déjà servi pour une autre requête.",
}

ERROR_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"detail": {"type": "string", "description": "Message en français."}},
            "required": ["detail"],
        }
    }
}
FIELD_ERRORS_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "description": 'Messages en français par champ : {"champ": ["message"]} ; un corps '
            'illisible (JSON mal formé) : {"detail": "message"}.',
            # A list of messages; a string (detail); for a nested list (resources…), the errors
            # of each item by its position.
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"type": ["string", "object"]}},
                    {"type": "string"},
                    {"type": "object"},
                ]
            },
        }
    }
}
COMMON_ERRORS = {
    "401": "Authentification absente ou jeton invalide.",
    "403": "Authentifié·e, mais votre rôle ne permet pas cette action.",
}
UNSUPPORTED_MEDIA = (
    "Corps envoyé sans type de contenu lisible par cette opération : JSON "
    "(Content-Type: application/json), ou multipart/form-data pour un fichier."
)
NOT_FOUND = "Introuvable, ou hors de votre périmètre (un objet d'une autre structure répond 404)."


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A nested list's bounds (``many=True, max_length=…``) in the schema, as the API
        applies them: drf-spectacular leaves them out."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ListSerializer) and schema.get("type") == "array":
            # Not in the stubs: ListSerializer keeps what ``many=True`` handed it.
            for bound, key in (("min_length", "minItems"), ("max_length", "maxItems")):
                if getattr(field, bound, None) is not None:
                    schema[key] = getattr(field, bound)
        return schema

    def _is_idempotent_write(self) -> bool:
        from ancrage.core.viewsets import WritableMixin

        return self.method == "POST" and isinstance(self.view, WritableMixin)

    def get_examples(self):
        examples = super().get_examples()
        body = WRITE_EXAMPLES.get(self.get_operation_id())
        if examples or body is None:
            return examples
        return [OpenApiExample("Exemple", value=body, request_only=True)]

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_idempotent_write():
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        responses.setdefault(
            "400",
            {
                "description": "Paramètre invalide : le message nomme le champ en cause.",
                "content": FIELD_ERRORS_BODY,
            },
        )
        for code, description in COMMON_ERRORS.items():
            responses.setdefault(code, {"description": description, "content": ERROR_BODY})
        if self._is_idempotent_write():
            for code, description in IDEMPOTENCY_ERRORS.items():
                responses.setdefault(code, {"description": description, "content": ERROR_BODY})
        if "{" in self.path or self.method != "GET":
            # A write names its organization or other records: one out of reach answers 404.
            responses.setdefault("404", {"description": NOT_FOUND, "content": ERROR_BODY})
        if self.method in ("POST", "PUT", "PATCH"):
            # A body sent without a type this operation reads (no Content-Type header, XML…).
            responses.setdefault("415", {"description": UNSUPPORTED_MEDIA, "content": ERROR_BODY})
        return responses
