"""API of the common spaces: what the residence and space pages do, through ``housing.services``
— spaces added and changed, slots booked and cancelled (the managers), calendars read (the team)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    answer,
    find,
    id_field,
    service_errors,
)
from ancrage.housing import services
from ancrage.housing.enums import CommonSpaceKind
from ancrage.housing.models import CommonSpace, Residence, SpaceBooking
from ancrage.housing.queries import get_space_booking_for_user, get_space_for_user
from ancrage.people.queries import people_visible_to


class CommonSpaceSerializer(ModelSerializer):
    class Meta:
        model = CommonSpace
        fields = ["id", "organization", "residence", "kind", "name", "capacity", "bookable"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            **super().get_fields(),
            "is_active": serializers.BooleanField(read_only=True, help_text=_("Ouvert.")),
        }


class CommonSpaceWriteSerializer(serializers.Serializer):
    residence = id_field()
    kind = serializers.ChoiceField(choices=CommonSpaceKind.choices)
    name = CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Par défaut, le type.")
    )
    capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000
    )
    bookable = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Par défaut : oui, sauf laverie et local vélos."),
    )


class CommonSpaceUpdateSerializer(serializers.Serializer):
    name = CharField(max_length=100)
    capacity = serializers.IntegerField(allow_null=True, min_value=1, max_value=1000)
    bookable = serializers.BooleanField()
    is_active = serializers.BooleanField(help_text=_("false : l'espace ne prend plus de créneau."))


class SpaceFilter(QueryFilter):
    residence = id_field(required=False)


class SpaceBookingSerializer(ModelSerializer):
    class Meta:
        model = SpaceBooking
        fields = [
            "id",
            "space",
            "starts_at",
            "ends_at",
            "purpose",
            "person",
            "is_active",
            "cancelled_at",
        ]
        read_only_fields = fields


class SpaceBookingWriteSerializer(serializers.Serializer):
    space = id_field()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(help_text=_("Exclue : 14:00–16:00 puis 16:00–18:00 vont."))
    purpose = CharField(max_length=150)
    person = id_field(
        required=False, allow_null=True, help_text=_("Le ou la résident·e pour qui (facultatif).")
    )


class SpaceBookingFilter(QueryFilter):
    space = id_field(required=False)
    starts_after = serializers.DateTimeField(
        required=False, help_text=_("Finit après cet instant.")
    )
    starts_before = serializers.DateTimeField(
        required=False, help_text=_("Commence avant cet instant.")
    )
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(summary=_("Espaces communs des résidences"), parameters=[SpaceFilter]),
    retrieve=extend_schema(summary=_("Un espace commun")),
    create=extend_schema(
        summary=_("Ajouter un espace commun à une résidence"),
        request=CommonSpaceWriteSerializer,
        responses={201: CommonSpaceSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Renommer, ouvrir ou fermer un espace commun"),
        request=CommonSpaceUpdateSerializer(partial=True),
        responses={200: CommonSpaceSerializer},
    ),
)
class CommonSpaceViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CommonSpaceSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        spaces = CommonSpace.objects.visible_to(self.request.user)
        if self.action == "list":
            filters = SpaceFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "residence" in filters.validated_data:
                spaces = spaces.filter(residence_id=filters.validated_data["residence"])
        return spaces.order_by("residence_id", "name", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CommonSpaceWriteSerializer)
        actor = acting_user(request)
        residence = find(
            Residence.objects.visible_to(actor),
            values.pop("residence"),
            field="residence",
            message=_("Résidence introuvable dans vos structures."),
        )
        with service_errors():
            space = services.add_space(residence=residence, actor=actor, **values)
        return answer(CommonSpaceSerializer, space)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        space = get_space_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(CommonSpaceUpdateSerializer, partial=True)
        with service_errors():
            space = services.update_space(space=space, actor=acting_user(request), **values)
        return answer(CommonSpaceSerializer, space, created=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Créneaux réservés dans les espaces communs"), parameters=[SpaceBookingFilter]
    ),
    retrieve=extend_schema(summary=_("Un créneau")),
    create=extend_schema(
        summary=_("Réserver un créneau (refusé s'il chevauche un autre créneau de l'espace)"),
        request=SpaceBookingWriteSerializer,
        responses={201: SpaceBookingSerializer},
    ),
)
class SpaceBookingViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = SpaceBookingSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        bookings = SpaceBooking.objects.visible_to(self.request.user).select_related("person")
        if self.action == "list":
            filters = SpaceBookingFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            given = filters.validated_data
            if "space" in given:
                bookings = bookings.filter(space_id=given["space"])
            if "starts_after" in given:
                bookings = bookings.filter(ends_at__gt=given["starts_after"])
            if "starts_before" in given:
                bookings = bookings.filter(starts_at__lt=given["starts_before"])
            if given.get("active") is not None:
                bookings = bookings.filter(is_active=given["active"])
        return bookings.order_by("starts_at", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(SpaceBookingWriteSerializer)
        actor = acting_user(request)
        space = find(
            CommonSpace.objects.visible_to(actor),
            values.pop("space"),
            field="space",
            message=_("Espace commun introuvable dans vos structures."),
        )
        values["person"] = find(
            people_visible_to(actor),
            values.get("person"),
            field="person",
            message=_("Personne introuvable dans vos structures."),
        )
        with service_errors():
            booking = services.book_space(space=space, actor=actor, **values)
        return answer(SpaceBookingSerializer, booking)

    @extend_schema(
        summary=_("Annuler un créneau (il reste dans l'historique)"),
        request=None,
        responses={200: SpaceBookingSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        booking = get_space_booking_for_user(request.user, pk, write=True)
        with service_errors():
            booking = services.cancel_space_booking(booking=booking, actor=acting_user(request))
        return answer(SpaceBookingSerializer, booking, created=False)
