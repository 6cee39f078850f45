"""API of accounts: the organizations a user belongs to and the memberships they may see."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ancrage.accounts.models import Membership, Organization
from ancrage.core.serializers import ModelSerializer, QueryFilter
from ancrage.core.viewsets import AuditedReadOnlyViewSet

# Identifiers are 64-bit integers in the database; larger numbers cannot name anything.
MAX_ID = 2**63 - 1


class OrganizationSerializer(ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    commune_code = serializers.CharField(
        source="commune.code", read_only=True, default=None, allow_null=True
    )
    commune_name = serializers.CharField(
        source="commune.name", read_only=True, default=None, allow_null=True
    )

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
        ]
        read_only_fields = fields


class MembershipSerializer(ModelSerializer):
    user_email = serializers.EmailField(source="user.email", read_only=True)
    user_name = serializers.CharField(source="user.get_full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

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


@extend_schema_view(
    list=extend_schema(summary=_("Structures dont vous êtes membre")),
    retrieve=extend_schema(summary=_("Une structure dont vous êtes membre")),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return (
            Organization.objects.visible_to(self.request.user)
            .select_related("commune")
            .order_by("name")
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[MembershipFilter],
        summary=_("Appartenances visibles : les vôtres et celles des équipes dont vous êtes"),
    ),
    retrieve=extend_schema(summary=_("Une appartenance")),
)
class MembershipViewSet(AuditedReadOnlyViewSet):
    serializer_class = MembershipSerializer

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
