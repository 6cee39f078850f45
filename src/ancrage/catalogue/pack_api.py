"""API of the packs: what the pages do, through ``catalogue.services`` — packs and entitlements
(the manager's coordination), openings to providers and deliveries (the manager's team; a
provider's members for the residents opened to them), each resident's balances."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import organization_for_write
from ancrage.accounts.queries import organizations_where
from ancrage.catalogue import packs, services
from ancrage.catalogue import statement as statements
from ancrage.catalogue.models import (
    Category,
    Delivery,
    Entitlement,
    Opening,
    Pack,
    Payer,
    Period,
    Service,
)
from ancrage.catalogue.queries import (
    get_delivery_for_user,
    get_entitlement_for_user,
    get_opening_for_user,
    get_pack_for_user,
    providers_of,
)
from ancrage.core.forms import MonthField
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.signals import list_read
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
from ancrage.housing.queries import residences_of
from ancrage.people.models import Person
from ancrage.people.queries import people_visible_to, short_name
from ancrage.programs.queries import programs_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PackSerializer(ModelSerializer):
    residences = serializers.ListField(
        child=serializers.IntegerField(), source="residence_ids", read_only=True
    )

    class Meta:
        model = Pack
        fields = [
            "id",
            "organization",
            "name",
            "program",
            "residences",
            "starts_on",
            "ends_on",
            "external_ref",
        ]
        read_only_fields = fields


class PackWriteSerializer(serializers.Serializer):
    organization = id_field(
        required=False, help_text=_("La structure gestionnaire (facultatif s'il n'y en a qu'une).")
    )
    external_ref = external_ref_field(_("du pack"))
    name = CharField(max_length=150)
    residences = serializers.ListField(child=id_field(), min_length=1, max_length=500)
    program = id_field(required=False, allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)


class EntitlementSerializer(ModelSerializer):
    class Meta:
        model = Entitlement
        fields = ["id", "pack", "category", "label", "quantity", "period", "service"]
        read_only_fields = fields


class EntitlementWriteSerializer(serializers.Serializer):
    pack = id_field()
    category = serializers.ChoiceField(choices=Category.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=1000)
    period = serializers.ChoiceField(
        choices=Period.choices,
        help_text=_(
            "month, year : au prorata des jours passés à la résidence ; week : par semaine de "
            "présence ; stay : une fois pour le séjour."
        ),
    )
    service = id_field(
        required=False,
        allow_null=True,
        help_text=_("Un service du catalogue : son prestataire enregistre ses prestations."),
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # « label » names a field's own title on a serializer: declared here instead.
        return {**super().get_fields(), "label": CharField(max_length=150)}


class OpeningSerializer(ModelSerializer):
    person_name = serializers.SerializerMethodField(
        help_text=_("Prénom et initiale du nom : ce que le prestataire voit.")
    )

    class Meta:
        model = Opening
        fields = ["id", "pack", "person", "person_name", "provider", "consent_on", "closed_at"]
        read_only_fields = fields

    def get_person_name(self, opening: Opening) -> str:
        return short_name(opening.person)


class OpeningWriteSerializer(serializers.Serializer):
    pack = id_field()
    person = id_field()
    provider = id_field(help_text=_("La structure d'un service nommé par un droit du pack."))
    consent_on = serializers.DateField(help_text=_("La personne a donné son accord le."))


class DeliverySerializer(ModelSerializer):
    pack = serializers.IntegerField(source="entitlement.pack_id", read_only=True)
    cost_cents = serializers.IntegerField(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "pack",
            "entitlement",
            "person",
            "provider",
            "delivered_on",
            "quantity",
            "unit_cost_cents",
            "cost_cents",
            "payer",
            "reason_beyond",
        ]
        read_only_fields = fields


class DeliveryWriteSerializer(serializers.Serializer):
    entitlement = id_field()
    person = id_field()
    delivered_on = serializers.DateField()
    quantity = serializers.IntegerField(min_value=1, max_value=1000)
    unit_cost_cents = serializers.IntegerField(min_value=0, max_value=100_000_00)
    payer = serializers.ChoiceField(choices=Payer.choices)
    reason_beyond = CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=_("Obligatoire quand la prestation dépasse ce qui reste du droit."),
    )


class PackFilter(QueryFilter):
    pack = id_field(required=False)


class DeliveryFilter(QueryFilter):
    pack = id_field(required=False)
    person = id_field(required=False)


class MonthQuery(QueryFilter):
    month = CharField(
        required=False, max_length=7, help_text=_("Le mois (aaaa-mm ; par défaut : ce mois-ci).")
    )

    def validate_month(self, value: str):
        try:
            return MonthField().clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class BalanceSerializer(serializers.Serializer):
    entitlement = serializers.IntegerField(source="entitlement.pk")
    window = serializers.CharField(source="window.label")
    allowed = serializers.IntegerField()
    used = serializers.IntegerField()
    left = serializers.IntegerField()
    beyond = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["label"] = serializers.CharField(source="entitlement.label")
        return fields


class ResidentSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    balances = BalanceSerializer(many=True)


def _residences(organization: Organization, ids: list[int]) -> list:
    found = list(residences_of(organization).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise serializers.ValidationError(
            {"residences": [_("Résidence inconnue dans cette structure.")]}
        )
    return found


def _program(organization: Organization, program_id: int | None):
    return find(
        programs_of(organization),
        program_id,
        field="program",
        message=_("La structure ne participe pas à ce dispositif."),
    )


def _month_of_query(request: Request):
    query = MonthQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    month = query.validated_data.get("month") or timezone.localdate().replace(day=1)
    return month, packs.reference_day(month)


@extend_schema_view(
    list=extend_schema(summary=_("Packs de services de vos structures")),
    retrieve=extend_schema(summary=_("Un pack")),
    create=extend_schema(
        summary=_("Créer un pack (résidences couvertes, dates)"),
        request=PackWriteSerializer,
        responses={201: PackSerializer, 200: PackSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Modifier un pack"),
        request=PackWriteSerializer(partial=True),
        responses={200: PackSerializer},
    ),
    destroy=extend_schema(summary=_("Supprimer un pack sans prestation"), responses={204: None}),
)
class PackViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PackSerializer
    write_action = "catalogue.packs"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Pack.objects.visible_to(self.request.user)
            .prefetch_related("residences")
            .order_by("name", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PackWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="catalogue.packs"
            )
            sent = self.already_sent(
                Pack.objects.all(), values, PackSerializer, organization=organization
            )
            if sent is not None:
                return sent
            residences = _residences(organization, values.pop("residences"))
            values["program"] = _program(organization, values.get("program"))
            pack = services.create_pack(
                organization=organization, residences=residences, actor=actor, **values
            )
        return answer(PackSerializer, pack)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pack = get_pack_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(PackWriteSerializer, partial=True)
        values.pop("organization", None)
        values.pop("external_ref", None)
        residences = None
        if "residences" in values:
            residences = _residences(pack.organization, values.pop("residences"))
        if "program" in values:
            values["program"] = _program(pack.organization, values["program"])
        with service_errors():
            pack = services.update_pack(
                pack=pack, residences=residences, actor=acting_user(request), **values
            )
        return answer(PackSerializer, pack, created=False)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pack = get_pack_for_user(request.user, kwargs["pk"], write=True)
        with service_errors():
            services.delete_pack(pack=pack, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Le relevé mensuel des prestations du pack (XLSX)"),
        parameters=[MonthQuery],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def statement(self, request: Request, pk: Any = None) -> HttpResponse:
        pack = get_pack_for_user(request.user, pk)
        month, _day = _month_of_query(request)
        month_statement = statements.monthly_statement(pack, month)
        list_read(
            model=Person,
            records=[delivery.person for delivery in month_statement.deliveries],
            actor=request.user,
            how="export xlsx",
        )
        response = HttpResponse(statements.statement_xlsx(month_statement), content_type=XLSX)
        filename = statements.filename(month_statement)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        summary=_("Les résident·es du mois et, pour chaque droit, l'ouvert, l'utilisé, le reste"),
        parameters=[MonthQuery],
        responses={200: ResidentSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def residents(self, request: Request, pk: Any = None) -> Response:
        pack = get_pack_for_user(request.user, pk)
        month, day = _month_of_query(request)
        start, end = packs.month_of(month)
        housed = packs.housed(pack, start, end)
        balances = packs.balances_of(pack, day, person_ids=sorted(housed))
        people = list(people_visible_to(request.user).filter(pk__in=list(housed)).order_by("pk"))
        list_read(model=Person, records=people, actor=request.user)
        return Response(
            ResidentSerializer(
                [{"person": p.pk, "balances": balances.get(p.pk, [])} for p in people], many=True
            ).data
        )


@extend_schema_view(
    list=extend_schema(summary=_("Droits des packs de vos structures"), parameters=[PackFilter]),
    retrieve=extend_schema(summary=_("Un droit")),
    create=extend_schema(
        summary=_("Ajouter un droit à un pack"),
        request=EntitlementWriteSerializer,
        responses={201: EntitlementSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Modifier un droit"),
        request=EntitlementWriteSerializer(partial=True),
        responses={200: EntitlementSerializer},
    ),
    destroy=extend_schema(
        summary=_("Retirer un droit sans prestation"),
        responses={204: None, 400: OpenApiResponse(description=_("Le droit a des prestations."))},
    ),
)
class EntitlementViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EntitlementSerializer
    write_action = "catalogue.packs"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        entitlements = Entitlement.objects.visible_to(self.request.user).order_by("pack_id", "id")
        if self.action == "list":
            filters = PackFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "pack" in filters.validated_data:
                entitlements = entitlements.filter(pack_id=filters.validated_data["pack"])
        return entitlements

    def _service(self, service_id):
        return find(
            Service.objects.visible_to(self.request.user),
            service_id,
            field="service",
            message=_("Service inconnu au catalogue."),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(EntitlementWriteSerializer)
        pack = find(
            Pack.objects.visible_to(request.user),
            values.pop("pack"),
            field="pack",
            message=_("Pack inconnu."),
        )
        service = self._service(values.pop("service", None))
        with service_errors():
            entitlement = services.add_entitlement(
                pack=pack, service=service, actor=acting_user(request), **values
            )
        return answer(EntitlementSerializer, entitlement)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entitlement = get_entitlement_for_user(request.user, kwargs["pk"], write=True)
        values = self.body(EntitlementWriteSerializer, partial=True)
        values.pop("pack", None)
        if "service" in values:
            values["service"] = self._service(values["service"])
        with service_errors():
            entitlement = services.update_entitlement(
                entitlement=entitlement, actor=acting_user(request), **values
            )
        return answer(EntitlementSerializer, entitlement, created=False)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entitlement = get_entitlement_for_user(request.user, kwargs["pk"], write=True)
        with service_errors():
            services.delete_entitlement(entitlement=entitlement, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _provider_ids(user) -> list[int]:
    return organizations_where(user, "catalogue.deliver")


@extend_schema_view(
    list=extend_schema(
        summary=_(
            "Ouvertures : celles de vos packs, et les résident·es ouvert·es à votre structure "
            "prestataire"
        ),
        parameters=[PackFilter],
    ),
    retrieve=extend_schema(summary=_("Une ouverture")),
    create=extend_schema(
        summary=_("Ouvrir un·e résident·e à un prestataire du pack (avec son accord)"),
        request=OpeningWriteSerializer,
        responses={201: OpeningSerializer},
    ),
)
class OpeningViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = OpeningSerializer
    write_action = "catalogue.residents"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        openings = (
            Opening.objects.filter(
                Q(pk__in=Opening.objects.visible_to(user).values("pk"))
                | Q(
                    provider_id__in=_provider_ids(user),
                    closed_at__isnull=True,
                    person__archived_on__isnull=True,
                )
            )
            .select_related("person")
            .order_by("id")
        )
        if self.action == "list":
            filters = PackFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "pack" in filters.validated_data:
                openings = openings.filter(pack_id=filters.validated_data["pack"])
        return openings

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(OpeningWriteSerializer)
        pack = find(
            Pack.objects.visible_to(request.user),
            values["pack"],
            field="pack",
            message=_("Pack inconnu."),
        )
        person = find(
            people_visible_to(request.user),
            values["person"],
            field="person",
            message=_("Personne inconnue dans vos équipes."),
        )
        provider = find(
            providers_of(pack),
            values["provider"],
            field="provider",
            message=_("Cette structure n'assure aucun droit du pack."),
        )
        with service_errors():
            opening = services.open_to_provider(
                pack=pack,
                person=person,
                provider=provider,
                consent_on=values["consent_on"],
                actor=acting_user(request),
            )
        return answer(OpeningSerializer, opening)

    @extend_schema(
        summary=_("Fermer l'accès du prestataire"),
        request=None,
        responses={200: OpeningSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        opening = get_opening_for_user(request.user, pk)
        opening = services.close_opening(opening=opening, actor=acting_user(request))
        return answer(OpeningSerializer, opening, created=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Prestations : celles de vos packs, ou celles de votre structure prestataire"),
        parameters=[DeliveryFilter],
    ),
    retrieve=extend_schema(summary=_("Une prestation")),
    create=extend_schema(
        summary=_("Enregistrer une prestation (un dépassement demande son motif)"),
        request=DeliveryWriteSerializer,
        responses={201: DeliverySerializer},
    ),
    destroy=extend_schema(summary=_("Annuler une prestation"), responses={204: None}),
)
class DeliveryViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = DeliverySerializer
    write_action = "catalogue.deliver"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        deliveries = (
            Delivery.objects.filter(
                Q(pk__in=Delivery.objects.visible_to(user).values("pk"))
                | Q(provider_id__in=_provider_ids(user))
            )
            .select_related("entitlement")
            .order_by("-delivered_on", "-id")
        )
        if self.action == "list":
            filters = DeliveryFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            values = filters.validated_data
            if "pack" in values:
                deliveries = deliveries.filter(entitlement__pack_id=values["pack"])
            if "person" in values:
                deliveries = deliveries.filter(person_id=values["person"])
        return deliveries

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        values = self.body(DeliveryWriteSerializer)
        reachable = Entitlement.objects.filter(
            Q(pk__in=Entitlement.objects.visible_to(user).values("pk"))
            | Q(
                service__organization_id__in=_provider_ids(user),
                pack__openings__closed_at__isnull=True,
                pack__openings__provider_id__in=_provider_ids(user),
            )
        ).distinct()
        entitlement = find(
            reachable.select_related("pack", "service"),
            values.pop("entitlement"),
            field="entitlement",
            message=_("Droit inconnu."),
        )
        people = Person.objects.filter(
            Q(pk__in=people_visible_to(user).values("pk"))
            | Q(
                pk__in=Opening.objects.filter(
                    provider_id__in=_provider_ids(user),
                    closed_at__isnull=True,
                    person__archived_on__isnull=True,
                ).values("person_id")
            )
        )
        person = find(
            people,
            values.pop("person"),
            field="person",
            message=_("Personne inconnue ou non ouverte à votre structure."),
        )
        with service_errors():
            delivery = services.record_delivery(
                entitlement=entitlement, person=person, actor=acting_user(request), **values
            )
        return answer(DeliverySerializer, delivery)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        delivery = get_delivery_for_user(request.user, kwargs["pk"])
        services.delete_delivery(delivery=delivery, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
