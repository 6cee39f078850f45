"""API of support records: contacts, scoped like the pages."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization, User
from ancrage.accounts.permissions import can, get_for_user, organization_for_write, require
from ancrage.accounts.querysets import team_organization_ids
from ancrage.core.models import EXTERNAL_REF_MAX, Territory
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter, SearchField
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    answer,
    as_drf_error,
    external_ref_field,
    find,
    id_field,
    known_by_ref,
    service_errors,
)
from ancrage.people.api import person_in_reach
from ancrage.people.enums import Situation
from ancrage.people.models import Person
from ancrage.programs.models import Program
from ancrage.support import services
from ancrage.support.enums import (
    ASSESSMENT_DOMAINS,
    SHAREABLE_FIELDS,
    AgeBand,
    AppointmentStatus,
    AssessmentKind,
    Channel,
    Direction,
    EnrollmentStatus,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
    FollowUpKind,
    HealthNeed,
    JobContract,
    MilestoneKind,
    NoteVisibility,
    Outcome,
    Pathway,
    Priority,
    StepKind,
    StepStatus,
    Subject,
    WorkKind,
)
from ancrage.support.models import (
    AdaptationWork,
    Appointment,
    Assessment,
    Contact,
    Desk,
    Enrollment,
    Exit,
    FollowUp,
    InsertionMilestone,
    Note,
    Referral,
    Step,
    with_subject,
)
from ancrage.support.queries import get_enrollment_for_user

MAX_ID = 2**63 - 1


def _enrollment_in_reach(actor, pk) -> Enrollment:
    return find(
        Enrollment.objects.visible_to(actor).select_related("person"),
        pk,
        field="enrollment",
        message=_("Accompagnement introuvable dans vos structures."),
    )


class ContactSerializer(ModelSerializer):
    subjects = serializers.ListField(
        child=serializers.ChoiceField(choices=Subject.choices), read_only=True
    )
    desk_name = CharField(source="desk.name", read_only=True, default=None, allow_null=True)
    commune_code = CharField(source="commune.code", read_only=True, default=None, allow_null=True)

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
    external_ref = CharField(
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
    outcome_detail = CharField(required=False, allow_blank=True, max_length=300)
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


class ContactLinkSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=_("La fiche de la personne (même structure)."))


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
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ContactWriteSerializer)
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

    @extend_schema(
        summary=_("Rattacher un contact anonyme à la fiche d'une personne suivie"),
        request=ContactLinkSerializer,
        responses={200: ContactSerializer},
    )
    @action(detail=True, methods=["post"], url_path="link-person")
    def link_person(self, request: Request, pk=None) -> Response:
        contact = get_for_user(self.get_queryset(), pk, request.user, action="support.record")
        body = self.body(ContactLinkSerializer)
        actor = acting_user(request)
        person = (
            Person.objects.visible_to(actor)
            .filter(organization_id=contact.organization_id, pk=body["person"])
            .first()
        )
        if person is None:
            raise serializers.ValidationError(
                {"person": [_("Personne introuvable dans cette structure.")]}
            )
        with service_errors():
            contact = services.link_contact_to_person(contact=contact, person=person, actor=actor)
        return Response(ContactSerializer(contact).data)

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
    exit_outcome = CharField(source="exit.outcome", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "organization",
            "program",
            "person",
            "referent",
            "status",
            "pathway",
            "requested_on",
            "started_on",
            "ended_on",
            "home_adapted_on",
            "exit_outcome",
        ]
        read_only_fields = fields


class EnrollmentFilter(QueryFilter):
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices, required=False)
    program = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class EnrollmentWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de l'accompagnement"))
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
    pathway = serializers.ChoiceField(
        choices=Pathway.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Le type de parcours, pour un dispositif à parcours individuels."),
    )


class PathwaySerializer(serializers.Serializer):
    pathway = serializers.ChoiceField(choices=Pathway.choices, allow_blank=True)


class HomeAdaptedSerializer(serializers.Serializer):
    home_adapted_on = serializers.DateField(
        allow_null=True,
        help_text=_(
            "Date où le logement est adapté (des travaux faits ce jour-là ou avant) ; null la "
            "retire."
        ),
    )


class NoteWriteSerializer(serializers.Serializer):
    body = CharField(
        max_length=4000,
        help_text=_(
            "Des faits datés, pas de jugement ni de diagnostic : la personne peut lire son dossier."
        ),
    )
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, required=False, default=NoteVisibility.TEAM
    )


class NoteSerializer(ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "enrollment", "visibility", "created_at"]
        read_only_fields = fields


class TransitionSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("Date réelle du passage (pas dans le futur)."))
    note = CharField(required=False, allow_blank=True, max_length=300, default="")


class CloseSerializer(TransitionSerializer):
    outcome = serializers.ChoiceField(choices=ExitOutcome.choices)
    ready_for_housing = serializers.BooleanField(required=False, default=False)


class RefuseSerializer(TransitionSerializer):
    note = CharField(max_length=300, help_text=_("Le motif du refus."))


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
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(EnrollmentWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values["person"])
        sent = self.already_sent(
            Enrollment.objects.select_related("exit"),
            values,
            EnrollmentSerializer,
            organization_id=person.organization_id,
        )
        if sent is not None:
            return sent
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
                external_ref=values.get("external_ref", ""),
                pathway=values.get("pathway", ""),
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Ajouter une note à l'accompagnement (jamais relue par l'API ni exportée)"),
        request=NoteWriteSerializer,
        responses={201: NoteSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk=None) -> Response:
        enrollment = get_enrollment_for_user(request.user, pk, write=True)
        body = self.body(NoteWriteSerializer)
        with service_errors():
            note = services.add_note(enrollment=enrollment, actor=acting_user(request), **body)
        return answer(NoteSerializer, note)

    def _move(self, request: Request, pk, serializer_class, service, **extra) -> Response:
        enrollment = get_enrollment_for_user(request.user, pk, write=True)
        values = {**self.body(serializer_class), **extra}
        with service_errors():
            moved = service(enrollment=enrollment, actor=acting_user(request), **values)
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

    @_transition_schema(_("Typer le parcours (ou le retyper)"), PathwaySerializer)
    @action(detail=True, methods=["post"], url_path="set-pathway")
    def set_pathway(self, request: Request, pk=None) -> Response:
        return self._move(request, pk, PathwaySerializer, services.set_pathway)

    @_transition_schema(
        _("Enregistrer la date où le logement est adapté (parcours d'adaptation)"),
        HomeAdaptedSerializer,
    )
    @action(detail=True, methods=["post"], url_path="home-adapted")
    def home_adapted(self, request: Request, pk=None) -> Response:
        def service(*, home_adapted_on, **values):
            return services.record_home_adapted(on=home_adapted_on, **values)

        return self._move(request, pk, HomeAdaptedSerializer, service)

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


class StepWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de la démarche"))
    enrollment = id_field()
    kind = serializers.ChoiceField(choices=StepKind.choices)
    due_on = serializers.DateField(required=False, allow_null=True)
    amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    reference = CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("Numéro unique SNE pour une demande de logement social, de dossier sinon."),
    )
    note = CharField(required=False, allow_blank=True, max_length=300)


class StepStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=StepStatus.choices)
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_(
            "Date réelle de l'obtention ou du refus (pas dans le futur) ; défaut : aujourd'hui."
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Démarches des accompagnements visibles"), parameters=[StepFilter]
    ),
    retrieve=extend_schema(summary=_("Une démarche")),
    create=extend_schema(
        summary=_("Ajouter une démarche à un accompagnement en cours"),
        request=StepWriteSerializer,
        responses={201: StepSerializer, 200: StepSerializer},
    ),
)
class StepViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = StepSerializer
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(StepWriteSerializer)
        actor = acting_user(request)
        enrollment = _enrollment_in_reach(actor, values.pop("enrollment"))
        sent = self.already_sent(
            Step.objects.all(), values, StepSerializer, organization_id=enrollment.organization_id
        )
        if sent is not None:
            return sent
        with service_errors():
            step = services.add_step(enrollment=enrollment, actor=actor, **values)
        return answer(StepSerializer, step)

    @extend_schema(
        summary=_("Changer l'état d'une démarche (obtenue, refusée… à sa date réelle)"),
        request=StepStatusSerializer,
        responses={200: StepSerializer},
    )
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request: Request, pk=None) -> Response:
        step = get_for_user(
            Step.objects.visible_to(request.user), pk, request.user, action="support.record"
        )
        body = self.body(StepStatusSerializer)
        with service_errors():
            step = services.set_step_status(step=step, actor=acting_user(request), **body)
        return answer(StepSerializer, step, created=False)

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
    home_works = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkKind.choices), read_only=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enrollment",
            "kind",
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
            "home_works",
            "monthly_resources",
            "housing_cost",
            "fixed_charges",
            "disposable_income",
        ]
        read_only_fields = fields


class PrioritiesSerializer(serializers.Serializer):
    """The needs grid: a priority per domain (« Pas de besoin » when not given)."""

    def get_fields(self):
        return {
            domain: serializers.ChoiceField(
                choices=Priority.choices, required=False, default=Priority.NONE, help_text=label
            )
            for domain, label in ASSESSMENT_DOMAINS
        }


class AssessmentWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("du diagnostic"))
    enrollment = id_field()
    kind = serializers.ChoiceField(
        choices=AssessmentKind.choices,
        required=False,
        default=AssessmentKind.NEEDS,
        help_text=_(
            "« autonomy » : l'évaluation de l'autonomie d'un parcours d'adaptation ou de maintien "
            "à domicile."
        ),
    )
    home_works = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkKind.choices),
        required=False,
        max_length=len(WorkKind.choices),
        help_text=_("Évaluation de l'autonomie : les aménagements préconisés, codés."),
    )
    assessed_on = serializers.DateField(
        help_text=_("Date réelle du diagnostic (pas dans le futur, pas avant la demande).")
    )
    priorities = PrioritiesSerializer(required=False)
    health_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=HealthNeed.choices),
        required=False,
        max_length=len(HealthNeed.choices),
        help_text=_("Besoins codés, jamais de diagnostic médical."),
    )
    housing_cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, default=Decimal(0)
    )
    fixed_charges = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, default=Decimal(0)
    )
    joint_with = id_field(
        required=False,
        allow_null=True,
        help_text=_("La structure partenaire d'un diagnostic conjoint."),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Diagnostics des accompagnements visibles")),
    retrieve=extend_schema(summary=_("Un diagnostic")),
    create=extend_schema(
        summary=_("Enregistrer un diagnostic daté (les ressources sont celles de la fiche)"),
        request=AssessmentWriteSerializer,
        responses={201: AssessmentSerializer, 200: AssessmentSerializer},
    ),
)
class AssessmentViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = AssessmentSerializer
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(AssessmentWriteSerializer)
        actor = acting_user(request)
        enrollment = _enrollment_in_reach(actor, values.pop("enrollment"))
        sent = self.already_sent(
            Assessment.objects.all(),
            values,
            AssessmentSerializer,
            organization_id=enrollment.organization_id,
        )
        if sent is not None:
            return sent
        values["joint_with"] = find(
            Organization.objects.filter(is_active=True),
            values.get("joint_with"),
            field="joint_with",
            message=_("Structure partenaire introuvable."),
        )
        values["priorities"] = dict(values.get("priorities") or {})
        with service_errors():
            assessment = services.record_assessment(enrollment=enrollment, actor=actor, **values)
        return answer(AssessmentSerializer, assessment)

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).order_by("-assessed_on", "-id")


class AdaptationWorkSerializer(ModelSerializer):
    class Meta:
        model = AdaptationWork
        fields = [
            "id",
            "enrollment",
            "kind",
            "planned_on",
            "done_on",
            "cost",
            "note",
            "is_done",
        ]
        read_only_fields = fields


class AdaptationWorkWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("des travaux"))
    enrollment = id_field()
    kind = serializers.ChoiceField(choices=WorkKind.choices)
    planned_on = serializers.DateField()
    cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, help_text=_("Coût estimé (devis), en euros.")
    )
    note = CharField(required=False, allow_blank=True, max_length=300)


class WorkDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(
        allow_null=True, help_text=_("Date réelle (pas dans le futur) ; null : pas faits.")
    )
    cost = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Coût réel ; absent : le coût estimé reste."),
    )
    home_adapted = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Avec ces travaux, le logement est adapté à cette date."),
    )


class WorkFilter(QueryFilter):
    enrollment = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


@extend_schema_view(
    list=extend_schema(
        summary=_("Travaux d'adaptation des accompagnements visibles"), parameters=[WorkFilter]
    ),
    retrieve=extend_schema(summary=_("Des travaux d'adaptation")),
    create=extend_schema(
        summary=_("Prévoir des travaux dans un parcours d'adaptation en cours"),
        request=AdaptationWorkWriteSerializer,
        responses={201: AdaptationWorkSerializer, 200: AdaptationWorkSerializer},
    ),
)
class AdaptationWorkViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = AdaptationWorkSerializer
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(AdaptationWorkWriteSerializer)
        actor = acting_user(request)
        enrollment = _enrollment_in_reach(actor, values.pop("enrollment"))
        sent = self.already_sent(
            AdaptationWork.objects.all(),
            values,
            AdaptationWorkSerializer,
            organization_id=enrollment.organization_id,
        )
        if sent is not None:
            return sent
        with service_errors():
            work = services.plan_work(enrollment=enrollment, actor=actor, **values)
        return answer(AdaptationWorkSerializer, work)

    @extend_schema(
        summary=_("Enregistrer les travaux réalisés (date réelle, coût réel)"),
        request=WorkDoneSerializer,
        responses={200: AdaptationWorkSerializer},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk=None) -> Response:
        work = get_for_user(
            AdaptationWork.objects.visible_to(request.user).select_related("enrollment"),
            pk,
            request.user,
            action="support.record",
        )
        body = self.body(WorkDoneSerializer)
        with service_errors():
            work = services.record_work_done(work=work, actor=acting_user(request), **body)
        return answer(AdaptationWorkSerializer, work, created=False)

    def get_queryset(self):
        filters = WorkFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        works = AdaptationWork.objects.visible_to(self.request.user)
        if filters.validated_data.get("enrollment"):
            works = works.filter(enrollment=filters.validated_data["enrollment"])
        return works.order_by("planned_on", "id")


class InsertionMilestoneSerializer(ModelSerializer):
    class Meta:
        model = InsertionMilestone
        fields = ["id", "enrollment", "kind", "on", "detail", "contract"]
        read_only_fields = fields


class InsertionMilestoneWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de l'étape"))
    enrollment = id_field()
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    on = serializers.DateField(help_text=_("Date réelle (pas dans le futur)."))
    detail = CharField(required=False, allow_blank=True, max_length=120)
    contract = serializers.ChoiceField(
        choices=JobContract.choices,
        required=False,
        allow_blank=True,
        help_text=_("Pour une reprise d'emploi seulement."),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Étapes des parcours d'insertion visibles"), parameters=[WorkFilter]
    ),
    retrieve=extend_schema(summary=_("Une étape d'un parcours d'insertion")),
    create=extend_schema(
        summary=_("Ajouter une étape (orientation, formation, emploi) à un parcours d'insertion"),
        request=InsertionMilestoneWriteSerializer,
        responses={201: InsertionMilestoneSerializer, 200: InsertionMilestoneSerializer},
    ),
    destroy=extend_schema(summary=_("Retirer une étape saisie par erreur")),
)
class InsertionMilestoneViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = InsertionMilestoneSerializer
    write_action = "support.record"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(InsertionMilestoneWriteSerializer)
        actor = acting_user(request)
        enrollment = _enrollment_in_reach(actor, values.pop("enrollment"))
        sent = self.already_sent(
            InsertionMilestone.objects.all(),
            values,
            InsertionMilestoneSerializer,
            organization_id=enrollment.organization_id,
        )
        if sent is not None:
            return sent
        with service_errors():
            milestone = services.add_milestone(enrollment=enrollment, actor=actor, **values)
        return answer(InsertionMilestoneSerializer, milestone)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = get_for_user(
            InsertionMilestone.objects.visible_to(request.user),
            kwargs["pk"],
            request.user,
            action="support.record",
        )
        with service_errors():
            services.delete_milestone(milestone=milestone, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_queryset(self):
        filters = WorkFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        milestones = InsertionMilestone.objects.visible_to(self.request.user)
        if filters.validated_data.get("enrollment"):
            milestones = milestones.filter(enrollment=filters.validated_data["enrollment"])
        return milestones.order_by("on", "id")


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


class FollowUpWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    reached = serializers.BooleanField(help_text=_("La personne a-t-elle été jointe ?"))
    housing = serializers.ChoiceField(
        choices=FollowUpHousing.choices, required=False, allow_blank=True, default=""
    )
    activity = serializers.ChoiceField(
        choices=FollowUpActivity.choices, required=False, allow_blank=True, default=""
    )
    note = CharField(required=False, allow_blank=True, max_length=300, default="")
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Date réelle du suivi (pas dans le futur) ; défaut : aujourd'hui."),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Sorties des accompagnements visibles")),
    retrieve=extend_schema(summary=_("Une sortie")),
)
class ExitViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = ExitSerializer
    write_action = "support.record"

    @extend_schema(
        summary=_("Noter le suivi à 6 ou 12 mois après la sortie"),
        request=FollowUpWriteSerializer,
        responses={200: ExitSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk=None) -> Response:
        exit_ = get_for_user(self.get_queryset(), pk, request.user)
        require(request.user, "support.record", exit_.enrollment.organization_id)
        values = self.body(FollowUpWriteSerializer)
        follow_up = exit_.follow_ups.filter(kind=values.pop("kind")).first()
        if follow_up is None:
            raise ValidationError({"kind": [_("Cette sortie n'a pas de suivi à cette échéance.")]})
        with service_errors():
            services.record_follow_up(follow_up=follow_up, actor=acting_user(request), **values)
        return answer(ExitSerializer, self.get_queryset().get(pk=exit_.pk), created=False)

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


class ReferralWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de l'orientation"))
    person = id_field()
    receiver = id_field(help_text=_("La structure qui reçoit (voir /organizations/directory/)."))
    purpose = CharField(max_length=500)
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=SHAREABLE_FIELDS),
        min_length=2,
        max_length=len(SHAREABLE_FIELDS),
        help_text=_("Les informations transmises (le minimum utile ; nom et prénom compris)."),
    )
    consent_on = serializers.DateField(help_text=_("La personne a donné son accord le."))
    sent_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Date réelle de l'envoi (pas dans le futur) ; défaut : aujourd'hui."),
    )


class ReferralAcceptSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Date réelle de la réponse (pas dans le futur) ; défaut : aujourd'hui."),
    )
    joint_assessment = serializers.BooleanField(required=False, default=False)


class ReferralRefuseSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)
    reason = CharField(
        max_length=300, help_text=_("Le motif : la structure qui oriente en est informée.")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Orientations envoyées et reçues par vos structures")),
    retrieve=extend_schema(summary=_("Une orientation (seules les informations transmises)")),
    create=extend_schema(
        summary=_("Orienter une personne vers une autre structure, avec son accord"),
        request=ReferralWriteSerializer,
        responses={201: ReferralSerializer, 200: ReferralSerializer},
    ),
)
class ReferralViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = ReferralSerializer
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ReferralWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        known = known_by_ref(
            Referral.objects.all(), values.get("external_ref", ""), sender_id=person.organization_id
        )
        if known is not None:
            return self._answer(known, created=False)
        values["receiver"] = find(
            Organization.objects.filter(is_active=True),
            values["receiver"],
            field="receiver",
            message=_("Structure introuvable."),
        )
        with service_errors():
            referral = services.send_referral(person=person, actor=actor, **values)
        return self._answer(referral)

    def _decision(self, request: Request, pk) -> Referral:
        """A referral received by one of the user's organizations (the sender cannot answer it)."""
        referral = get_for_user(self.get_queryset(), pk, request.user)
        if not can(request.user, "organization.view", referral.receiver_id):
            raise PermissionDenied(_("Seule la structure qui reçoit l'orientation y répond."))
        require(request.user, "support.record", referral.receiver_id)
        return referral

    @extend_schema(
        summary=_("Accepter : la personne est créée (ou retrouvée) et sa demande ouverte"),
        request=ReferralAcceptSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        referral = self._decision(request, pk)
        body = self.body(ReferralAcceptSerializer)
        with service_errors():
            referral = services.accept_referral(
                referral=referral, actor=acting_user(request), **body
            )
        return self._answer(referral, created=False)

    @extend_schema(
        summary=_("Refuser, avec le motif"),
        request=ReferralRefuseSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk=None) -> Response:
        referral = self._decision(request, pk)
        body = self.body(ReferralRefuseSerializer)
        with service_errors():
            referral = services.refuse_referral(
                referral=referral, actor=acting_user(request), **body
            )
        return self._answer(referral, created=False)

    def _answer(self, referral: Referral, *, created: bool = True) -> Response:
        return Response(
            ReferralSerializer(referral, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def audit_organization_id(self, row):
        """The reader's side: the receiver's file if they belong to it, else the sender's."""
        if can(self.request.user, "organization.view", row.receiver_id):
            return row.receiver_id
        return row.sender_id

    def get_queryset(self):
        return Referral.objects.visible_to(self.request.user).order_by("-sent_on", "-id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["team_org_ids"] = (
            set(team_organization_ids(user)) if user.is_authenticated else set()
        )
        return context


class AppointmentSerializer(ModelSerializer):
    class Meta:
        model = Appointment
        fields = [
            "id",
            "organization",
            "person",
            "counsellor",
            "starts_at",
            "duration_minutes",
            "desk",
            "place",
            "purpose",
            "status",
        ]
        read_only_fields = fields


class AppointmentWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("du rendez-vous"))
    person = id_field()
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(
        min_value=5, max_value=8 * 60, required=False, default=45
    )
    counsellor = id_field(
        required=False, help_text=_("Le ou la conseiller·ère (de l'équipe) ; défaut : vous.")
    )
    desk = id_field(required=False, allow_null=True)
    place = CharField(required=False, allow_blank=True, max_length=200, default="")
    purpose = CharField(required=False, allow_blank=True, max_length=200, default="")


class AppointmentStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AppointmentStatus.choices)


class AppointmentFilter(QueryFilter):
    person = id_field(required=False)
    since = serializers.DateTimeField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Rendez-vous des structures dont vous êtes dans l'équipe"),
        parameters=[AppointmentFilter],
    ),
    retrieve=extend_schema(summary=_("Un rendez-vous")),
    create=extend_schema(
        summary=_("Fixer un rendez-vous (une date passée reprend un historique)"),
        request=AppointmentWriteSerializer,
        responses={201: AppointmentSerializer, 200: AppointmentSerializer},
    ),
)
class AppointmentViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = AppointmentSerializer
    write_action = "support.record"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(AppointmentWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            Appointment.objects.all(),
            values,
            AppointmentSerializer,
            organization_id=person.organization_id,
        )
        if sent is not None:
            return sent
        values["counsellor"] = (
            find(
                User.objects.filter(is_active=True),
                values["counsellor"],
                field="counsellor",
                message=_("Conseiller·ère introuvable."),
            )
            if values.get("counsellor")
            else actor
        )
        values["desk"] = find(
            Desk.objects.filter(organization_id=person.organization_id),
            values.get("desk"),
            field="desk",
            message=_("Permanence introuvable dans cette structure."),
        )
        with service_errors():
            appointment = services.schedule_appointment(person=person, actor=actor, **values)
        return answer(AppointmentSerializer, appointment)

    @extend_schema(
        summary=_("Honoré, non honoré (une fois commencé), annulé"),
        request=AppointmentStatusSerializer,
        responses={200: AppointmentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request: Request, pk=None) -> Response:
        appointment = get_for_user(self.get_queryset(), pk, request.user, action="support.record")
        body = self.body(AppointmentStatusSerializer)
        with service_errors():
            appointment = services.set_appointment_status(
                appointment=appointment, actor=acting_user(request), **body
            )
        return answer(AppointmentSerializer, appointment, created=False)

    def get_queryset(self):
        filters = AppointmentFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        appointments = Appointment.objects.visible_to(self.request.user)
        if "person" in filters.validated_data:
            appointments = appointments.filter(person=filters.validated_data["person"])
        if "since" in filters.validated_data:
            appointments = appointments.filter(starts_at__gte=filters.validated_data["since"])
        return appointments.order_by("-starts_at", "-id")


class DeskSerializer(ModelSerializer):
    commune_code = CharField(source="commune.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Desk
        fields = ["id", "organization", "name", "commune_code", "schedule", "is_active"]
        read_only_fields = fields


class DeskWriteSerializer(serializers.Serializer):
    organization = id_field(required=False)
    external_ref = external_ref_field(_("de la permanence"))
    name = CharField(max_length=150)
    commune_code = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$", required=False, allow_blank=True
    )
    schedule = CharField(required=False, allow_blank=True, max_length=200, default="")


@extend_schema_view(
    list=extend_schema(summary=_("Permanences délocalisées de vos structures")),
    retrieve=extend_schema(summary=_("Une permanence")),
    create=extend_schema(
        summary=_("Ouvrir une permanence délocalisée"),
        request=DeskWriteSerializer,
        responses={201: DeskSerializer},
    ),
)
class DeskViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = DeskSerializer
    write_action = "support.desks"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(DeskWriteSerializer)
        actor = acting_user(request)
        code = values.pop("commune_code", "")
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="support.desks"
            )
            sent = self.already_sent(
                Desk.objects.all(), values, DeskSerializer, organization=organization
            )
            if sent is not None:
                return sent
            commune = Territory.objects.communes().filter(code=code).first() if code else None
            if code and commune is None:
                raise DjangoValidationError(
                    {"commune_code": _("Commune inconnue : %(code)s.") % {"code": code}}
                )
            desk = services.create_desk(
                organization=organization, commune=commune, actor=actor, **values
            )
        return answer(DeskSerializer, desk)

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return Desk.objects.none()
        return (
            Desk.objects.filter(organization__in=team_organization_ids(self.request.user))
            .select_related("commune")
            .order_by("name", "id")
        )
