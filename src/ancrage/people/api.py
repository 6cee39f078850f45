"""API of people: the same scope as the pages (the organizations where the user is in the team)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from ancrage.core.serializers import ModelSerializer, QueryFilter, SearchField
from ancrage.core.viewsets import AuditedReadOnlyViewSet
from ancrage.people.models import HouseholdMember, Person, Resource


class ResourceSerializer(ModelSerializer):
    class Meta:
        model = Resource
        fields = ["kind", "monthly_amount"]


class HouseholdMemberSerializer(ModelSerializer):
    class Meta:
        model = HouseholdMember
        fields = ["first_name", "relationship", "birth_year"]


class PersonSerializer(ModelSerializer):
    age = serializers.IntegerField(read_only=True, allow_null=True)
    commune_code = serializers.CharField(
        source="commune.code", read_only=True, default=None, allow_null=True
    )
    resources = ResourceSerializer(many=True, read_only=True)
    household = HouseholdMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "organization",
            "last_name",
            "first_name",
            "birth_date",
            "age",
            "phone",
            "email",
            "commune_code",
            "situation",
            "housing_situation",
            "disability_recognised",
            "informed_on",
            "resources",
            "household",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonFilter(QueryFilter):
    q = SearchField(
        required=False, max_length=100, help_text=_("Nom, téléphone ou numéro unique SNE.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Personnes des structures dont vous êtes dans l'équipe"),
        parameters=[PersonFilter],
    ),
    retrieve=extend_schema(summary=_("Une personne (chaque lecture est journalisée)")),
)
class PersonViewSet(AuditedReadOnlyViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        filters = PersonFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return (
            Person.objects.visible_to(self.request.user)
            .search(filters.validated_data.get("q", ""))
            .select_related("commune")
            .prefetch_related("resources", "household")
            .order_by("last_name", "first_name", "id")
        )
