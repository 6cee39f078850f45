"""The read-only API viewset for records holding personal data: every read is in the audit trail,
a page of a list (one event with the ids read) as well as a single record."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.core import idempotency
from ancrage.core.models import EXTERNAL_REF_MAX
from ancrage.core.serializers import CharField
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


@contextmanager
def service_errors() -> Iterator[None]:
    """Around a service call: its ``ValidationError`` becomes the API's documented 400."""
    try:
        yield
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc


if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=Model)


def find(queryset: QuerySet[M], pk: Any, *, field: str, message: StrOrPromise) -> Any:
    """The record ``pk`` names in ``queryset`` (already scoped to what the user may reach), or a
    400 naming the field: an identifier out of reach reads as unknown, never as someone else's."""
    if pk in (None, ""):
        return None
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: [message]})
    return record


MAX_ID = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """An identifier sent by a client (the database's bounds, so a huge number is a 400)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def external_ref_field(what: StrOrPromise) -> serializers.CharField:
    return CharField(
        required=False,
        allow_blank=True,
        max_length=EXTERNAL_REF_MAX,
        help_text=_(
            "Votre identifiant %(what)s (unique dans la structure) : renvoyé, l'objet existant "
            "est rendu (200) au lieu d'être créé en double."
        )
        % {"what": what},
    )


def known_by_ref(queryset: QuerySet[M], ref: str, **owner: Any) -> M | None:
    """The record already sent with this external reference, if any."""
    ref = (ref or "").strip()
    return queryset.filter(external_ref=ref, **owner).first() if ref else None


def answer(serializer_class: Any, record: Model, *, created: bool = True) -> Response:
    """201 with the new record, or 200 with the one that was already there."""
    return Response(
        serializer_class(record).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


def acting_user(request: Request) -> Any:
    """The signed-in user of a write (the registry lets no anonymous request reach one)."""
    return request.user


class WritableMixin:
    """A viewset that also writes, always through its app's service: the parser is JSON only (a
    form-encoded body cannot say null or a list), and the schema says so. A POST may carry an
    ``Idempotency-Key`` header (core.idempotency): sent again, it gets the first answer back."""

    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    # The action (access registry) a write of this viewset needs in at least one organization.
    write_action: str | None = None
    _idempotent: idempotency.Pending | None = None

    def body(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> dict[str, Any]:
        """The request's body checked by ``serializer_class`` (a 400 naming the fields if not)."""
        data = serializer_class(data=self.request.data, **kwargs)  # type: ignore[attr-defined]
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def already_sent(
        self,
        queryset: QuerySet,
        values: dict[str, Any],
        serializer_class: Any,
        *,
        read: Any = None,
        **owner: Any,
    ) -> Response | None:
        """The 200 answering a record sent before with the same ``external_ref`` (as ``read``
        shows it, if given), or ``None`` when it is new."""
        known = known_by_ref(queryset, values.get("external_ref", ""), **owner)
        if known is None:
            return None
        return answer(serializer_class, read(known) if read else known, created=False)

    def reread(self, record: Any) -> Any:
        """A record just written, as the viewset's reads show it (with its related rows)."""
        return self.get_queryset().get(pk=record.pk)  # type: ignore[attr-defined]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self._idempotent = None
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method == "POST":
            self._idempotent = idempotency.begin(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)  # type: ignore[misc]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        pending, self._idempotent = self._idempotent, None
        idempotency.finish(pending, response)
        return response


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, and a body over the upload limit answered in JSON (400, naming the limit)
    instead of Django's HTML page."""
    from django.core.exceptions import RequestDataTooBig
    from rest_framework.views import exception_handler

    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"non_field_errors": [_("Le contenu envoyé est trop volumineux.")]}, status=400
        )
    return exception_handler(exc, context)
