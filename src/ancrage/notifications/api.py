"""The member's notifications through the API: list (unread first when asked), read one or all,
the e-mail preference."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.permissions import get_for_user
from ancrage.core.serializers import CharField, QueryFilter
from ancrage.core.viewsets import acting_user
from ancrage.notifications import services
from ancrage.notifications.enums import EmailMode
from ancrage.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = CharField(source="get_kind_display", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "message",
            "link",
            "organization",
            "created_at",
            "read",
        ]
        read_only_fields = fields

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationFilter(QueryFilter):
    unread = serializers.BooleanField(
        required=False, help_text=_("true : seulement les notifications non lues.")
    )


class PreferenceSerializer(serializers.Serializer):
    email_mode = serializers.ChoiceField(
        choices=EmailMode.choices,
        help_text=_("immediate : un e-mail par notification ; daily : un résumé par jour ; never."),
    )


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)


@extend_schema_view(
    list=extend_schema(summary=_("Vos notifications"), parameters=[NotificationFilter]),
    retrieve=extend_schema(summary=_("Une de vos notifications")),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        rows = Notification.objects.visible_to(self.request.user).order_by("-created_at", "-id")
        if self.action == "list":
            filters = NotificationFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if filters.validated_data.get("unread"):
                rows = rows.unread()
        return rows

    @extend_schema(summary=_("Marquer une notification comme lue"), request=None)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notification = get_for_user(self.get_queryset(), kwargs["pk"], request.user)
        services.mark_read(user=acting_user(request), notification=notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary=_("Marquer toutes vos notifications comme lues"),
        request=None,
        responses={200: ReadAllSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"marked": services.mark_read(user=acting_user(request))})

    @extend_schema(
        methods=["GET"],
        summary=_("Comment vous recevez les notifications par e-mail"),
        responses={200: PreferenceSerializer},
    )
    @extend_schema(
        methods=["PATCH"],
        summary=_("Changer la façon de recevoir les notifications par e-mail"),
        request=PreferenceSerializer,
        responses={200: PreferenceSerializer},
    )
    @action(detail=False, methods=["get", "patch"])
    def preferences(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.method == "PATCH":
            values = PreferenceSerializer(data=request.data)
            values.is_valid(raise_exception=True)
            chosen: dict[str, Any] = dict(values.validated_data)
            try:
                services.set_email_mode(user=acting_user(request), email_mode=chosen["email_mode"])
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict) from exc
        user = acting_user(request)
        mode = services.email_modes([user])[user.pk]
        return Response({"email_mode": mode})
