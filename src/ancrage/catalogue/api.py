"""API of the services catalogue: read by every member, written by the organization that offers
the service, through ``catalogue.services``; import and export in the data·inclusion schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.permissions import organization_for_write
from ancrage.accounts.queries import organizations_where
from ancrage.catalogue import schema, services, vocabulary
from ancrage.catalogue.models import Service
from ancrage.catalogue.queries import Search, get_service_for_user, search_services
from ancrage.core.models import Territory
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter, SearchField
from ancrage.core.tabular import ReadError
from ancrage.core.viewsets import (
    WritableMixin,
    acting_user,
    answer,
    external_ref_field,
    find,
    id_field,
    service_errors,
)
from ancrage.support.enums import SHAREABLE_FIELDS

READ_FIELDS = [
    "id",
    "organization",
    "name",
    "description",
    "kind",
    "themes",
    "fees",
    "fees_details",
    "publics",
    "publics_details",
    "access_conditions",
    "commune_name",
    "postal_code",
    "insee_code",
    "address",
    "address_complement",
    "longitude",
    "latitude",
    "phone",
    "email",
    "reception_modes",
    "eligibility_zone",
    "contact_name",
    "mobilisation_url",
    "mobilisation_modes",
    "mobilisable_by",
    "mobilisation_details",
    "weekly_hours",
    "weeks",
    "opening_hours",
    "is_active",
    "source",
    "source_id",
    "updated_on",
]
CODE_LISTS = ("themes", "publics", "reception_modes", "mobilisation_modes", "mobilisable_by")


class ServiceSerializer(ModelSerializer):
    themes = serializers.ListField(child=serializers.CharField(), read_only=True)
    publics = serializers.ListField(child=serializers.CharField(), read_only=True)
    reception_modes = serializers.ListField(child=serializers.CharField(), read_only=True)
    eligibility_zone = serializers.ListField(child=serializers.CharField(), read_only=True)
    mobilisation_modes = serializers.ListField(child=serializers.CharField(), read_only=True)
    mobilisable_by = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Service
        fields = READ_FIELDS
        read_only_fields = fields


class ServiceWriteSerializer(serializers.Serializer):
    """The schema's vocabularies are the choices (the codes of ``data-inclusion-schema``)."""

    organization = id_field(
        required=False, help_text=_("La structure (facultatif si vous n'en décrivez qu'une).")
    )
    external_ref = external_ref_field(_("du service"))
    name = CharField(max_length=150)
    description = CharField(max_length=10_000)
    fees_details = CharField(required=False, allow_blank=True, max_length=2000)
    publics_details = CharField(required=False, allow_blank=True, max_length=2000)
    access_conditions = CharField(required=False, allow_blank=True, max_length=2000)
    commune_name = CharField(required=False, allow_blank=True, max_length=150)
    postal_code = CharField(required=False, allow_blank=True, max_length=5)
    insee_code = CharField(required=False, allow_blank=True, max_length=5)
    address = CharField(required=False, allow_blank=True, max_length=300)
    address_complement = CharField(required=False, allow_blank=True, max_length=300)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    phone = CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    eligibility_zone = serializers.ListField(
        child=CharField(max_length=9), required=False, max_length=500
    )
    contact_name = CharField(required=False, allow_blank=True, max_length=150)
    mobilisation_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    mobilisation_details = CharField(required=False, allow_blank=True, max_length=2000)
    weekly_hours = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=168
    )
    weeks = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=520)
    opening_hours = CharField(required=False, allow_blank=True, max_length=500)
    is_active = serializers.BooleanField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in ("kind", "fees"):
            fields[name] = serializers.ChoiceField(
                choices=vocabulary.choices(name), required=False, allow_blank=True
            )
        for name in CODE_LISTS:
            codes = [term.code for term in vocabulary.terms(name)]
            fields[name] = serializers.ListField(
                child=serializers.ChoiceField(choices=codes), required=False, max_length=len(codes)
            )
        return fields


class ServiceFilter(QueryFilter):
    q = SearchField(
        required=False, max_length=200, help_text=_("Mots du nom ou de la description.")
    )
    commune = CharField(
        required=False,
        max_length=5,
        help_text=_(
            "Code INSEE d'une commune : les services dont la zone d'éligibilité la couvre."
        ),
    )
    theme = CharField(
        required=False,
        max_length=120,
        help_text=_("Une catégorie de thématiques (« mobilite ») ou une thématique."),
    )
    public = CharField(required=False, max_length=60, help_text=_("Un public du schéma."))
    organization = id_field(required=False)
    include_closed = serializers.BooleanField(
        required=False, help_text=_("Avec les services fermés de vos structures.")
    )

    def validate_commune(self, value: str) -> Territory:
        commune = Territory.objects.communes().filter(code=value).first()
        if commune is None:
            raise serializers.ValidationError(_("Commune inconnue."))
        return commune


class ExportQuery(QueryFilter):
    # Not « format »: Django REST framework reads that one to choose its own renderer.
    file_format = serializers.ChoiceField(choices=["json", "csv"], required=False, default="json")
    organization = id_field(
        required=False, help_text=_("Une de vos structures (par défaut : toutes).")
    )


class FaultSerializer(serializers.Serializer):
    record = serializers.IntegerField(
        help_text=_("Numéro du service dans l'envoi (à partir de 1).")
    )
    field = serializers.CharField(
        help_text=_("Champ du schéma data·inclusion (vide : le service).")
    )
    message = serializers.CharField()


class ImportBody(serializers.Serializer):
    organization = id_field(required=False)
    mode = serializers.ChoiceField(
        choices=[choice for choice, _label in services.ImportMode.CHOICES],
        help_text=_("dry_run : vérifier ; all : tout ou rien ; valid : les services valides."),
    )
    services = serializers.ListField(
        child=serializers.DictField(),
        max_length=schema.MAX_RECORDS,
        help_text=_("Services au format data·inclusion (schéma Service v1)."),
    )


class ImportReportSerializer(serializers.Serializer):
    mode = serializers.CharField()
    written = serializers.BooleanField(
        help_text=_("Vrai si des services ont été ajoutés ou mis à jour (faux : rien n'a changé).")
    )
    records = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    faults = FaultSerializer(many=True)


class OrientBody(serializers.Serializer):
    person = id_field(help_text=_("Une personne suivie par votre équipe."))
    consent_on = serializers.DateField(help_text=_("La personne a donné son accord le."))
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=[code for code, _label in SHAREABLE_FIELDS]),
        required=False,
        max_length=len(SHAREABLE_FIELDS),
        help_text=_(
            "Les informations transmises si la structure du service accompagne sur Ancrage "
            "(défaut : nom, prénom, téléphone)."
        ),
    )


class OrientedSerializer(serializers.Serializer):
    referral = serializers.IntegerField(
        allow_null=True, help_text=_("L'orientation envoyée à la structure du service.")
    )
    step = serializers.IntegerField(
        allow_null=True, help_text=_("Ou la démarche notée dans l'accompagnement en cours.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Services du catalogue (recherche par mots, commune, thème, public)"),
        parameters=[ServiceFilter],
    ),
    retrieve=extend_schema(summary=_("Un service")),
    create=extend_schema(
        summary=_("Décrire un service de votre structure"),
        request=ServiceWriteSerializer,
        responses={201: ServiceSerializer, 200: ServiceSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Modifier un service (ou le fermer : is_active=false)"),
        request=ServiceWriteSerializer(partial=True),
        responses={200: ServiceSerializer},
    ),
    destroy=extend_schema(
        summary=_("Supprimer un service sans historique"),
        responses={204: None, 409: OpenApiResponse(description=_("Le service a un historique."))},
    ),
)
class ServiceViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceSerializer
    write_action = "catalogue.manage"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action != "list":
            return Service.objects.visible_to(self.request.user).select_related("organization")
        filters = ServiceFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        return search_services(
            self.request.user,
            Search(
                text=values.get("q", ""),
                commune=values.get("commune"),
                theme=values.get("theme", ""),
                public=values.get("public", ""),
                organization_id=values.get("organization"),
                include_closed=values.get("include_closed", False),
            ),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ServiceWriteSerializer)
        values.pop("is_active", None)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="catalogue.manage"
            )
            sent = self.already_sent(
                Service.objects.all(), values, ServiceSerializer, organization=organization
            )
            if sent is not None:
                return sent
            service = services.create_service(organization=organization, actor=actor, **values)
        return answer(ServiceSerializer, service)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        service = get_service_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(ServiceWriteSerializer, partial=True)
        values.pop("organization", None)
        values.pop("external_ref", None)
        with service_errors():
            service = services.update_service(service=service, actor=acting_user(request), **values)
        return answer(ServiceSerializer, service, created=False)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from django.db.models import ProtectedError

        service = get_service_for_user(request.user, kwargs["pk"], write=True)
        try:
            services.delete_service(service=service, actor=acting_user(request))
        except ProtectedError:
            return Response(
                {"detail": _("Ce service a un historique : fermez-le (is_active=false).")},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Les services de vos structures au format data·inclusion (JSON ou CSV)"),
        parameters=[ExportQuery],
        responses={
            (200, "application/json"): build_array_type(build_object_type()),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        mine = organizations_where(request.user, "organization.view")
        wanted = query.validated_data.get("organization")
        if wanted is not None and wanted not in mine:
            raise serializers.ValidationError({"organization": [_("Structure inconnue.")]})
        rows = Service.objects.filter(organization_id__in=[wanted] if wanted else mine)
        fmt = query.validated_data["file_format"]
        data = (schema.to_csv if fmt == "csv" else schema.to_json)(rows.order_by("name", "id"))
        response = HttpResponse(
            data, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        )
        filename = f"services-data-inclusion-{timezone.localdate():%Y-%m-%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        summary=_("Importer des services au format data·inclusion (simulation, tout ou rien…)"),
        description=_(
            "Répond toujours par le rapport (200) : en simulation, ou en « tout ou rien » avec des "
            "erreurs, rien n'est écrit (written=false) et chaque erreur nomme son service et son "
            "champ."
        ),
        request=ImportBody,
        responses={200: ImportReportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request: Request) -> Response:
        body = self.body(ImportBody)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, body.get("organization"), action="catalogue.manage"
            )
            try:
                records = schema.records_of(body["services"])
            except ReadError as exc:
                raise serializers.ValidationError({"services": [str(exc)]}) from None
            result = services.import_services(
                organization=organization, records=records, mode=body["mode"], actor=actor
            )
        return Response(ImportReportSerializer(result).data)

    @extend_schema(
        summary=_("Orienter une personne vers ce service (avec son accord)"),
        request=OrientBody,
        responses={201: OrientedSerializer},
    )
    @action(detail=True, methods=["post"])
    def orient(self, request: Request, pk: Any = None) -> Response:
        from ancrage.people.queries import people_visible_to

        service = get_service_for_user(request.user, pk)
        body = self.body(OrientBody)
        person = find(
            people_visible_to(request.user),
            body["person"],
            field="person",
            message=_("Personne inconnue dans vos équipes."),
        )
        with service_errors():
            done = services.orient_to_service(
                person=person,
                service=service,
                consent_on=body["consent_on"],
                shared_fields=body.get("shared_fields") or ("last_name", "first_name", "phone"),
                actor=acting_user(request),
            )
        return Response(
            {
                "referral": done.referral.pk if done.referral else None,
                "step": done.step.pk if done.step else None,
            },
            status=status.HTTP_201_CREATED,
        )
