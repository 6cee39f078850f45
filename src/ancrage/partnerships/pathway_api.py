"""API of the citizen pathway: what its pages do, through ``partnerships.services.pathways`` —
templates and modules (the coordination), apprentices' pathways with their progress, the schools
and partners opened with consent; and, on a partner's side, the sessions of the apprentices opened
to it and their attendance. Signing an apprentice up for a session is
``POST /api/v1/sessions/{id}/registrations/`` (the pathway's weeks of presence apply there)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import organization_for_write
from ancrage.accounts.queries import organizations_where
from ancrage.activities import services as activities_services
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.signals import list_read, object_viewed
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    answer,
    find,
    id_field,
    service_errors,
)
from ancrage.housing.queries import residences_of
from ancrage.partnerships import pathway_queries as queries
from ancrage.partnerships.models import (
    Pathway,
    PathwayModule,
    PathwayOpening,
    PathwayTemplate,
    PathwayTheme,
    PresenceBasis,
)
from ancrage.partnerships.pathway_pdf import certificate_download
from ancrage.partnerships.services import pathways as services
from ancrage.people.models import Person
from ancrage.people.queries import people_visible_to, short_name
from ancrage.programs.queries import programs_of


def _organization(pk: Any, field: str) -> Organization:
    return find(Organization.objects.all(), pk, field=field, message=_("Structure inconnue."))


class PathwayModuleSerializer(ModelSerializer):
    class Meta:
        model = PathwayModule
        fields = [
            "id",
            "template",
            "theme",
            "title",
            "delivered_by",
            "expected_hours",
            "is_required",
            "position",
            "activity",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "activity": {"help_text": _("L'action collective qui porte les séances du module.")}
        }


class PathwayTemplateSerializer(ModelSerializer):
    modules = PathwayModuleSerializer(many=True, read_only=True)

    class Meta:
        model = PathwayTemplate
        fields = [
            "id",
            "organization",
            "program",
            "title",
            "presence",
            "residence",
            "is_active",
            "modules",
        ]
        read_only_fields = fields


class PathwayTemplateWriteSerializer(serializers.Serializer):
    organization = id_field(
        required=False, help_text=_("Utile seulement si vous êtes membre de plusieurs structures.")
    )
    program = id_field()
    title = CharField(max_length=150)
    presence = serializers.ChoiceField(choices=PresenceBasis.choices, required=False)
    residence = id_field(required=False, allow_null=True)
    clea_partner = id_field(
        required=False,
        allow_null=True,
        help_text=_("Crée les cinq modules CLEA animés par cette structure."),
    )


class PathwayTemplateUpdateSerializer(serializers.Serializer):
    title = CharField(max_length=150)
    presence = serializers.ChoiceField(choices=PresenceBasis.choices)
    residence = id_field(allow_null=True)
    is_active = serializers.BooleanField()


class TemplateFilter(QueryFilter):
    template = id_field(required=False)


@extend_schema_view(
    list=extend_schema(summary=_("Parcours citoyens proposés par vos structures")),
    retrieve=extend_schema(summary=_("Un parcours et ses modules")),
    create=extend_schema(
        summary=_("Créer un parcours (avec les cinq modules CLEA si clea_partner est donné)"),
        request=PathwayTemplateWriteSerializer,
        responses={201: PathwayTemplateSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Renommer un parcours, changer sa règle de présence, le retirer"),
        request=PathwayTemplateUpdateSerializer(partial=True),
        responses={200: PathwayTemplateSerializer},
    ),
)
class PathwayTemplateViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PathwayTemplateSerializer
    write_action = "partnerships.pathways"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            PathwayTemplate.objects.visible_to(self.request.user)
            .prefetch_related("modules")
            .order_by("id")
        )

    def _residence(self, organization, pk):
        return find(
            residences_of(organization),
            pk,
            field="residence",
            message=_("Résidence introuvable dans votre structure."),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PathwayTemplateWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="partnerships.pathways"
            )
        values["program"] = find(
            programs_of(organization),
            values["program"],
            field="program",
            message=_("Votre structure ne participe pas à ce dispositif."),
        )
        values["residence"] = self._residence(organization, values.get("residence"))
        values["clea_partner"] = _organization(values.get("clea_partner"), "clea_partner")
        with service_errors():
            template = services.create_template(organization=organization, actor=actor, **values)
        return answer(PathwayTemplateSerializer, self.get_queryset().get(pk=template.pk))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        template = queries.get_template_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(PathwayTemplateUpdateSerializer, partial=True)
        if "residence" in values:
            values["residence"] = self._residence(template.organization, values["residence"])
        with service_errors():
            services.update_template(template=template, actor=acting_user(request), **values)
        return answer(
            PathwayTemplateSerializer, self.get_queryset().get(pk=template.pk), created=False
        )


class PathwayModuleWriteSerializer(serializers.Serializer):
    template = id_field()
    theme = serializers.ChoiceField(choices=PathwayTheme.choices)
    title = CharField(max_length=150)
    delivered_by = id_field()
    expected_hours = serializers.IntegerField(min_value=1, max_value=200)
    is_required = serializers.BooleanField(required=False, default=True)


class PathwayModuleUpdateSerializer(serializers.Serializer):
    theme = serializers.ChoiceField(choices=PathwayTheme.choices)
    title = CharField(max_length=150)
    delivered_by = id_field()
    expected_hours = serializers.IntegerField(min_value=1, max_value=200)
    is_required = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(summary=_("Modules des parcours"), parameters=[TemplateFilter]),
    retrieve=extend_schema(summary=_("Un module")),
    create=extend_schema(
        summary=_("Ajouter un module à un parcours"),
        request=PathwayModuleWriteSerializer,
        responses={201: PathwayModuleSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Changer un module"),
        request=PathwayModuleUpdateSerializer(partial=True),
        responses={200: PathwayModuleSerializer},
    ),
    destroy=extend_schema(
        summary=_("Retirer un module (tant qu'aucune séance n'est programmée)"),
        responses={204: OpenApiResponse(description=_("Module retiré."))},
    ),
)
class PathwayModuleViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PathwayModuleSerializer
    write_action = "partnerships.pathways"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        modules = PathwayModule.objects.filter(
            template__in=PathwayTemplate.objects.visible_to(self.request.user)
        )
        if self.action == "list":
            filters = TemplateFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "template" in filters.validated_data:
                modules = modules.filter(template_id=filters.validated_data["template"])
        return modules.order_by("template_id", "position", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PathwayModuleWriteSerializer)
        actor = acting_user(request)
        template = find(
            PathwayTemplate.objects.visible_to(actor),
            values.pop("template"),
            field="template",
            message=_("Parcours introuvable dans vos structures."),
        )
        template = queries.get_template_for_user(actor, template.pk, write=True)
        values["delivered_by"] = _organization(values["delivered_by"], "delivered_by")
        with service_errors():
            module = services.add_module(template=template, actor=actor, **values)
        return answer(PathwayModuleSerializer, module)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        module = queries.get_module_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(PathwayModuleUpdateSerializer, partial=True)
        if "delivered_by" in values:
            values["delivered_by"] = _organization(values["delivered_by"], "delivered_by")
        with service_errors():
            module = services.update_module(module=module, actor=acting_user(request), **values)
        return answer(PathwayModuleSerializer, module, created=False)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        module = queries.get_module_for_user(request.user, kwargs["pk"], write=True)
        with service_errors():
            services.delete_module(module=module, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ModuleProgressSerializer(serializers.Serializer):
    module = serializers.IntegerField(source="module.pk")
    title = serializers.CharField(source="module.title")
    expected_minutes = serializers.IntegerField()
    attended_minutes = serializers.IntegerField()
    done = serializers.BooleanField()


class PathwaySerializer(ModelSerializer):
    completion = serializers.SerializerMethodField(
        help_text=_("Part des modules obligatoires validés (%).")
    )
    modules = serializers.SerializerMethodField()

    class Meta:
        model = Pathway
        fields = [
            "id",
            "organization",
            "template",
            "person",
            "opened_on",
            "closed_on",
            "completion",
            "modules",
        ]
        read_only_fields = fields

    def _progress(self, pathway: Pathway) -> queries.Progress:
        known = self.context.get("progress") or {}
        if pathway.pk not in known:
            known = queries.progress_of([pathway])
        return known[pathway.pk]

    def get_completion(self, pathway: Pathway) -> int:
        return self._progress(pathway).completion

    @extend_schema_field(ModuleProgressSerializer(many=True))
    def get_modules(self, pathway: Pathway) -> list[dict[str, Any]]:
        return list(ModuleProgressSerializer(self._progress(pathway).modules, many=True).data)


class PathwayWriteSerializer(serializers.Serializer):
    template = id_field()
    person = id_field()
    opened_on = serializers.DateField(required=False)


class PathwayCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Parcours des alternant·es, avec leur avancement"), parameters=[TemplateFilter]
    ),
    retrieve=extend_schema(summary=_("Le parcours d'un·e alternant·e, module par module")),
    create=extend_schema(
        summary=_("Ouvrir le parcours d'un·e alternant·e"),
        request=PathwayWriteSerializer,
        responses={201: PathwaySerializer},
    ),
)
class PathwayViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = PathwaySerializer
    write_action = "people.change"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        pathways = Pathway.objects.visible_to(self.request.user)
        if self.action == "list":
            filters = TemplateFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "template" in filters.validated_data:
                pathways = pathways.filter(template_id=filters.validated_data["template"])
        return pathways.order_by("id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        list_read(model=Pathway, records=rows, actor=request.user)
        context = {**self.get_serializer_context(), "progress": queries.progress_of(rows)}
        data = PathwaySerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PathwayWriteSerializer)
        actor = acting_user(request)
        template = find(
            PathwayTemplate.objects.visible_to(actor),
            values.pop("template"),
            field="template",
            message=_("Parcours introuvable dans vos structures."),
        )
        values["person"] = find(
            people_visible_to(actor).filter(organization_id=template.organization_id),
            values["person"],
            field="person",
            message=_("Cette personne n'est pas suivie par votre structure."),
        )
        with service_errors():
            pathway = services.open_pathway(template=template, actor=actor, **values)
        return answer(PathwaySerializer, pathway)

    @extend_schema(
        summary=_("Clore un parcours (les partenaires ne le voient plus)"),
        request=PathwayCloseSerializer,
        responses={200: PathwaySerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        pathway = queries.get_pathway_for_user(request.user, pk, write=True)
        values = self.body(PathwayCloseSerializer)
        with service_errors():
            pathway = services.close_pathway(pathway=pathway, actor=acting_user(request), **values)
        return answer(PathwaySerializer, pathway, created=False)

    @extend_schema(
        summary=_("Rouvrir un parcours clos par erreur"),
        request=None,
        responses={200: PathwaySerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        pathway = queries.get_pathway_for_user(request.user, pk, write=True)
        pathway = services.reopen_pathway(pathway=pathway, actor=acting_user(request))
        return answer(PathwaySerializer, pathway, created=False)

    @extend_schema(
        summary=_("L'attestation de suivi (PDF)"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request: Request, pk: Any = None) -> HttpResponse:
        pathway = queries.get_pathway_for_user(request.user, pk)
        return certificate_download(pathway, request.user)


class PathwayOpeningSerializer(ModelSerializer):
    name = serializers.SerializerMethodField(help_text=_("Prénom et initiale de l'alternant·e."))

    class Meta:
        model = PathwayOpening
        fields = ["id", "organization", "pathway", "partner", "consent_on", "closed_at", "name"]
        read_only_fields = fields

    def get_name(self, opening: PathwayOpening) -> str:
        return short_name(opening.pathway.person)


class PathwayOpeningWriteSerializer(serializers.Serializer):
    pathway = id_field()
    partner = id_field()
    consent_on = serializers.DateField()


class PartnerSessionSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session.pk")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    duration_minutes = serializers.IntegerField(source="session.duration_minutes")
    place = serializers.CharField(source="session.place")
    module = serializers.CharField(source="module.title")
    present = serializers.BooleanField()


class AttendanceSerializer(serializers.Serializer):
    session = id_field()
    present = serializers.BooleanField(
        required=False, default=True, help_text=_("false : retirer la présence notée par erreur.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_(
            "Ouvertures : celles de vos parcours, et les alternant·es ouvert·es à votre école "
            "ou structure partenaire"
        )
    ),
    retrieve=extend_schema(summary=_("Une ouverture")),
    create=extend_schema(
        summary=_("Ouvrir un parcours à une école ou un partenaire (avec l'accord de la personne)"),
        request=PathwayOpeningWriteSerializer,
        responses={201: PathwayOpeningSerializer},
    ),
)
class PathwayOpeningViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = PathwayOpeningSerializer
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_action(self) -> str | None:  # type: ignore[override]
        """Opening and closing are the team's; noting attendance is the partner's."""
        if getattr(self, "action", None) == "attendance":
            return "partnerships.attend"
        return "people.change"

    def get_queryset(self):
        user = self.request.user
        return (
            PathwayOpening.objects.filter(
                Q(pk__in=PathwayOpening.objects.visible_to(user).values("pk"))
                | Q(
                    partner_id__in=organizations_where(user, "partnerships.attend"),
                    closed_at__isnull=True,
                    pathway__closed_on__isnull=True,
                    pathway__person__archived_on__isnull=True,
                )
            )
            .select_related("pathway__person")
            .order_by("id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PathwayOpeningWriteSerializer)
        actor = acting_user(request)
        pathway = find(
            Pathway.objects.visible_to(actor),
            values["pathway"],
            field="pathway",
            message=_("Parcours introuvable dans vos structures."),
        )
        partner = _organization(values["partner"], "partner")
        with service_errors():
            opening = services.open_to_partner(
                pathway=pathway, partner=partner, consent_on=values["consent_on"], actor=actor
            )
        return answer(PathwayOpeningSerializer, opening)

    @extend_schema(
        summary=_("Fermer l'accès de l'école ou du partenaire"),
        request=None,
        responses={200: PathwayOpeningSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        opening = queries.get_opening_for_user(request.user, pk)
        opening = services.close_opening(opening=opening, actor=acting_user(request))
        return answer(PathwayOpeningSerializer, opening, created=False)

    @extend_schema(
        summary=_("Côté école : les séances de vos modules où l'alternant·e est inscrit·e"),
        responses={200: PartnerSessionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def sessions(self, request: Request, pk: Any = None) -> Response:
        opening = queries.get_partner_opening_for_user(request.user, pk)
        object_viewed.send(
            sender=Person,
            instance=opening.pathway.person,
            actor=request.user,
            organization=opening.partner,
        )
        return Response(PartnerSessionSerializer(queries.partner_sessions(opening), many=True).data)

    @extend_schema(
        summary=_("Côté école : noter (ou retirer) la présence de l'alternant·e à une séance"),
        request=AttendanceSerializer,
        responses={200: PartnerSessionSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        opening = queries.get_partner_opening_for_user(request.user, pk)
        values = self.body(AttendanceSerializer)
        rows = queries.partner_sessions(opening)
        row = next((r for r in rows if r.session.pk == values["session"]), None)
        if row is None:
            raise serializers.ValidationError(
                {"session": [_("Séance introuvable parmi celles de vos modules.")]}
            )
        actor = acting_user(request)
        person = opening.pathway.person
        with service_errors():
            if values["present"]:
                activities_services.record_attendance(
                    session=row.session, person=person, actor=actor
                )
            elif row.attendance_id:
                activities_services.remove_attendance(
                    attendance=row.session.attendances.get(pk=row.attendance_id), actor=actor
                )
        return Response(PartnerSessionSerializer(queries.partner_sessions(opening), many=True).data)
