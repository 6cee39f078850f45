"""API of a residence's life: what the residence, space and survey pages do, through
``housing.services`` — spaces added and changed, slots booked and cancelled, yearly surveys
prepared (the managers); calendars and aggregated survey results read (the team)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.permissions import get_for_user
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    answer,
    find,
    id_field,
    service_errors,
)
from ancrage.housing import services
from ancrage.housing.enums import CommonSpaceKind
from ancrage.housing.models import (
    CommonSpace,
    Pairing,
    QuestionKind,
    RequestKind,
    RequestStatus,
    Residence,
    ResidenceRequest,
    SpaceBooking,
    StaffSlot,
    Survey,
    Weekday,
)
from ancrage.housing.queries import (
    get_space_booking_for_user,
    get_space_for_user,
    survey_results,
)
from ancrage.people.queries import people_visible_to


def _residence(values: dict[str, Any], actor: Any) -> Residence:
    """The residence a write names (``values["residence"]``, taken out), within the actor's
    organizations: else a 400 on ``residence``."""
    return find(
        Residence.objects.visible_to(actor),
        values.pop("residence"),
        field="residence",
        message=_("Résidence introuvable dans vos structures."),
    )


class CommonSpaceSerializer(ModelSerializer):
    class Meta:
        model = CommonSpace
        fields = ["id", "organization", "residence", "kind", "name", "capacity", "bookable"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            **super().get_fields(),
            "is_active": serializers.BooleanField(read_only=True, help_text=_("Ouvert.")),
        }


class CommonSpaceWriteSerializer(serializers.Serializer):
    residence = id_field()
    kind = serializers.ChoiceField(choices=CommonSpaceKind.choices)
    name = CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Par défaut, le type.")
    )
    capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000
    )
    bookable = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Par défaut : oui, sauf laverie et local vélos."),
    )


class CommonSpaceUpdateSerializer(serializers.Serializer):
    name = CharField(max_length=100)
    capacity = serializers.IntegerField(allow_null=True, min_value=1, max_value=1000)
    bookable = serializers.BooleanField()
    is_active = serializers.BooleanField(help_text=_("false : l'espace ne prend plus de créneau."))


class SpaceFilter(QueryFilter):
    residence = id_field(required=False)


class SpaceBookingSerializer(ModelSerializer):
    class Meta:
        model = SpaceBooking
        fields = [
            "id",
            "space",
            "starts_at",
            "ends_at",
            "purpose",
            "person",
            "is_active",
            "cancelled_at",
        ]
        read_only_fields = fields


class SpaceBookingWriteSerializer(serializers.Serializer):
    space = id_field()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(help_text=_("Exclue : 14:00–16:00 puis 16:00–18:00 vont."))
    purpose = CharField(max_length=150)
    person = id_field(
        required=False, allow_null=True, help_text=_("Le ou la résident·e pour qui (facultatif).")
    )


class SpaceBookingFilter(QueryFilter):
    space = id_field(required=False)
    starts_after = serializers.DateTimeField(
        required=False, help_text=_("Finit après cet instant.")
    )
    starts_before = serializers.DateTimeField(
        required=False, help_text=_("Commence avant cet instant.")
    )
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(summary=_("Espaces communs des résidences"), parameters=[SpaceFilter]),
    retrieve=extend_schema(summary=_("Un espace commun")),
    create=extend_schema(
        summary=_("Ajouter un espace commun à une résidence"),
        request=CommonSpaceWriteSerializer,
        responses={201: CommonSpaceSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Renommer, ouvrir ou fermer un espace commun"),
        request=CommonSpaceUpdateSerializer(partial=True),
        responses={200: CommonSpaceSerializer},
    ),
)
class CommonSpaceViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CommonSpaceSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        spaces = CommonSpace.objects.visible_to(self.request.user)
        if self.action == "list":
            filters = SpaceFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "residence" in filters.validated_data:
                spaces = spaces.filter(residence_id=filters.validated_data["residence"])
        return spaces.order_by("residence_id", "name", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CommonSpaceWriteSerializer)
        actor = acting_user(request)
        residence = _residence(values, actor)
        with service_errors():
            space = services.add_space(residence=residence, actor=actor, **values)
        return answer(CommonSpaceSerializer, space)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        space = get_space_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(CommonSpaceUpdateSerializer, partial=True)
        with service_errors():
            space = services.update_space(space=space, actor=acting_user(request), **values)
        return answer(CommonSpaceSerializer, space, created=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Créneaux réservés dans les espaces communs"), parameters=[SpaceBookingFilter]
    ),
    retrieve=extend_schema(summary=_("Un créneau")),
    create=extend_schema(
        summary=_("Réserver un créneau (refusé s'il chevauche un autre créneau de l'espace)"),
        request=SpaceBookingWriteSerializer,
        responses={201: SpaceBookingSerializer},
    ),
)
class SpaceBookingViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = SpaceBookingSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        bookings = SpaceBooking.objects.visible_to(self.request.user).select_related("person")
        if self.action == "list":
            filters = SpaceBookingFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            given = filters.validated_data
            if "space" in given:
                bookings = bookings.filter(space_id=given["space"])
            if "starts_after" in given:
                bookings = bookings.filter(ends_at__gt=given["starts_after"])
            if "starts_before" in given:
                bookings = bookings.filter(starts_at__lt=given["starts_before"])
            if given.get("active") is not None:
                bookings = bookings.filter(is_active=given["active"])
        return bookings.order_by("starts_at", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(SpaceBookingWriteSerializer)
        actor = acting_user(request)
        space = find(
            CommonSpace.objects.visible_to(actor),
            values.pop("space"),
            field="space",
            message=_("Espace commun introuvable dans vos structures."),
        )
        values["person"] = find(
            people_visible_to(actor),
            values.get("person"),
            field="person",
            message=_("Personne introuvable dans vos structures."),
        )
        with service_errors():
            booking = services.book_space(space=space, actor=actor, **values)
        return answer(SpaceBookingSerializer, booking)

    @extend_schema(
        summary=_("Annuler un créneau (il reste dans l'historique)"),
        request=None,
        responses={200: SpaceBookingSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        booking = get_space_booking_for_user(request.user, pk, write=True)
        with service_errors():
            booking = services.cancel_space_booking(booking=booking, actor=acting_user(request))
        return answer(SpaceBookingSerializer, booking, created=False)


class SurveyQuestionSerializer(serializers.Serializer):
    text = CharField(max_length=200)
    kind = serializers.ChoiceField(choices=QuestionKind.choices)


class QuestionResultSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="question.position")
    text = serializers.CharField(source="question.text")
    answered = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True, help_text=_("Échelle : de 1 à 4."))
    shares = serializers.ListField(
        child=serializers.FloatField(),
        help_text=_("Échelle : la part (%) de 1, 2, 3, 4 ; oui/non : la part de « oui »."),
    )


class SurveyResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    threshold = serializers.IntegerField()
    withheld = serializers.BooleanField(
        help_text=_("Moins de réponses que le seuil : aucun détail (questions vide).")
    )
    questions = QuestionResultSerializer(many=True)


class SurveySerializer(ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "organization",
            "residence",
            "year",
            "title",
            "opens_on",
            "closes_on",
            "token",
            "questions",
            "results",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "token": {"help_text": _("Le lien de réponse : /enquete/{token}/ (sans compte).")}
        }

    @extend_schema_field(SurveyResultsSerializer)
    def get_results(self, survey: Survey) -> dict[str, Any]:
        return SurveyResultsSerializer(survey_results(survey)).data


class SurveyWriteSerializer(serializers.Serializer):
    residence = id_field()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = CharField(required=False, allow_blank=True, max_length=150)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    questions = SurveyQuestionSerializer(
        many=True,
        required=False,
        help_text=_("Dix au plus ; absentes : les questions habituelles."),
    )


class SurveyUpdateSerializer(serializers.Serializer):
    title = CharField(max_length=150)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    questions = SurveyQuestionSerializer(many=True, help_text=_("Tant que personne n'a répondu."))


def _questions(values: dict[str, Any]) -> None:
    if "questions" in values:
        values["questions"] = [(q["text"], q["kind"]) for q in values["questions"]]


@extend_schema_view(
    list=extend_schema(
        summary=_("Enquêtes de satisfaction des résidences (résultats agrégés)"),
        parameters=[SpaceFilter],
    ),
    retrieve=extend_schema(summary=_("Une enquête et ses résultats agrégés")),
    create=extend_schema(
        summary=_("Préparer l'enquête de l'année d'une résidence"),
        request=SurveyWriteSerializer,
        responses={201: SurveySerializer},
    ),
    partial_update=extend_schema(
        summary=_("Modifier les dates, le titre ou (sans réponse) les questions"),
        request=SurveyUpdateSerializer(partial=True),
        responses={200: SurveySerializer},
    ),
)
class SurveyViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SurveySerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        surveys = Survey.objects.visible_to(self.request.user).prefetch_related("questions")
        if self.action == "list":
            filters = SpaceFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "residence" in filters.validated_data:
                surveys = surveys.filter(residence_id=filters.validated_data["residence"])
        return surveys.order_by("-year", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(SurveyWriteSerializer)
        actor = acting_user(request)
        residence = _residence(values, actor)
        _questions(values)
        with service_errors():
            survey = services.create_survey(residence=residence, actor=actor, **values)
        return answer(SurveySerializer, self.reread(survey))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        survey = get_for_user(
            Survey.objects.visible_to(request.user),
            kwargs["pk"],
            request.user,
            action="housing.manage",
        )
        values = self.body(SurveyUpdateSerializer, partial=True)
        _questions(values)
        with service_errors():
            survey = services.update_survey(survey=survey, actor=acting_user(request), **values)
        return answer(SurveySerializer, self.reread(survey), created=False)

    @extend_schema(
        summary=_("Créer un nouveau lien de réponse (l'ancien cesse de fonctionner)"),
        request=None,
        responses={200: SurveySerializer},
    )
    @action(detail=True, methods=["post"], url_path="renew-link")
    def renew_link(self, request: Request, pk: Any = None) -> Response:
        survey = get_for_user(
            Survey.objects.visible_to(request.user), pk, request.user, action="housing.manage"
        )
        survey = services.renew_link(survey=survey, actor=acting_user(request))
        return answer(SurveySerializer, self.reread(survey), created=False)


class StaffSlotSerializer(ModelSerializer):
    class Meta:
        model = StaffSlot
        fields = ["id", "residence", "weekday", "starts", "ends", "who"]
        read_only_fields = fields


class StaffSlotWriteSerializer(serializers.Serializer):
    residence = id_field()
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text=_("1 = lundi … 7."))
    starts = serializers.TimeField()
    ends = serializers.TimeField()
    who = CharField(max_length=120)


@extend_schema_view(
    list=extend_schema(
        summary=_("Présence hebdomadaire du personnel dans les résidences"),
        parameters=[SpaceFilter],
    ),
    retrieve=extend_schema(summary=_("Une présence")),
    create=extend_schema(
        summary=_("Ajouter une présence (jour, heures, qui)"),
        request=StaffSlotWriteSerializer,
        responses={201: StaffSlotSerializer},
    ),
    destroy=extend_schema(summary=_("Retirer une présence"), responses={204: None}),
)
class StaffSlotViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = StaffSlotSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        slots = StaffSlot.objects.visible_to(self.request.user)
        if self.action == "list":
            filters = SpaceFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "residence" in filters.validated_data:
                slots = slots.filter(residence_id=filters.validated_data["residence"])
        return slots.order_by("residence_id", "weekday", "starts", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(StaffSlotWriteSerializer)
        actor = acting_user(request)
        residence = _residence(values, actor)
        with service_errors():
            slot = services.add_staff_slot(residence=residence, actor=actor, **values)
        return answer(StaffSlotSerializer, slot)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        slot = get_for_user(
            StaffSlot.objects.visible_to(request.user),
            kwargs["pk"],
            request.user,
            action="housing.manage",
        )
        services.remove_staff_slot(slot=slot, actor=acting_user(request))
        return Response(status=204)


class ResidenceRequestSerializer(ModelSerializer):
    class Meta:
        model = ResidenceRequest
        fields = [
            "id",
            "residence",
            "kind",
            "occurred_on",
            "summary",
            "person",
            "status",
            "done_on",
        ]
        read_only_fields = fields


class ResidenceRequestWriteSerializer(serializers.Serializer):
    residence = id_field()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    occurred_on = serializers.DateField()
    summary = CharField(max_length=300)
    person = id_field(required=False, allow_null=True)


class RequestStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices)


class RequestFilter(SpaceFilter):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Demandes et incidents signalés au personnel des résidences"),
        parameters=[RequestFilter],
    ),
    retrieve=extend_schema(summary=_("Une demande ou un incident")),
    create=extend_schema(
        summary=_("Enregistrer une demande ou un incident"),
        request=ResidenceRequestWriteSerializer,
        responses={201: ResidenceRequestSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Changer l'état (à traiter, en cours, traitée)"),
        request=RequestStatusSerializer,
        responses={200: ResidenceRequestSerializer},
    ),
)
class ResidenceRequestViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = ResidenceRequestSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        requests = ResidenceRequest.objects.visible_to(self.request.user)
        if self.action == "list":
            filters = RequestFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            given = filters.validated_data
            if "residence" in given:
                requests = requests.filter(residence_id=given["residence"])
            if "status" in given:
                requests = requests.filter(status=given["status"])
        return requests.order_by("-occurred_on", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ResidenceRequestWriteSerializer)
        actor = acting_user(request)
        residence = _residence(values, actor)
        values["person"] = find(
            people_visible_to(actor),
            values.get("person"),
            field="person",
            message=_("Personne introuvable dans vos structures."),
        )
        with service_errors():
            found = services.log_request(residence=residence, actor=actor, **values)
        return answer(ResidenceRequestSerializer, found)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = get_for_user(
            ResidenceRequest.objects.visible_to(request.user),
            kwargs["pk"],
            request.user,
            action="housing.manage",
        )
        values = self.body(RequestStatusSerializer)
        with service_errors():
            found = services.set_request_status(
                request=found, status=values["status"], actor=acting_user(request)
            )
        return answer(ResidenceRequestSerializer, found, created=False)


class PairingSerializer(ModelSerializer):
    class Meta:
        model = Pairing
        fields = ["id", "residence", "senior", "junior", "started_on", "ended_on", "commitments"]
        read_only_fields = fields


class PairingWriteSerializer(serializers.Serializer):
    residence = id_field()
    senior = id_field(help_text=_("Un·e résident·e d'au moins 60 ans (si sa date est connue)."))
    junior = id_field(help_text=_("Un·e résident·e de 30 ans au plus (si sa date est connue)."))
    started_on = serializers.DateField()
    commitments = CharField(max_length=1000)


class PairingEndSerializer(serializers.Serializer):
    on = serializers.DateField()


class PairingFilter(SpaceFilter):
    current = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(summary=_("Binômes intergénérationnels"), parameters=[PairingFilter]),
    retrieve=extend_schema(summary=_("Un binôme")),
    create=extend_schema(
        summary=_("Former un binôme (deux résident·es de la résidence)"),
        request=PairingWriteSerializer,
        responses={201: PairingSerializer},
    ),
)
class PairingViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = PairingSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def audit_organization_id(self, row: Any) -> int | None:
        return row.organization_id

    def get_queryset(self):
        pairings = Pairing.objects.visible_to(self.request.user)
        if self.action == "list":
            filters = PairingFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            given = filters.validated_data
            if "residence" in given:
                pairings = pairings.filter(residence_id=given["residence"])
            if given.get("current") is not None:
                pairings = pairings.filter(ended_on__isnull=given["current"])
        return pairings.order_by("-started_on", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PairingWriteSerializer)
        actor = acting_user(request)
        residence = _residence(values, actor)
        for field in ("senior", "junior"):
            values[field] = find(
                people_visible_to(actor),
                values[field],
                field=field,
                message=_("Personne introuvable dans vos structures."),
            )
        with service_errors():
            pairing = services.create_pairing(residence=residence, actor=actor, **values)
        return answer(PairingSerializer, pairing)

    @extend_schema(
        summary=_("Mettre fin au binôme"),
        request=PairingEndSerializer,
        responses={200: PairingSerializer},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        pairing = get_for_user(
            Pairing.objects.visible_to(request.user), pk, request.user, action="housing.manage"
        )
        values = self.body(PairingEndSerializer)
        with service_errors():
            pairing = services.end_pairing(pairing=pairing, actor=acting_user(request), **values)
        return answer(PairingSerializer, pairing, created=False)
