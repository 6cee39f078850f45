"""The read-only API viewset for records holding personal data: every read is in the audit trail,
a page of a list (one event with the ids read) as well as a single record."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets
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
