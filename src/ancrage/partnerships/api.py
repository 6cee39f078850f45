"""API of partnerships: apprenticeship contracts, written through ``partnerships.services``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    answer,
    external_ref_field,
    find,
    id_field,
    service_errors,
)
from ancrage.housing.models import Rhythm
from ancrage.partnerships import services
from ancrage.partnerships.models import Apprenticeship
from ancrage.partnerships.queries import apprenticeships_visible_to, get_apprenticeship_for_user
from ancrage.people.queries import people_visible_to


class ApprenticeshipSerializer(ModelSerializer):
    class Meta:
        model = Apprenticeship
        fields = [
            "id",
            "organization",
            "person",
            "school",
            "employer",
            "diploma",
            "starts_on",
            "ends_on",
            "rhythm",
            "external_ref",
        ]
        read_only_fields = fields


class ApprenticeshipWriteSerializer(serializers.Serializer):
    person = id_field(help_text=_("Une personne suivie par votre équipe."))
    external_ref = external_ref_field(_("du contrat"))
    school = id_field(help_text=_("Une structure de type « École / CFA »."))
    employer = id_field(help_text=_("La structure employeuse (même sans compte sur Ancrage)."))
    diploma = CharField(max_length=150)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    rhythm = id_field(
        required=False, allow_null=True, help_text=_("Un rythme d'alternance de la personne.")
    )


class ApprenticeshipFilter(QueryFilter):
    person = id_field(required=False)


def _organization(pk, field: str):
    return find(
        Organization.objects.filter(is_active=True),
        pk,
        field=field,
        message=_("Structure inconnue."),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Contrats d'apprentissage des personnes de vos équipes"),
        parameters=[ApprenticeshipFilter],
    ),
    retrieve=extend_schema(summary=_("Un contrat d'apprentissage")),
    create=extend_schema(
        summary=_("Enregistrer le contrat d'apprentissage d'une personne"),
        request=ApprenticeshipWriteSerializer,
        responses={201: ApprenticeshipSerializer, 200: ApprenticeshipSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Modifier un contrat d'apprentissage"),
        request=ApprenticeshipWriteSerializer(partial=True),
        responses={200: ApprenticeshipSerializer},
    ),
    destroy=extend_schema(summary=_("Supprimer un contrat d'apprentissage"), responses={204: None}),
)
class ApprenticeshipViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = ApprenticeshipSerializer
    write_action = "people.change"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        rows = apprenticeships_visible_to(self.request.user).order_by("-starts_on", "id")
        if self.action == "list":
            filters = ApprenticeshipFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "person" in filters.validated_data:
                rows = rows.filter(person_id=filters.validated_data["person"])
        return rows

    def _resolve(self, values: dict[str, Any]) -> dict[str, Any]:
        for name in ("school", "employer"):
            if name in values:
                values[name] = _organization(values[name], name)
        if values.get("rhythm") is not None:
            values["rhythm"] = find(
                Rhythm.objects.visible_to(self.request.user),
                values["rhythm"],
                field="rhythm",
                message=_("Rythme inconnu."),
            )
        return values

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ApprenticeshipWriteSerializer)
        person = find(
            people_visible_to(request.user),
            values.pop("person"),
            field="person",
            message=_("Personne inconnue dans vos équipes."),
        )
        sent = self.already_sent(
            Apprenticeship.objects.all(),
            values,
            ApprenticeshipSerializer,
            organization_id=person.organization_id,
        )
        if sent is not None:
            return sent
        values = self._resolve(values)
        with service_errors():
            apprenticeship = services.create_apprenticeship(
                person=person, actor=acting_user(request), **values
            )
        return answer(ApprenticeshipSerializer, apprenticeship)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        apprenticeship = get_apprenticeship_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(ApprenticeshipWriteSerializer, partial=True)
        values.pop("person", None)
        values.pop("external_ref", None)
        values = self._resolve(values)
        with service_errors():
            apprenticeship = services.update_apprenticeship(
                apprenticeship=apprenticeship, actor=acting_user(request), **values
            )
        return answer(ApprenticeshipSerializer, apprenticeship, created=False)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        apprenticeship = get_apprenticeship_for_user(request.user, kwargs["pk"], write=True)
        with service_errors():
            services.delete_apprenticeship(
                apprenticeship=apprenticeship, actor=acting_user(request)
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
