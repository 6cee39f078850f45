"""API of people: the same scope as the pages (the organizations where the user is in the team)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.permissions import get_for_user, organization_for_write
from ancrage.core import documents
from ancrage.core.models import EXTERNAL_REF_MAX, Territory
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter, SearchField
from ancrage.core.signals import object_viewed
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    as_drf_error,
    find,
    id_field,
)
from ancrage.people import services
from ancrage.people.enums import DocumentKind, HousingSituation, Situation
from ancrage.people.models import (
    MAX_HOUSEHOLD,
    MAX_RESOURCES,
    HouseholdMember,
    Person,
    PersonDocument,
    Resource,
)
from ancrage.people.queries import get_person_for_user


def person_in_reach(actor, pk) -> Person:
    """The person a write names (``person``), among those ``actor``'s teams follow; a 400 naming
    the field otherwise (another organization's person reads as unknown)."""
    return find(
        Person.objects.visible_to(actor).select_related("organization"),
        pk,
        field="person",
        message=_("Personne introuvable dans vos structures."),
    )


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
    commune_code = CharField(source="commune.code", read_only=True, default=None, allow_null=True)
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


class PersonWriteSerializer(serializers.Serializer):
    """What a client sends to create a person (POST) or change some fields (PATCH)."""

    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("La structure (facultatif si vous n'en avez qu'une où créer des personnes)."),
    )
    external_ref = CharField(
        required=False,
        allow_blank=True,
        max_length=EXTERNAL_REF_MAX,
        help_text=_(
            "Votre identifiant de la personne : renvoyée avec la même référence, la personne "
            "existante est mise à jour au lieu d'être créée en double."
        ),
    )
    last_name = CharField(max_length=150)
    first_name = CharField(max_length=150)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = CharField(required=False, allow_blank=True, max_length=30)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    commune_code = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$",
        required=False,
        allow_blank=True,
        help_text=_("Code INSEE de la commune (5 caractères)."),
    )
    situation = serializers.ChoiceField(choices=Situation.choices, required=False, allow_blank=True)
    housing_situation = serializers.ChoiceField(
        choices=HousingSituation.choices, required=False, allow_blank=True
    )
    disability_recognised = serializers.BooleanField(required=False, allow_null=True)
    informed_on = serializers.DateField(required=False, allow_null=True)
    # ``max_length`` is passed to the ListSerializer (the schema's maxItems).
    resources = ResourceSerializer(many=True, required=False, max_length=MAX_RESOURCES)  # type: ignore[call-arg]
    household = HouseholdMemberSerializer(many=True, required=False, max_length=MAX_HOUSEHOLD)  # type: ignore[call-arg]
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Créer malgré des fiches ressemblantes (réponse 409 précédente)."),
    )

    def validate_commune_code(self, code: str):
        if not code:
            return None
        commune = Territory.objects.communes().filter(code=code).first()
        if commune is None:
            raise serializers.ValidationError(_("Commune inconnue : %(code)s.") % {"code": code})
        return commune


class DuplicateSerializer(serializers.Serializer):
    detail = CharField()
    candidates = PersonSerializer(many=True)


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
    create=extend_schema(
        summary=_("Créer une personne (ou mettre à jour celle qui a la même référence externe)"),
        request=PersonWriteSerializer,
        responses={
            201: PersonSerializer,
            200: PersonSerializer,
            409: OpenApiResponse(
                DuplicateSerializer,
                description=_(
                    "Des fiches ressemblent (même date de naissance, nom proche) : renvoyez "
                    "avec confirm_not_duplicate=true pour créer quand même."
                ),
            ),
        },
    ),
    partial_update=extend_schema(
        summary=_("Modifier des champs d'une personne"),
        request=PersonWriteSerializer(partial=True),
        responses={200: PersonSerializer},
    ),
)
class PersonViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = PersonSerializer
    write_action = "people.change"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = acting_user(request)
        try:
            organization = organization_for_write(
                actor, values.pop("organization", None), action="people.change"
            )
            values["commune"] = values.pop("commune_code", None)
            confirmed = values.pop("confirm_not_duplicate")
            existing = self._by_external_ref(organization, values.get("external_ref", ""))
            if existing is not None:
                values.pop("external_ref")
                person = services.update_person(person=existing, actor=actor, **values)
                return Response(self._read(person), status=status.HTTP_200_OK)
            person = services.create_person(
                organization=organization,
                actor=actor,
                confirmed_not_duplicate=confirmed,
                **values,
            )
        except services.PossibleDuplicate as duplicate:
            return Response(
                {
                    "detail": _(
                        "Des fiches ressemblent à cette personne : vérifiez, puis renvoyez avec "
                        "confirm_not_duplicate=true si c'est bien quelqu'un d'autre."
                    ),
                    "candidates": PersonSerializer(duplicate.candidates, many=True).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(self._read(person), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = get_person_for_user(request.user, kwargs["pk"], write=True)
        data = PersonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("organization", None)  # a person does not change organization
        values.pop("confirm_not_duplicate", None)
        if "commune_code" in values:
            values["commune"] = values.pop("commune_code")
        try:
            person = services.update_person(person=person, actor=acting_user(request), **values)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(self._read(person))

    @staticmethod
    def _by_external_ref(organization, external_ref: str) -> Person | None:
        if not external_ref:
            return None
        return Person.objects.filter(
            organization=organization, external_ref=external_ref, anonymised_on__isnull=True
        ).first()

    def _read(self, person: Person) -> dict:
        return PersonSerializer(
            Person.objects.select_related("commune")
            .prefetch_related("resources", "household")
            .get(pk=person.pk)
        ).data

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


class DocumentSerializer(ModelSerializer):
    class Meta:
        model = PersonDocument
        fields = [
            "id",
            "person",
            "kind",
            "title",
            "content_type",
            "size",
            "sha256",
            "created_at",
        ]
        read_only_fields = fields


class DocumentWriteSerializer(serializers.Serializer):
    person = id_field(help_text=_("La personne dont la fiche reçoit le document."))
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = CharField(required=False, allow_blank=True, max_length=150)
    file = serializers.FileField(
        help_text=_("PDF, PNG ou JPEG, 10 Mo au plus (reconnu à son contenu, pas à son nom).")
    )


class DocumentFilter(QueryFilter):
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@extend_schema_view(
    list=extend_schema(
        summary=_("Documents des fiches de vos structures (sans leur contenu)"),
        parameters=[DocumentFilter],
    ),
    retrieve=extend_schema(summary=_("Un document (sa description ; le fichier : file/)")),
    create=extend_schema(
        summary=_("Déposer un document sur la fiche d'une personne (multipart/form-data)"),
        request={"multipart/form-data": DocumentWriteSerializer},
        responses={201: DocumentSerializer},
    ),
    destroy=extend_schema(
        summary=_("Supprimer un document (la ligne, puis le fichier)"),
        responses={204: OpenApiResponse(description=_("Document supprimé."))},
    ),
)
class DocumentViewSet(AuditedReadOnlyViewSet):
    """Files kept on people's files. The upload is the one body of the API sent as
    multipart/form-data (a file); everything else is JSON."""

    serializer_class = DocumentSerializer
    write_action = "people.change"
    parser_classes = [MultiPartParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = DocumentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        try:
            document = services.add_document(
                person=person,
                kind=values["kind"],
                title=values.get("title", ""),
                upload=values["file"],
                actor=actor,
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self._in_reach(kwargs["pk"], write=True)
        services.delete_document(document=document, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Le fichier d'un document (chaque téléchargement est journalisé)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk=None) -> HttpResponse:
        document = self._in_reach(pk)
        response = documents.download(document)
        object_viewed.send(
            sender=PersonDocument,
            instance=document,
            actor=request.user,
            organization=document.organization,
        )
        return response

    def _in_reach(self, pk: Any, *, write: bool = False) -> PersonDocument:
        return get_for_user(
            self.get_queryset(), pk, self.request.user, action="people.change" if write else None
        )

    def get_queryset(self):
        filters = DocumentFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        rows = PersonDocument.objects.visible_to(self.request.user).select_related("organization")
        if "person" in filters.validated_data:
            rows = rows.filter(person_id=filters.validated_data["person"])
        return rows.order_by("-created_at", "-id")
