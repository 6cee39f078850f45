"""API of allocation runs, scoped like the pages (read-only: runs are started and accepted in the
pages, like every write of the application for now)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from ancrage.allocation.models import AllocationRun
from ancrage.core.serializers import CharField, ModelSerializer
from ancrage.core.viewsets import AuditedReadOnlyViewSet


class AssignmentSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    person = CharField()
    unit_id = serializers.IntegerField()
    unit = CharField()
    residence_id = serializers.IntegerField(required=False)
    bed = serializers.IntegerField()
    current_unit = CharField(allow_blank=True)
    weeks = serializers.ListField(
        child=serializers.DateField(), help_text=_("Lundis des semaines.")
    )
    reason = CharField()
    rank = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text=_("Place sur la liste d'attente ; null pour un·e résident·e déjà logé·e."),
    )


class UnhousedSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    person = CharField()
    reason = CharField()
    rank = serializers.IntegerField(allow_null=True, required=False)


class MetricsSerializer(serializers.Serializer):
    apprentices = serializers.IntegerField()
    units_used = serializers.IntegerField()
    units_status_quo = serializers.IntegerField(help_text=_("Un logement par personne logée."))
    lower_bound = serializers.IntegerField(help_text=_("Minimum théorique de logements."))
    gap = serializers.FloatField()
    empty_bed_weeks = serializers.IntegerField(
        help_text=_(
            "Semaines-lits vides des résidences sur la période une fois la proposition acceptée, "
            "comptées comme la grille d'occupation et les indicateurs."
        )
    )
    savings = serializers.FloatField(help_text=_("Euros économisés sur la période."))
    weeks = serializers.IntegerField(
        required=False, help_text=_("Semaines de la période (chaque lundi dans la période).")
    )
    baseline_rent = serializers.FloatField(
        required=False,
        help_text=_("Loyer hebdomadaire sans partage (chacun·e au moins cher possible)."),
    )
    baseline = CharField(required=False, help_text=_("La base de l'économie."))
    priorities = serializers.BooleanField(
        required=False, help_text=_("Le classement de la liste d'attente a départagé.")
    )
    moves = serializers.IntegerField()
    seconds = serializers.FloatField()
    optimal = serializers.BooleanField()


class AllocationRunSerializer(ModelSerializer):
    territory_code = CharField(
        source="territory.code", read_only=True, default=None, allow_null=True
    )
    territory_kind = CharField(
        source="territory.kind", read_only=True, default=None, allow_null=True
    )
    metrics = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    unhoused = serializers.SerializerMethodField()

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "organization",
            "residence",
            "territory_code",
            "territory_kind",
            "starts_on",
            "ends_on",
            "engine",
            "time_limit",
            "ignore_priorities",
            "status",
            "progress",
            "error",
            "created_at",
            "finished_at",
            "metrics",
            "assignments",
            "unhoused",
        ]
        read_only_fields = fields

    @extend_schema_field(MetricsSerializer(allow_null=True))
    def get_metrics(self, run):
        return run.result.get("metrics")

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, run):
        return AssignmentSerializer(run.result.get("assignments", []), many=True).data

    @extend_schema_field(UnhousedSerializer(many=True))
    def get_unhoused(self, run):
        return run.result.get("unhoused", [])


@extend_schema_view(
    list=extend_schema(
        summary=_("Calculs d'allocation des structures dont vous êtes dans l'équipe")
    ),
    retrieve=extend_schema(
        summary=_("Un calcul d'allocation : avancement, proposition, personnes non logées")
    ),
)
class AllocationRunViewSet(AuditedReadOnlyViewSet):
    serializer_class = AllocationRunSerializer

    def get_queryset(self):
        return (
            AllocationRun.objects.visible_to(self.request.user)
            .select_related("territory")
            .order_by("-created_at", "-id")
        )
