"""API of the rights requests: the same actions as the data-protection page, for the
organization's administrators (``privacy.manage``): log a request, answer or refuse it, export a
person's file (the JSON of the page's ZIP), erase a person's file with a reason."""

from __future__ import annotations

import json
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization, User
from ancrage.accounts.queries import organizations_where
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.viewsets import acting_user, as_drf_error
from ancrage.people.models import Person
from ancrage.privacy import services
from ancrage.privacy.enums import RequestKind, RequestStatus
from ancrage.privacy.models import RightsRequest
from ancrage.privacy.queries import get_request_for_user


def _actor(request: Request) -> User:
    return cast(User, acting_user(request))


class RightsRequestSerializer(ModelSerializer):
    class Meta:
        model = RightsRequest
        fields = [
            "id",
            "organization",
            "person",
            "kind",
            "received_on",
            "due_on",
            "extended",
            "status",
            "answered_on",
            "reason",
        ]
        read_only_fields = fields


class NewRequestSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False, help_text=_("Par défaut : celle de la personne, ou votre seule structure.")
    )
    person = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    received_on = serializers.DateField()
    extended = serializers.BooleanField(required=False, default=False)


class AnswerSerializer(serializers.Serializer):
    refused = serializers.BooleanField(required=False, default=False)
    reason = CharField(required=False, allow_blank=True, max_length=300, default="")


class PersonActionSerializer(serializers.Serializer):
    person = serializers.IntegerField()


class EraseSerializer(PersonActionSerializer):
    reason = CharField(max_length=300)


class RequestFilter(QueryFilter):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Demandes d'exercice de droits (administration de la structure)"),
        parameters=[RequestFilter],
    ),
    retrieve=extend_schema(summary=_("Une demande d'exercice de droits")),
    create=extend_schema(
        summary=_("Enregistrer une demande reçue (réponse due dans le mois)"),
        request=NewRequestSerializer,
        responses={201: RightsRequestSerializer},
    ),
)
class RightsRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RightsRequestSerializer
    parser_classes = [JSONParser]

    def _organization_ids(self) -> list[int]:
        return organizations_where(self.request.user, "privacy.manage")

    def get_queryset(self):
        filters = RequestFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        requests = RightsRequest.objects.filter(organization_id__in=self._organization_ids())
        if "status" in filters.validated_data:
            requests = requests.filter(status=filters.validated_data["status"])
        return requests.order_by("due_on", "id")

    def get_object(self) -> RightsRequest:
        # A team member without the right gets 403, as on the pages; another organization's, 404.
        return get_request_for_user(self.request.user, self.kwargs["pk"])

    def _person(self, person_id: int) -> Person:
        person = (
            Person.objects.in_team_of(self.request.user)
            .filter(organization_id__in=self._organization_ids(), pk=person_id)
            .select_related("organization")
            .first()
        )
        if person is None:
            raise ValidationError({"person": [_("Personne introuvable dans vos structures.")]})
        return person

    def _organization(self, organization_id: int | None, person: Person | None) -> Organization:
        allowed = self._organization_ids()
        if organization_id is None:
            if person is not None:
                return person.organization
            if len(allowed) == 1:
                return Organization.objects.get(pk=allowed[0])
            raise ValidationError({"organization": [_("Indiquez la structure.")]})
        if organization_id not in allowed:
            raise ValidationError({"organization": [_("Structure introuvable parmi les vôtres.")]})
        return Organization.objects.get(pk=organization_id)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = NewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = self._person(values["person"]) if values.get("person") else None
        try:
            created = services.record_request(
                organization=self._organization(values.get("organization"), person),
                person=person,
                kind=values["kind"],
                received_on=values["received_on"],
                extended=values["extended"],
                actor=_actor(request),
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(RightsRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Répondre à une demande, ou la refuser avec son motif"),
        request=AnswerSerializer,
        responses={200: RightsRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        rights_request = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.answer_request(
                request=rights_request, actor=_actor(request), **data.validated_data
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(RightsRequestSerializer(rights_request).data)

    @extend_schema(
        summary=_("Exporter toutes les données d'une personne (droit d'accès, portabilité)"),
        description=_(
            "Le même contenu que le fichier JSON de l'export de la page ; répond à la demande "
            "d'accès ouverte de la personne, ou en enregistre une. La lecture est journalisée."
        ),
        request=PersonActionSerializer,
        responses={200: OpenApiResponse(description=_("Les sections de la fiche"))},
    )
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> Response:
        data = PersonActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = self._person(data.validated_data["person"])
        return Response(
            json.loads(services.export_person_json(person=person, actor=_actor(request)))
        )

    @extend_schema(
        summary=_("Effacer (anonymiser) la fiche d'une personne, avec le motif"),
        request=EraseSerializer,
        responses={200: RightsRequestSerializer},
    )
    @action(detail=False, methods=["post"])
    def erase(self, request: Request) -> Response:
        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = self._person(data.validated_data["person"])
        try:
            services.erase_person(
                person=person, reason=data.validated_data["reason"], actor=_actor(request)
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        answered = RightsRequest.objects.filter(person=person, kind=RequestKind.ERASURE).latest(
            "pk"
        )
        return Response(RightsRequestSerializer(answered).data)
