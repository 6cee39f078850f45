"""API of the funding app: agreements, their objectives and installments; the same rules as the
pages (the funder's deciders decide, the organization requests its installments)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import organization_for_write, organizations_where
from ancrage.core.viewsets import WritableMixin, acting_user, find, id_field, service_errors
from ancrage.funding import opendata, queries, services
from ancrage.funding.enums import InstallmentKind
from ancrage.funding.models import Agreement, AgreementYear, Installment, Objective
from ancrage.indicators.definitions import INDICATORS
from ancrage.programs.models import Program


class AmountSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementYear
        fields = ["year", "amount_cents"]


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["year", "indicator", "value"]
        read_only_fields = fields


class InstallmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Installment
        fields = [
            "id",
            "agreement",
            "year",
            "kind",
            "amount_cents",
            "status",
            "planned_on",
            "requested_on",
            "paid_on",
        ]
        read_only_fields = fields


class YearBudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    granted = serializers.IntegerField(help_text=_("Centimes accordés."))
    paid = serializers.IntegerField(help_text=_("Centimes versés."))
    planned = serializers.IntegerField(
        help_text=_("Centimes prévus ou demandés, pas encore versés.")
    )
    blockers = serializers.ListField(
        child=serializers.CharField(), help_text=_("Ce qui bloque le solde (vide : payable).")
    )


class AgreementSerializer(serializers.ModelSerializer):
    amounts = AmountSerializer(many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    installments = InstallmentSerializer(many=True, read_only=True)
    budget = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "funder",
            "beneficiary",
            "program",
            "subject",
            "starts_on",
            "ends_on",
            "signed_on",
            "objectives_percent",
            "amounts",
            "objectives",
            "installments",
            "budget",
        ]
        read_only_fields = fields

    @extend_schema_field(YearBudgetSerializer(many=True))
    def get_budget(self, agreement: Agreement) -> Any:
        return YearBudgetSerializer(queries.budget_of(agreement), many=True).data


class CSVRenderer(BaseRenderer):
    """The SCDL export's bytes as they are."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return data if isinstance(data, bytes) else str(data).encode("utf-8")


class AgreementWriteSerializer(serializers.Serializer):
    funder = id_field(
        required=False, help_text=_("Votre structure financeuse (si vous en avez plusieurs).")
    )
    beneficiary = id_field()
    program = id_field()
    subject = serializers.CharField(max_length=500)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    signed_on = serializers.DateField(required=False, allow_null=True)
    amounts = AmountSerializer(many=True)
    objectives_percent = serializers.IntegerField(min_value=0, max_value=100, default=100)


class ObjectiveWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    indicator = serializers.ChoiceField(choices=sorted(INDICATORS))
    value = serializers.FloatField(
        min_value=0.01, max_value=10**9, allow_null=True, help_text=_("null : retire l'objectif.")
    )


class InstallmentWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    kind = serializers.ChoiceField(choices=InstallmentKind.choices)
    amount_cents = serializers.IntegerField(min_value=1, max_value=services.MAX_CENTS)
    planned_on = serializers.DateField()


class InstallmentDaySerializer(serializers.Serializer):
    on = serializers.DateField()


@extend_schema_view(
    list=extend_schema(summary=_("Conventions de vos structures (financeur ou bénéficiaire)")),
    retrieve=extend_schema(summary=_("Une convention : montants, objectifs, versements, solde")),
    create=extend_schema(
        summary=_("Enregistrer une convention (le financeur du dispositif)"),
        request=AgreementWriteSerializer,
        responses={201: AgreementSerializer},
    ),
)
class AgreementViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    write_action = "funding.decide"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            Agreement.objects.visible_to(self.request.user)
            .prefetch_related("amounts", "objectives", "installments")
            .order_by("-starts_on", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(AgreementWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            funder = organization_for_write(
                actor, values.pop("funder", None), action="funding.decide"
            )
            agreement = services.create_agreement(
                funder=funder,
                beneficiary=find(
                    Organization.objects.filter(is_active=True),
                    values["beneficiary"],
                    field="beneficiary",
                    message=_("Structure introuvable."),
                ),
                program=find(
                    Program.objects.all(),
                    values["program"],
                    field="program",
                    message=_("Dispositif introuvable."),
                ),
                subject=values["subject"],
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                amounts={a["year"]: a["amount_cents"] for a in values["amounts"]},
                objectives_percent=values["objectives_percent"],
                signed_on=values.get("signed_on"),
                actor=actor,
            )
        return Response(
            AgreementSerializer(self.reread(agreement)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Vos subventions au format SCDL « subventions » 2.1.1 (CSV, données ouvertes)"),
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"], renderer_classes=[CSVRenderer])
    def scdl(self, request: Request) -> Response:
        funders = organizations_where(request.user, "funding.decide")
        return Response(
            opendata.grants_csv(queries.grants_of(funders)), content_type="text/csv; charset=utf-8"
        )

    @extend_schema(
        summary=_("Fixer (ou retirer) l'objectif d'une année"),
        request=ObjectiveWriteSerializer,
        responses={200: AgreementSerializer},
    )
    @action(detail=True, methods=["post"])
    def objectives(self, request: Request, pk=None) -> Response:
        agreement = queries.get_agreement_for_user(request.user, pk, decide=True)
        body = self.body(ObjectiveWriteSerializer)
        with service_errors():
            services.set_objective(agreement=agreement, actor=acting_user(request), **body)
        return Response(AgreementSerializer(self.reread(agreement)).data)

    @extend_schema(
        summary=_("Prévoir un versement (avance de 80 % au plus, ou solde)"),
        request=InstallmentWriteSerializer,
        responses={201: InstallmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def installments(self, request: Request, pk=None) -> Response:
        agreement = queries.get_agreement_for_user(request.user, pk, decide=True)
        body = self.body(InstallmentWriteSerializer)
        with service_errors():
            installment = services.plan_installment(
                agreement=agreement, actor=acting_user(request), **body
            )
        return Response(InstallmentSerializer(installment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Versements des conventions de vos structures")),
    retrieve=extend_schema(summary=_("Un versement")),
)
class InstallmentViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InstallmentSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            Installment.objects.filter(
                agreement__in=Agreement.objects.visible_to(self.request.user)
            )
            .select_related("agreement__funder", "agreement__beneficiary")
            .order_by("year", "planned_on", "id")
        )

    @property
    def write_action(self) -> str:  # type: ignore[override]
        return "funding.decide" if self.action == "pay" else "organization.view"

    def _step(self, request: Request, pk, step) -> Response:
        installment = self.get_object()
        body = self.body(InstallmentDaySerializer)
        with service_errors():
            step(installment=installment, on=body["on"], actor=acting_user(request))
        return Response(InstallmentSerializer(installment).data)

    @extend_schema(
        summary=_("Demander le versement (la structure bénéficiaire ; un solde une fois payable)"),
        request=InstallmentDaySerializer,
        responses={200: InstallmentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="request")
    def ask(self, request: Request, pk=None) -> Response:
        return self._step(request, pk, services.request_installment)

    @extend_schema(
        summary=_("Enregistrer le versement (le financeur ; un solde une fois payable)"),
        request=InstallmentDaySerializer,
        responses={200: InstallmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk=None) -> Response:
        return self._step(request, pk, services.pay_installment)
