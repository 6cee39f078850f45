"""API of collective actions, scoped like the pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.activities.queries import activities_with_figures
from ancrage.core.serializers import ModelSerializer, QueryFilter


class ActivitySerializer(ModelSerializer):
    session_count = serializers.IntegerField(read_only=True)
    participant_count = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "description",
            "is_active",
            "session_count",
            "participant_count",
        ]
        read_only_fields = fields

    def get_participant_count(self, activity) -> int:
        """Named participants plus head counts, over all sessions (a person counts once per session)."""
        return activity.named_count + activity.anonymous_total


class ActivityFilter(QueryFilter):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Actions collectives des structures dont vous êtes dans l'équipe"),
        parameters=[ActivityFilter],
    ),
    retrieve=extend_schema(summary=_("Une action collective")),
)
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer

    def get_queryset(self):
        filters = ActivityFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        activities = Activity.objects.visible_to(self.request.user)
        if "kind" in filters.validated_data:
            activities = activities.filter(kind=filters.validated_data["kind"])
        return activities_with_figures(activities).order_by("title", "id")


class SessionSerializer(ModelSerializer):
    attendees = serializers.SerializerMethodField()
    participant_count = serializers.SerializerMethodField()
    desk_name = serializers.CharField(
        source="desk.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "activity",
            "starts_at",
            "duration_minutes",
            "place",
            "desk",
            "desk_name",
            "attendees",
            "anonymous_count",
            "participant_count",
        ]
        read_only_fields = fields

    def get_attendees(self, session) -> list[int]:
        """Ids of the persons recorded as present (see ``persons``)."""
        return [attendance.person_id for attendance in session.attendances.all()]

    def get_participant_count(self, session) -> int:
        return len(session.attendances.all()) + session.anonymous_count


class SessionFilter(QueryFilter):
    activity = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    since = serializers.DateTimeField(
        required=False, help_text=_("Séances à partir de cette date.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Séances des actions collectives visibles"), parameters=[SessionFilter]
    ),
    retrieve=extend_schema(summary=_("Une séance, ses présences et son nombre de participant·es")),
)
class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer

    def get_queryset(self):
        filters = SessionFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        sessions = (
            Session.objects.visible_to(self.request.user)
            .select_related("desk")
            .prefetch_related(Prefetch("attendances", queryset=Attendance.objects.order_by("id")))
        )
        if "activity" in data:
            sessions = sessions.filter(activity_id=data["activity"])
        if "since" in data:
            sessions = sessions.filter(starts_at__gte=data["since"])
        return sessions.order_by("-starts_at", "-id")
