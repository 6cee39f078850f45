"""API of support records: contacts, scoped like the pages."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization, User
from ancrage.accounts.permissions import can, organization_for_write
from ancrage.accounts.querysets import team_organization_ids
from ancrage.core.models import EXTERNAL_REF_MAX, Territory
from ancrage.core.serializers import ModelSerializer, QueryFilter, SearchField
from ancrage.core.viewsets import AuditedReadOnlyViewSet, WritableMixin, acting_user, as_drf_error
from ancrage.people.enums import Situation
from ancrage.people.models import Person
from ancrage.programs.models import Program
from ancrage.support import services
from ancrage.support.enums import (
    AgeBand,
    Channel,
    Direction,
    EnrollmentStatus,
    ExitOutcome,
    HealthNeed,
    Outcome,
    StepStatus,
    Subject,
)
from ancrage.support.models import (
    Assessment,
    Contact,
    Desk,
    Enrollment,
    Exit,
    FollowUp,
    Referral,
    Step,
    with_subject,
)
from ancrage.support.queries import get_enrollment_for_user

MAX_ID = 2**63 - 1


class ContactSerializer(ModelSerializer):
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


class ContactWriteSerializer(serializers.Serializer):
    """A contact sent by a client: the same fields as the page's form, by identifier."""

    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("La structure (facultatif si vous n'en avez qu'une où noter des contacts)."),
    )
    external_ref = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=EXTERNAL_REF_MAX,
        help_text=_("Votre identifiant du contact : renvoyé, le contact existant est rendu."),
    )
    occurred_at = serializers.DateTimeField(
        required=False,
        help_text=_("Date et heure réelles (pas dans le futur) ; défaut : maintenant."),
    )
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices)
    desk = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    subjects = serializers.ListField(
        child=serializers.ChoiceField(choices=Subject.choices), min_length=1, max_length=20
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_detail = serializers.CharField(required=False, allow_blank=True, max_length=300)
    person = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    partner = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    commune_code = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$", required=False, allow_blank=True
    )
    situation = serializers.ChoiceField(choices=Situation.choices, required=False, allow_blank=True)


class ContactFilter(QueryFilter):
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
    create=extend_schema(
        summary=_("Noter un contact (le même service que la page « Nouveau contact »)"),
        request=ContactWriteSerializer,
        responses={201: ContactSerializer, 200: ContactSerializer},
    ),
)
class ContactViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = ContactSerializer
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ContactWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = acting_user(request)
        try:
            organization = organization_for_write(
                actor, values.pop("organization", None), action="support.record"
            )
            known = (
                values.get("external_ref")
                and Contact.objects.filter(
                    organization=organization, external_ref=values["external_ref"]
                ).first()
            )
            if known:
                return Response(ContactSerializer(known).data, status=status.HTTP_200_OK)
            values.update(self._records(actor, organization, values))
            contact = services.record_contact(organization=organization, actor=actor, **values)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _records(actor, organization, values: dict) -> dict:
        """The identifiers sent, as the records they name (a 400 naming the field otherwise)."""
        found: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        if values.get("person"):
            found["person"] = (
                Person.objects.visible_to(actor)
                .filter(organization=organization, pk=values["person"])
                .first()
            )
            if found["person"] is None:
                errors["person"] = _("Personne introuvable dans cette structure.")
        if values.get("partner"):
            found["partner"] = (
                Organization.objects.filter(is_active=True, pk=values["partner"])
                .exclude(pk=organization.pk)
                .first()
            )
            if found["partner"] is None:
                errors["partner"] = _("Structure partenaire introuvable.")
        if values.get("desk"):
            found["desk"] = Desk.objects.filter(
                organization=organization, pk=values["desk"]
            ).first()
            if found["desk"] is None:
                errors["desk"] = _("Permanence introuvable dans cette structure.")
        code = values.pop("commune_code", "")
        if code:
            found["commune"] = Territory.objects.communes().filter(code=code).first()
            if found["commune"] is None:
                errors["commune_code"] = _("Commune inconnue : %(code)s.") % {"code": code}
        if errors:
            raise DjangoValidationError(errors)
        return found

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


class EnrollmentSerializer(ModelSerializer):
    exit_outcome = serializers.CharField(
        source="exit.outcome", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "organization",
            "program",
            "person",
            "referent",
            "status",
            "requested_on",
            "started_on",
            "ended_on",
            "exit_outcome",
        ]
        read_only_fields = fields


class EnrollmentFilter(QueryFilter):
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices, required=False)
    program = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class EnrollmentWriteSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    referent = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Le ou la référent·e (un membre de l'équipe) ; défaut : vous."),
    )
    requested_on = serializers.DateField(
        help_text=_("Date réelle de la demande (pas dans le futur).")
    )
    program = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )


class TransitionSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("Date réelle du passage (pas dans le futur)."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class CloseSerializer(TransitionSerializer):
    outcome = serializers.ChoiceField(choices=ExitOutcome.choices)
    ready_for_housing = serializers.BooleanField(required=False, default=False)


class RefuseSerializer(TransitionSerializer):
    note = serializers.CharField(max_length=300, help_text=_("Le motif du refus."))


def _transition_schema(summary, request):
    return extend_schema(summary=summary, request=request, responses={200: EnrollmentSerializer})


@extend_schema_view(
    list=extend_schema(
        summary=_("Accompagnements des structures dont vous êtes dans l'équipe"),
        parameters=[EnrollmentFilter],
    ),
    retrieve=extend_schema(summary=_("Un accompagnement")),
    create=extend_schema(
        summary=_("Enregistrer une demande d'accompagnement (étape « Demande »)"),
        request=EnrollmentWriteSerializer,
        responses={201: EnrollmentSerializer},
    ),
)
class EnrollmentViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = EnrollmentSerializer
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EnrollmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = acting_user(request)
        person = (
            Person.objects.visible_to(actor)
            .select_related("organization")
            .filter(pk=values["person"])
            .first()
        )
        if person is None:
            raise ValidationError({"person": [_("Personne introuvable dans vos structures.")]})
        referent = actor
        if values.get("referent"):
            referent = User.objects.filter(pk=values["referent"], is_active=True).first()
            if referent is None:
                raise ValidationError({"referent": [_("Référent·e introuvable.")]})
        program = None
        if values.get("program"):
            program = Program.objects.filter(pk=values["program"]).first()
            if program is None:
                raise ValidationError({"program": [_("Dispositif introuvable.")]})
        try:
            enrollment = services.open_enrollment(
                person=person,
                referent=referent,
                requested_on=values["requested_on"],
                program=program,
                actor=actor,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    def _move(self, request: Request, pk, serializer_class, service, **extra) -> Response:
        enrollment = get_enrollment_for_user(request.user, pk, write=True)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = {**data.validated_data, **extra}
        try:
            moved = service(enrollment=enrollment, actor=acting_user(request), **values)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(
            EnrollmentSerializer(Enrollment.objects.select_related("exit").get(pk=moved.pk)).data
        )

    @_transition_schema(_("Passer au diagnostic"), TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="start-assessment")
    def start_assessment(self, request: Request, pk=None) -> Response:
        return self._move(
            request, pk, TransitionSerializer, _without_note(services.start_assessment)
        )

    @_transition_schema(_("Commencer l'accompagnement"), TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="start-support")
    def start_support(self, request: Request, pk=None) -> Response:
        return self._move(request, pk, TransitionSerializer, _without_note(services.start_support))

    @_transition_schema(_("Refuser la demande (motif obligatoire)"), RefuseSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk=None) -> Response:
        return self._move(
            request, pk, RefuseSerializer, _note_as("reason", services.refuse_enrollment)
        )

    @_transition_schema(_("Abandon"), TransitionSerializer)
    @action(detail=True, methods=["post"])
    def abandon(self, request: Request, pk=None) -> Response:
        return self._move(request, pk, TransitionSerializer, services.abandon_enrollment)

    @_transition_schema(_("Sortie : la situation de la personne ce jour-là"), CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        return self._move(request, pk, CloseSerializer, services.close_enrollment)

    def get_queryset(self):
        filters = EnrollmentFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        enrollments = Enrollment.objects.visible_to(self.request.user).select_related("exit")
        for key in ("status", "person", "program"):
            if key in filters.validated_data:
                enrollments = enrollments.filter(**{key: filters.validated_data[key]})
        return enrollments.order_by("-requested_on", "-id")


def _without_note(service):
    def call(*, note: str = "", **values):
        return service(**values)

    return call


def _note_as(name: str, service):
    def call(*, note: str = "", **values):
        return service(**{name: note}, **values)

    return call


class StepSerializer(ModelSerializer):
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


class StepFilter(QueryFilter):
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
class StepViewSet(AuditedReadOnlyViewSet):
    serializer_class = StepSerializer

    def get_queryset(self):
        filters = StepFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        steps = Step.objects.visible_to(self.request.user)
        for key in ("enrollment", "status", "reference"):
            if filters.validated_data.get(key):
                steps = steps.filter(**{key: filters.validated_data[key]})
        return steps.order_by("status", "due_on", "id")


class AssessmentSerializer(ModelSerializer):
    disposable_income = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    health_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=HealthNeed.choices), read_only=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enrollment",
            "assessed_on",
            "joint_with",
            "housing_priority",
            "budget_priority",
            "mobility_priority",
            "health_priority",
            "employment_priority",
            "rights_priority",
            "daily_life_priority",
            "health_needs",
            "monthly_resources",
            "housing_cost",
            "fixed_charges",
            "disposable_income",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("Diagnostics des accompagnements visibles")),
    retrieve=extend_schema(summary=_("Un diagnostic")),
)
class AssessmentViewSet(AuditedReadOnlyViewSet):
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).order_by("-assessed_on", "-id")


class FollowUpSerializer(ModelSerializer):
    still_housed = serializers.BooleanField(read_only=True, allow_null=True)
    in_work_or_training = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "kind",
            "due_on",
            "done_on",
            "reached",
            "housing",
            "activity",
            "still_housed",
            "in_work_or_training",
        ]
        read_only_fields = fields


class ExitSerializer(ModelSerializer):
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Exit
        fields = ["id", "enrollment", "outcome", "exited_on", "ready_for_housing", "follow_ups"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("Sorties des accompagnements visibles")),
    retrieve=extend_schema(summary=_("Une sortie")),
)
class ExitViewSet(AuditedReadOnlyViewSet):
    serializer_class = ExitSerializer

    def get_queryset(self):
        visible = Enrollment.objects.visible_to(self.request.user).values("pk")
        return (
            Exit.objects.filter(enrollment__in=visible)
            .select_related("enrollment")
            .prefetch_related("follow_ups")
            .order_by("-exited_on", "-id")
        )

    def audit_organization_id(self, row):
        return row.enrollment.organization_id


class ReferralSerializer(ModelSerializer):
    direction = serializers.SerializerMethodField()
    shared_data = serializers.DictField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "sender",
            "receiver",
            "direction",
            "purpose",
            "shared_data",
            "consent_on",
            "status",
            "refusal_reason",
            "decided_on",
        ]
        read_only_fields = fields

    def get_direction(self, referral) -> str:
        """``sent`` or ``received`` from the point of view of the user's organizations."""
        return "received" if referral.receiver_id in self.context["team_org_ids"] else "sent"


@extend_schema_view(
    list=extend_schema(summary=_("Orientations envoyées et reçues par vos structures")),
    retrieve=extend_schema(summary=_("Une orientation (seules les informations transmises)")),
)
class ReferralViewSet(AuditedReadOnlyViewSet):
    serializer_class = ReferralSerializer

    def audit_organization_id(self, row):
        """The reader's side: the receiver's file if they belong to it, else the sender's."""
        if can(self.request.user, "organization.view", row.receiver_id):
            return row.receiver_id
        return row.sender_id

    def get_queryset(self):
        return Referral.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["team_org_ids"] = (
            set(team_organization_ids(user).values_list("organization_id", flat=True))
            if user.is_authenticated
            else set()
        )
        return context
