"""The read-only API viewset for records holding personal data: every read is in the audit trail,
a page of a list (one event with the ids read) as well as a single record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.core.signals import list_read, object_viewed


class AuditedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        list_read(
            model=queryset.model,
            records=rows,
            actor=request.user,
            organization_of=self.audit_organization_id,
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def audit_organization_id(self, row: Any) -> int | None:
        """The organization whose file the row is (its admins see who read it)."""
        return getattr(row, "organization_id", None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        object_viewed.send(
            sender=type(instance),
            instance=instance,
            actor=request.user,
            organization=getattr(instance, "organization", None),
        )
        return Response(self.get_serializer(instance).data)


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    """A service's ``ValidationError`` as the API's 400 body: ``{"field": ["message"]}``."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                ("non_field_errors" if key == NON_FIELD_ERRORS else key): messages
                for key, messages in exc.message_dict.items()
            }
        )
    return ValidationError({"non_field_errors": exc.messages})


def acting_user(request: Request) -> Any:
    """The signed-in user of a write (the registry lets no anonymous request reach one)."""
    return request.user


class WritableMixin:
    """A viewset that also writes, always through its app's service: the parser is JSON only (a
    form-encoded body cannot say null or a list), and the schema says so."""

    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
