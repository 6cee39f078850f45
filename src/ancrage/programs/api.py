"""API of programs: those the user's organizations run, take part in or fund (as the page)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ancrage.accounts.queries import memberships_of
from ancrage.core.serializers import CharField, ModelSerializer
from ancrage.programs.models import Program, ProgramParticipant


class ParticipantSerializer(ModelSerializer):
    organization_name = CharField(source="organization.name", read_only=True)

    class Meta:
        model = ProgramParticipant
        fields = ["organization", "organization_name", "role"]
        read_only_fields = fields


class ProgramSerializer(ModelSerializer):
    territory_code = CharField(
        source="territory.code", read_only=True, default=None, allow_null=True
    )
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "territory_code",
            "starts_on",
            "ends_on",
            "participants",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary=_(
            "Dispositifs que vos structures portent, auxquels elles participent ou financent"
        ),
        description=_(
            "Les dispositifs sont créés par l'exploitation de la plateforme ; leur identifiant "
            "sert au champ « program » des accompagnements."
        ),
    ),
    retrieve=extend_schema(summary=_("Un dispositif et ses participants")),
)
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgramSerializer

    def get_queryset(self):
        organizations = [m.organization_id for m in memberships_of(self.request.user)]
        return (
            Program.objects.filter(participants__organization__in=organizations)
            .select_related("territory")
            .prefetch_related(
                Prefetch(
                    "participants",
                    queryset=ProgramParticipant.objects.select_related("organization").order_by(
                        "role", "organization__name"
                    ),
                )
            )
            .distinct()
            .order_by("name", "id")
        )
