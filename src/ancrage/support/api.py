"""API of support records: contacts, scoped like the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ancrage.core.serializers import SearchField
from ancrage.support.enums import Channel, EnrollmentStatus, StepStatus, Subject
from ancrage.support.models import Contact, Enrollment, Step, with_subject


class ContactSerializer(serializers.ModelSerializer):
    subjects = serializers.ListField(
        child=serializers.ChoiceField(choices=Subject.choices), read_only=True
    )
    desk_name = serializers.CharField(
        source="desk.name", read_only=True, default=None, allow_null=True
    )
    commune_code = serializers.CharField(
        source="commune.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "organization",
            "direction",
            "channel",
            "desk",
            "desk_name",
            "occurred_at",
            "subjects",
            "person",
            "partner",
            "age_band",
            "commune_code",
            "situation",
            "outcome",
            "outcome_detail",
        ]
        read_only_fields = fields


class ContactFilter(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    subject = serializers.ChoiceField(choices=Subject.choices, required=False)
    since = serializers.DateTimeField(
        required=False, help_text=_("Contacts à partir de cette date et heure.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Contacts des structures dont vous êtes dans l'équipe"),
        parameters=[ContactFilter],
    ),
    retrieve=extend_schema(summary=_("Un contact")),
)
class ContactViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer

    def get_queryset(self):
        filters = ContactFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        contacts = Contact.objects.visible_to(self.request.user).select_related("desk", "commune")
        if "channel" in data:
            contacts = contacts.filter(channel=data["channel"])
        if "subject" in data:
            contacts = with_subject(contacts, data["subject"])
        if "since" in data:
            contacts = contacts.filter(occurred_at__gte=data["since"])
        return contacts.order_by("-occurred_at", "-id")


class EnrollmentSerializer(serializers.ModelSerializer):
    exit_outcome = serializers.CharField(
        source="exit.outcome", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "organization",
            "person",
            "referent",
            "status",
            "requested_on",
            "started_on",
            "ended_on",
            "exit_outcome",
        ]
        read_only_fields = fields


class EnrollmentFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices, required=False)
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@extend_schema_view(
    list=extend_schema(
        summary=_("Accompagnements des structures dont vous êtes dans l'équipe"),
        parameters=[EnrollmentFilter],
    ),
    retrieve=extend_schema(summary=_("Un accompagnement")),
)
class EnrollmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EnrollmentSerializer

    def get_queryset(self):
        filters = EnrollmentFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        enrollments = Enrollment.objects.visible_to(self.request.user).select_related("exit")
        for key in ("status", "person"):
            if key in filters.validated_data:
                enrollments = enrollments.filter(**{key: filters.validated_data[key]})
        return enrollments.order_by("-requested_on", "-id")


class StepSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Step
        fields = [
            "id",
            "enrollment",
            "kind",
            "status",
            "due_on",
            "done_on",
            "amount",
            "reference",
            "note",
            "is_overdue",
        ]
        read_only_fields = fields


class StepFilter(serializers.Serializer):
    enrollment = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=StepStatus.choices, required=False)
    reference = SearchField(
        required=False, max_length=40, help_text=_("Numéro unique SNE ou de dossier.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Démarches des accompagnements visibles"), parameters=[StepFilter]
    ),
    retrieve=extend_schema(summary=_("Une démarche")),
)
class StepViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StepSerializer

    def get_queryset(self):
        filters = StepFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        steps = Step.objects.visible_to(self.request.user)
        for key in ("enrollment", "status", "reference"):
            if filters.validated_data.get(key):
                steps = steps.filter(**{key: filters.validated_data[key]})
        return steps.order_by("status", "due_on", "id")
