"""API of accounts: the organizations a user belongs to and the memberships they may see; the
organization's details and its team managed by its administrators, through the pages' services."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts import services
from ancrage.accounts.enums import Module, OrganizationKind, Role
from ancrage.accounts.models import Membership, Organization
from ancrage.accounts.permissions import get_for_user, organization_for_write
from ancrage.accounts.queries import memberships_of, search_organizations
from ancrage.core.models import Territory
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter, SearchField
from ancrage.core.text import fold
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    answer,
    id_field,
    service_errors,
)

# Identifiers are 64-bit integers in the database; larger numbers cannot name anything.
MAX_ID = 2**63 - 1


class OrganizationSerializer(ModelSerializer):
    kind_label = CharField(source="get_kind_display", read_only=True)
    commune_code = CharField(source="commune.code", read_only=True, default=None, allow_null=True)
    commune_name = CharField(source="commune.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "siret",
            "address",
            "commune_code",
            "commune_name",
            "modules",
        ]
        read_only_fields = fields

    modules = serializers.SerializerMethodField(help_text=_("Modules utilisés par la structure."))

    def get_modules(self, organization: Organization) -> list[str]:
        return sorted(organization.modules_used)


class DirectoryEntrySerializer(ModelSerializer):
    """What a member may know of any organization: enough to refer someone or log a contact."""

    kind_label = CharField(source="get_kind_display", read_only=True)
    commune_code = CharField(source="commune.code", read_only=True, default=None, allow_null=True)
    commune_name = CharField(source="commune.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "kind_label", "commune_code", "commune_name"]
        read_only_fields = fields


class DirectoryFilter(QueryFilter):
    q = SearchField(
        required=False, max_length=100, help_text=_("Un mot du nom (accents et casse ignorés).")
    )
    kind = serializers.ChoiceField(choices=OrganizationKind.choices, required=False)


class MembershipSerializer(ModelSerializer):
    user_email = serializers.EmailField(source="user.email", read_only=True)
    user_name = CharField(source="user.get_full_name", read_only=True)
    organization_name = CharField(source="organization.name", read_only=True)
    role_label = CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "organization",
            "organization_name",
            "user_email",
            "user_name",
            "role",
            "role_label",
            "is_active",
        ]
        read_only_fields = fields


class MembershipFilter(QueryFilter):
    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Ne garder que les appartenances de cette structure (id)."),
    )


class OrganizationWriteSerializer(serializers.Serializer):
    name = CharField(max_length=200, required=False)
    siret = serializers.RegexField(r"^[0-9]{14}$", required=False, allow_blank=True)
    address = CharField(max_length=300, required=False, allow_blank=True)
    commune_code = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$", required=False, allow_blank=True
    )
    modules = serializers.ListField(
        child=serializers.ChoiceField(choices=Module.choices),
        required=False,
        help_text=_("Modules utilisés : leurs pages et leur menu s'ouvrent à l'équipe."),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Structures dont vous êtes membre")),
    retrieve=extend_schema(summary=_("Une structure dont vous êtes membre")),
    partial_update=extend_schema(
        summary=_("Modifier les informations de la structure (administration)"),
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer},
    ),
)
class OrganizationViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    write_action = "organization.manage"
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = get_for_user(
            self.get_queryset(), kwargs["pk"], request.user, action="organization.manage"
        )
        values = self.body(OrganizationWriteSerializer, partial=True)
        if "commune_code" in values:
            code = values.pop("commune_code")
            values["commune"] = Territory.objects.communes().filter(code=code).first()
            if code and values["commune"] is None:
                raise serializers.ValidationError(
                    {"commune_code": [_("Commune inconnue : %(code)s.") % {"code": code}]}
                )
        with service_errors():
            services.update_organization(
                organization=organization, actor=acting_user(request), **values
            )
        return answer(
            OrganizationSerializer, self.get_queryset().get(pk=organization.pk), created=False
        )

    def get_queryset(self):
        return (
            Organization.objects.visible_to(self.request.user)
            .select_related("commune")
            .order_by("name")
        )

    @extend_schema(
        summary=_("Annuaire : les structures vers qui orienter ou avec qui noter un contact"),
        description=_(
            "Toutes les structures actives de la plateforme, sauf les vôtres : identifiant, nom, "
            "type et commune seulement (pour les champs « partner » et « receiver »)."
        ),
        parameters=[DirectoryFilter],
        responses={200: DirectoryEntrySerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def directory(self, request):
        filters = DirectoryFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        own = [m.organization_id for m in memberships_of(request.user)]
        entries = Organization.objects.filter(is_active=True).exclude(pk__in=own)
        if "kind" in filters.validated_data:
            entries = entries.filter(kind=filters.validated_data["kind"])
        if fold(filters.validated_data.get("q", "")):
            entries = search_organizations(entries, filters.validated_data["q"])
        page = self.paginate_queryset(entries.select_related("commune").order_by("name", "pk"))
        return self.get_paginated_response(DirectoryEntrySerializer(page, many=True).data)


class MemberWriteSerializer(serializers.Serializer):
    organization = id_field(required=False)
    email = serializers.EmailField(max_length=254)
    first_name = CharField(max_length=150)
    last_name = CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


@extend_schema_view(
    list=extend_schema(
        parameters=[MembershipFilter],
        summary=_("Appartenances visibles : les vôtres et celles des équipes dont vous êtes"),
    ),
    retrieve=extend_schema(summary=_("Une appartenance")),
    create=extend_schema(
        summary=_("Ajouter un membre (un compte est ouvert et un lien envoyé par e-mail)"),
        request=MemberWriteSerializer,
        responses={201: MembershipSerializer},
    ),
)
class MembershipViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = MembershipSerializer
    write_action = "members.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(MemberWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="members.manage"
            )
            membership = services.add_member(organization=organization, actor=actor, **values)
        return answer(MembershipSerializer, membership)

    def _managed(self, request: Request, pk) -> Membership:
        return get_for_user(self.get_queryset(), pk, request.user, action="members.manage")

    def _apply(self, request: Request, pk, service, body: Any = None) -> Response:
        """A team service on one membership the user manages (checked before the body is read),
        with the fields of ``body``; the membership as it is after."""
        membership = self._managed(request, pk)
        values = self.body(body) if body is not None else {}
        with service_errors():
            membership = service(membership=membership, actor=acting_user(request), **values)
        return answer(MembershipSerializer, membership, created=False)

    @extend_schema(
        summary=_("Changer le rôle d'un membre"),
        request=RoleSerializer,
        responses={200: MembershipSerializer},
    )
    @action(detail=True, methods=["post"], url_path="change-role")
    def change_role(self, request: Request, pk=None) -> Response:
        return self._apply(request, pk, services.change_member_role, body=RoleSerializer)

    @extend_schema(
        summary=_("Retirer l'accès d'un membre"),
        request=None,
        responses={200: MembershipSerializer},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk=None) -> Response:
        return self._apply(request, pk, services.deactivate_member)

    @extend_schema(
        summary=_("Rendre son accès à un membre"),
        request=None,
        responses={200: MembershipSerializer},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk=None) -> Response:
        return self._apply(request, pk, services.reactivate_member)

    def get_queryset(self):
        queryset = (
            Membership.objects.visible_to(self.request.user)
            .select_related("user", "organization")
            .order_by("organization__name", "user__email", "id")
        )
        filters = MembershipFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        organization = filters.validated_data.get("organization")
        if organization:
            queryset = queryset.filter(organization_id=organization)
        return queryset
