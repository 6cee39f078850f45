"""API of the indicators: their definitions, and their stored values with the dashboards' parameters
and permissions (an organization's team, a program's participants and funders, platform operators)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import get_for_user
from ancrage.accounts.queries import organizations_where
from ancrage.core.enums import TerritoryKind
from ancrage.core.pagination import Pagination
from ancrage.core.routers import reading_database
from ancrage.core.serializers import CharField, QueryFilter
from ancrage.core.viewsets import service_errors
from ancrage.indicators import services
from ancrage.indicators.access import Audience, get_selection_for_user
from ancrage.indicators.definitions import DIMENSIONS, INDICATORS, category_label
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate, AnnualReport, ReportEvent
from ancrage.indicators.queries import FIRST_YEAR, cell_filter, freshness, ratio
from ancrage.indicators.services import MAX_PERIOD_MONTHS, months_in, track_period
from ancrage.indicators.tasks import refresh_stale_indicators
from ancrage.programs.models import ProgramParticipant


class BreakdownSerializer(serializers.Serializer):
    code = CharField()
    label = CharField()


class IndicatorSerializer(serializers.Serializer):
    code = CharField()
    label = CharField()
    unit = CharField()
    unit_label = CharField()
    kind = CharField()
    family = CharField()
    definition = CharField()
    breakdowns = serializers.SerializerMethodField()

    def get_breakdowns(self, indicator) -> list[dict]:
        return BreakdownSerializer(
            [DIMENSIONS[code] for code in indicator.breakdowns], many=True
        ).data


class ValuesQuery(QueryFilter):
    year = serializers.IntegerField(
        required=False, help_text=_("Année (par défaut l'année en cours).")
    )
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("Un mois, AAAA-MM, au lieu d'une année."),
        error_messages={
            "invalid": _("Un mois AAAA-MM est attendu (01 à 12), par exemple 2026-03.")
        },
    )
    first_month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_(
            "Premier mois d'une période (AAAA-MM), avec last_month : les personnes y sont "
            "comptées une fois sur toute la période (bilan final d'une convention)."
        ),
        error_messages={"invalid": _("Un mois AAAA-MM est attendu, par exemple 2025-01.")},
    )
    last_month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("Dernier mois de la période (AAAA-MM), inclus."),
        error_messages={"invalid": _("Un mois AAAA-MM est attendu, par exemple 2026-12.")},
    )
    organization = serializers.IntegerField(required=False, help_text=_("Une structure."))
    program = serializers.IntegerField(required=False, help_text=_("Un dispositif."))
    territory = serializers.IntegerField(
        required=False, help_text=_("Un territoire (région, département ou EPCI), par son id.")
    )
    national = serializers.BooleanField(
        required=False, default=False, help_text=_("France entière (exploitation seulement).")
    )
    level = serializers.ChoiceField(
        choices=(
            ("region", "région"),
            ("departement", "département"),
            ("organization", "structure"),
        ),
        required=False,
        help_text=_(
            "Le niveau en dessous du périmètre : une valeur par région, département ou structure."
        ),
    )
    breakdown = serializers.BooleanField(
        required=False, default=False, help_text=_("Ajouter les répartitions (canal, âge…).")
    )

    def validate(self, data):
        today = timezone.localdate()
        if "first_month" in data or "last_month" in data:
            return self._period(data, today)
        if "month" in data:
            year, month = (int(p) for p in data["month"].split("-"))
            if not 1 <= month <= 12 or not FIRST_YEAR <= year <= today.year:
                raise serializers.ValidationError(
                    {"month": _("Mois inconnu ou hors de la période.")}
                )
            data["grain"], data["period"] = Grain.MONTH, datetime.date(year, month, 1)
        else:
            year = data.get("year", today.year)
            if not FIRST_YEAR <= year <= today.year:
                raise serializers.ValidationError(
                    {"year": _("Année entre %(a)s et %(b)s.") % {"a": FIRST_YEAR, "b": today.year}}
                )
            data["grain"], data["period"] = Grain.YEAR, datetime.date(year, 1, 1)
        return data

    @staticmethod
    def _period(data, today):
        if "month" in data or "year" in data:
            raise serializers.ValidationError(
                {"first_month": _("Une période (first_month, last_month) ou un mois ou une année.")}
            )
        for name in ("first_month", "last_month"):
            if name not in data:
                raise serializers.ValidationError({name: _("Indiquez les deux mois.")})
        first, last = (
            datetime.date(int(data[n][:4]), int(data[n][5:]), 1)
            for n in ("first_month", "last_month")
        )
        if last < first:
            raise serializers.ValidationError(
                {"last_month": _("Le dernier mois précède le premier.")}
            )
        if first.year < FIRST_YEAR or first > today:
            raise serializers.ValidationError(
                {"first_month": _("Mois inconnu ou hors de la période.")}
            )
        if months_in(first, last) > MAX_PERIOD_MONTHS:
            raise serializers.ValidationError(
                {
                    "last_month": _("Une période compte %(n)s mois au plus.")
                    % {"n": MAX_PERIOD_MONTHS}
                }
            )
        data["grain"], data["period"], data["last"] = Grain.PERIOD, first, last
        return data


class LastRefreshSerializer(serializers.Serializer):
    month = CharField()
    finished_at = serializers.DateTimeField()
    seconds = serializers.FloatField()


class FreshnessSerializer(serializers.Serializer):
    stale_months = serializers.ListField(child=CharField())
    up_to_date = serializers.BooleanField()
    last_refresh = LastRefreshSerializer(allow_null=True)


class ValueSerializer(serializers.Serializer):
    indicator = CharField()
    grain = CharField()
    period = serializers.DateField()
    last_month = serializers.DateField(allow_null=True)
    scope = CharField()
    organization = serializers.DictField(allow_null=True)
    program = serializers.DictField(allow_null=True)
    territory = serializers.DictField(allow_null=True)
    category = CharField()
    category_label = CharField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)


def _below(selection, level: str):
    """Cells one level below the slice: régions, départements or organizations."""
    program, territory = selection.program, selection.territory
    if level == "organization":
        scope = Scope.ORGANIZATION_PROGRAM if program else Scope.ORGANIZATION
        cells = {"scope": scope, "program": program}
        if territory is not None:
            place = {
                TerritoryKind.REGION: "region",
                TerritoryKind.DEPARTEMENT: "departement",
                TerritoryKind.EPCI: "epci",
            }[territory.kind]
            cells[f"organization__commune__{place}"] = territory
        elif program is None:
            return None  # every organization of the country: too broad, ask by territory
        return cells
    if selection.scope not in (
        Scope.PROGRAM,
        Scope.PROGRAM_TERRITORY,
        Scope.NATIONAL,
        Scope.TERRITORY,
    ):
        return None
    cells = {
        "scope": Scope.PROGRAM_TERRITORY if program else Scope.TERRITORY,
        "program": program,
        "territory__kind": level,
    }
    if territory is not None:
        cells["territory__region" if territory.kind == TerritoryKind.REGION else "territory"] = (
            territory
        )
    return cells


@extend_schema_view(
    list=extend_schema(summary=_("Les indicateurs et leur définition")),
    retrieve=extend_schema(summary=_("Un indicateur")),
)
class IndicatorViewSet(viewsets.ViewSet):
    lookup_field = "code"
    lookup_value_regex = "[a-z_]+"
    serializer_class = IndicatorSerializer
    pagination_class = None

    def list(self, request):
        return Response(IndicatorSerializer(list(INDICATORS.values()), many=True).data)

    def retrieve(self, request, code=None):
        indicator = INDICATORS.get(code)
        if indicator is None:
            raise NotFound(_("Indicateur inconnu."))
        return Response(IndicatorSerializer(indicator).data)

    @extend_schema(
        summary=_("Valeurs d'un indicateur pour un périmètre et une période"),
        parameters=[ValuesQuery, Pagination.query_serializer()],
        # Paginated like every list (limit, offset), whatever the level or the breakdowns.
        responses={
            200: inline_serializer(
                "PaginatedIndicatorValues",
                fields={
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": ValueSerializer(many=True),
                },
            ),
            202: OpenApiResponse(
                description=_("Période en cours de calcul : redemander dans quelques secondes.")
            ),
            400: OpenApiResponse(
                description=_("Paramètre invalide : le message nomme le paramètre (year, month…).")
            ),
            404: OpenApiResponse(description=_("Indicateur ou périmètre inconnu")),
        },
    )
    @action(detail=True, methods=["get"])
    def values(self, request, code=None):
        indicator = INDICATORS.get(code)
        if indicator is None:
            raise NotFound(_("Indicateur inconnu."))
        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        names = {"organization": "structure", "program": "dispositif", "territory": "territoire"}
        page_params = {names[k]: params[k] for k in names if k in params}
        if params.get("national"):
            page_params["national"] = "1"
        membership = getattr(request._request, "membership", None)
        try:
            selection = get_selection_for_user(
                request.user, page_params, membership.organization if membership else None
            )
        except Http404:
            raise NotFound(_("Périmètre inconnu ou non autorisé.")) from None
        if selection is None or not selection.allowed_for(Audience.of(request.user)):
            raise NotFound(_("Périmètre inconnu ou non autorisé."))
        rows = Aggregate.objects.using(reading_database()).filter(
            indicator=indicator.code, grain=params["grain"], period=params["period"]
        )
        if params["grain"] == Grain.PERIOD:
            period = track_period(first_month=params["period"], last_month=params["last"])
            period.refresh_from_db()
            if period.computed_at is None:
                return Response(
                    {"detail": _("Les chiffres de cette période sont en cours de calcul.")},
                    status=202,
                )
            rows = rows.filter(last_month=params["last"])
        if "level" in params:
            below = _below(selection, params["level"])
            if below is None:
                raise serializers.ValidationError(
                    {"level": _("Ce niveau n'existe pas sous ce périmètre.")}
                )
            rows = rows.filter(**below)
        else:
            rows = rows.filter(cell_filter(selection))
        if not params.get("breakdown"):
            rows = rows.filter(category="")
        rows = rows.select_related("organization", "program", "territory").order_by(
            "territory__code", "organization__name", "category", "id"
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        data = [self._value(indicator, row) for row in page or []]
        return paginator.get_paginated_response(ValueSerializer(data, many=True).data)

    @extend_schema(
        summary=_("Fraîcheur des chiffres (GET) ; demander leur actualisation (POST)"),
        description=_(
            "Les mois modifiés en attente d'actualisation et la dernière actualisation. POST met "
            "l'actualisation en file (équipes des structures) et répond 202."
        ),
        request=None,
        responses={200: FreshnessSerializer, 202: FreshnessSerializer},
    )
    @action(detail=False, methods=["get", "post"])
    def freshness(self, request):
        if request.method == "POST":
            if not organizations_where(request.user, "team.read"):
                raise PermissionDenied(
                    _("Seules les équipes des structures demandent une actualisation.")
                )
            refresh_stale_indicators.enqueue()
            return Response(FreshnessSerializer(freshness()).data, status=202)
        return Response(FreshnessSerializer(freshness()).data)

    @staticmethod
    def _value(indicator, row) -> dict:
        has_denominator = row.denominator is not None
        label = category_label(row.category)[1] if row.category else ""
        if row.category.startswith("commune:") and re.fullmatch(r"commune:\w+", row.category):
            label = row.category.partition(":")[2]
        return {
            "indicator": indicator.code,
            "grain": row.grain,
            "period": row.period,
            "last_month": row.last_month,
            "scope": row.scope,
            "organization": {"id": row.organization.pk, "name": row.organization.name}
            if row.organization
            else None,
            "program": {"id": row.program.pk, "name": row.program.name} if row.program else None,
            "territory": {
                "id": row.territory.pk,
                "kind": row.territory.kind,
                "code": row.territory.code,
                "name": row.territory.name,
            }
            if row.territory
            else None,
            "category": row.category,
            "category_label": label,
            "value": ratio(indicator, row.value, row.denominator),
            "numerator": row.value if has_denominator else None,
            "denominator": row.denominator,
        }


class ReportEventSerializer(serializers.ModelSerializer):
    by_organization = CharField(source="by_organization.name", read_only=True)

    class Meta:
        model = ReportEvent
        fields = ["status", "at", "by_organization", "comment"]
        read_only_fields = fields


class AnnualReportSerializer(serializers.ModelSerializer):
    events = ReportEventSerializer(many=True, read_only=True)
    due_on = serializers.DateField(read_only=True)

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "organization",
            "year",
            "status",
            "due_on",
            "obstacles",
            "analysis",
            "frozen",
            "submitted_at",
            "decided_at",
            "comment",
            "events",
        ]
        read_only_fields = fields


class ReportSubmitSerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=2100)


class ReportReturnSerializer(serializers.Serializer):
    comment = CharField(max_length=5000, help_text=_("Ce qu'il faut compléter."))


def _report_readers_filter(user) -> Q:
    """Reports the user may read: their teams' and those of organizations in programs they follow
    (as on the pages)."""
    audience = Audience.of(user)
    if audience.everything:
        return Q()
    in_programs = ProgramParticipant.objects.filter(program_id__in=audience.programs).values(
        "organization_id"
    )
    return Q(organization_id__in=audience.organizations) | Q(organization_id__in=in_programs)


@extend_schema_view(
    list=extend_schema(summary=_("Bilans annuels (ceux de vos équipes et des dispositifs suivis)")),
    retrieve=extend_schema(summary=_("Un bilan annuel, son état et ses étapes")),
)
class AnnualReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualReportSerializer

    @property
    def write_action(self) -> str:
        """The team hands in; the funder approves or sends back (RegistryPermission's 403 says so)."""
        if self.action in ("approve", "send_back"):
            return "funding.decide"
        return "indicators.write_report"

    def get_queryset(self):
        return (
            AnnualReport.objects.filter(_report_readers_filter(self.request.user))
            .prefetch_related(
                Prefetch("events", ReportEvent.objects.select_related("by_organization"))
            )
            .order_by("-year", "organization_id", "id")
        )

    @extend_schema(
        summary=_("Remettre le bilan d'une année terminée au financeur (chiffres figés)"),
        request=ReportSubmitSerializer,
        responses={200: AnnualReportSerializer},
    )
    @action(detail=False, methods=["post"])
    def submit(self, request, *args, **kwargs) -> Response:
        body = ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organization = get_for_user(
            Organization.objects.all(),
            body.validated_data["organization"],
            request.user,
            action="indicators.write_report",
        )
        with service_errors():
            report = services.submit_report(
                organization=organization, year=body.validated_data["year"], actor=request.user
            )
        return Response(AnnualReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        summary=_("Approuver un bilan remis (le financeur du dispositif)"),
        request=None,
        responses={200: AnnualReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None) -> Response:
        return self._decide(request, pk, approve=True, comment="")

    @extend_schema(
        summary=_("Renvoyer un bilan remis pour compléments (le financeur du dispositif)"),
        request=ReportReturnSerializer,
        responses={200: AnnualReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None) -> Response:
        body = ReportReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decide(request, pk, approve=False, comment=body.validated_data["comment"])

    def _decide(self, request, pk, *, approve: bool, comment: str) -> Response:
        report = self.get_object()
        try:
            with service_errors():
                services.decide_report(
                    report=report, approve=approve, comment=comment, actor=request.user
                )
        except DjangoPermissionDenied as refused:
            raise PermissionDenied(str(refused)) from None
        return Response(AnnualReportSerializer(self.get_queryset().get(pk=report.pk)).data)
