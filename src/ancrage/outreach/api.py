"""API of the outreach app: lists, landlords' files (upload, status, report, import after a
check), targeting rules, segments, assignments, targets (attempts, consent, opening a file) and
campaigns (letters). The same services and access rules as the pages; every read of targets is
in the audit trail."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import organization_for_write
from ancrage.core.enums import ImportMode
from ancrage.core.models import Territory
from ancrage.core.serializers import CharField, QueryFilter
from ancrage.core.signals import list_read
from ancrage.core.viewsets import (
    AuditedReadOnlyViewSet,
    WritableMixin,
    acting_user,
    find,
    id_field,
    service_errors,
)
from ancrage.outreach import queries, services
from ancrage.outreach.enums import (
    ATTEMPT_OUTCOME_CHOICES,
    AttemptChannel,
    ProspectStatus,
    RuleField,
    RuleOperator,
)
from ancrage.outreach.forms import landlords
from ancrage.outreach.letters import letters_pdf
from ancrage.outreach.models import (
    Assignment,
    Attempt,
    Campaign,
    OutreachList,
    Prospect,
    ProspectImport,
    ScoringRule,
    Segment,
)
from ancrage.outreach.report import report_csv
from ancrage.outreach.services.contact import letter_recipients
from ancrage.people.services import PossibleDuplicate
from ancrage.programs.models import Program
from ancrage.support.enums import Pathway


class OutreachListSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutreachList
        fields = ["id", "organization", "program", "name", "created_at"]
        read_only_fields = fields


class OutreachListWriteSerializer(serializers.Serializer):
    organization = id_field(
        required=False, help_text=_("L'opérateur (si vous êtes membre de plusieurs structures).")
    )
    program = id_field()
    name = CharField(max_length=120)


class MappingWriteSerializer(serializers.Serializer):
    landlord = id_field()
    columns = serializers.DictField(
        child=CharField(max_length=100, allow_blank=True),
        help_text=_(
            "Pour chaque colonne d'Ancrage (« reference », « nom »…), l'en-tête du bailleur."
        ),
    )


class MappingSerializer(serializers.Serializer):
    landlord = serializers.IntegerField()
    columns = serializers.DictField(child=CharField())


@extend_schema_view(
    list=extend_schema(
        summary=_("Listes de repérage de vos structures (ou qui vous confient des personnes)")
    ),
    retrieve=extend_schema(summary=_("Une liste de repérage")),
    create=extend_schema(
        summary=_("Créer une liste de repérage (coordination de l'opérateur)"),
        request=OutreachListWriteSerializer,
        responses={201: OutreachListSerializer},
    ),
)
class OutreachListViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OutreachListSerializer
    write_action = "outreach.manage"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return queries.lists_for(self.request.user).order_by("name", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(OutreachListWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.get("organization"), action="outreach.manage"
            )
            outreach_list = services.create_list(
                organization=organization,
                program=find(
                    Program.objects.all(),
                    values["program"],
                    field="program",
                    message=_("Dispositif introuvable."),
                ),
                name=values["name"],
                actor=actor,
            )
        return Response(OutreachListSerializer(outreach_list).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Enregistrer les en-têtes des fichiers d'un bailleur"),
        request=MappingWriteSerializer,
        responses={200: MappingSerializer},
    )
    @action(detail=True, methods=["post"])
    def mapping(self, request: Request, pk=None) -> Response:
        outreach_list = queries.get_managed_list(request.user, pk)
        body = self.body(MappingWriteSerializer)
        landlord = find(
            landlords(), body["landlord"], field="landlord", message=_("Bailleur introuvable.")
        )
        with service_errors():
            mapping = services.save_mapping(
                outreach_list=outreach_list,
                landlord=landlord,
                columns=body["columns"],
                actor=acting_user(request),
            )
        return Response({"landlord": landlord.pk, "columns": mapping.columns})


class ProspectImportSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text=_("Pourcentage traité."))

    class Meta:
        model = ProspectImport
        fields = [
            "id",
            "outreach_list",
            "landlord",
            "filename",
            "mode",
            "dry_run",
            "status",
            "progress",
            "total_lines",
            "counts",
            "written",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: ProspectImport) -> int:
        return services.progress_of(job)


class ProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = CharField()
    message = CharField()


class ProspectImportUploadSerializer(serializers.Serializer):
    outreach_list = id_field()
    landlord = id_field()
    file = serializers.FileField(help_text=_("CSV (UTF-8 ou Windows-1252) ou XLSX."))
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    dry_run = serializers.BooleanField(default=True)


class ConfirmSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=ImportMode.choices)


@extend_schema_view(
    list=extend_schema(summary=_("Fichiers de bailleurs envoyés (listes que vous organisez)")),
    retrieve=extend_schema(summary=_("Un fichier : état, avancement, résultat")),
    create=extend_schema(
        summary=_("Envoyer l'extrait d'un bailleur (multipart/form-data), traité en arrière-plan"),
        request={"multipart/form-data": ProspectImportUploadSerializer},
        responses={201: ProspectImportSerializer},
    ),
)
class ProspectImportViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProspectImportSerializer
    write_action = "outreach.manage"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        from ancrage.accounts.permissions import organizations_where

        return ProspectImport.objects.filter(
            outreach_list__organization__in=organizations_where(
                self.request.user, "outreach.manage"
            )
        ).order_by("-created_at", "-id")

    def get_object(self):
        return queries.get_import_for_user(self.request.user, self.kwargs["pk"])

    def get_parsers(self):
        # The upload (a POST to the list) is a file, multipart; the other writes are JSON. The
        # parsers are chosen before the viewset knows its action: the request says it.
        action = getattr(self, "action", None)
        request = getattr(self, "request", None)
        uploading = action == "create" or (
            action is None
            and request is not None
            and request.method == "POST"
            and "pk" not in getattr(self, "kwargs", {})
        )
        return [MultiPartParser()] if uploading else super().get_parsers()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ProspectImportUploadSerializer)
        actor = acting_user(request)
        outreach_list = queries.get_managed_list(actor, values["outreach_list"])
        landlord = find(
            landlords(), values["landlord"], field="landlord", message=_("Bailleur introuvable.")
        )
        upload = values["file"]
        if upload.size > services.lists.max_bytes():
            raise serializers.ValidationError(
                {
                    "file": [
                        _("Le fichier dépasse %(size)s Mo : découpez-le par territoire.")
                        % {"size": services.lists.max_bytes() // 2**20}
                    ]
                }
            )
        with service_errors():
            job = services.submit_import(
                outreach_list=outreach_list,
                landlord=landlord,
                actor=actor,
                filename=upload.name,
                data=upload.read(),
                mode=values["mode"],
                dry_run=values["dry_run"],
            )
        return Response(ProspectImportSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Les lignes refusées (5 000 premières) : ligne, colonne, motif"),
        parameters=[
            OpenApiParameter(
                "output",
                str,
                enum=["json", "csv"],
                description=_("csv : le rapport à ouvrir dans un tableur."),
            )
        ],
        responses={200: ProblemSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def report(self, request: Request, pk=None) -> Any:
        job = queries.get_import_for_user(request.user, pk)
        if request.query_params.get("output") == "csv":
            response = HttpResponse(
                report_csv(job.problems), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="rapport-fichier-{job.pk}.csv"'
            return response
        return Response(ProblemSerializer(job.problems, many=True).data)

    @extend_schema(
        summary=_("Importer pour de bon le fichier d'une vérification terminée"),
        request=ConfirmSerializer,
        responses={201: ProspectImportSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk=None) -> Response:
        job = queries.get_import_for_user(request.user, pk)
        body = self.body(ConfirmSerializer)
        with service_errors():
            new = services.confirm_import(job=job, actor=acting_user(request), mode=body["mode"])
        return Response(ProspectImportSerializer(new).data, status=status.HTTP_201_CREATED)


class RuleConditionSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=RuleField.choices)
    operator = serializers.ChoiceField(choices=RuleOperator.choices, default=RuleOperator.IS_TRUE)
    value = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, help_text=_("Pour âge, étage, impayés.")
    )


class ScoringRuleSerializer(serializers.ModelSerializer):
    conditions = RuleConditionSerializer(many=True, read_only=True)

    class Meta:
        model = ScoringRule
        fields = ["id", "outreach_list", "name", "conditions", "weight"]
        read_only_fields = fields


class ScoringRuleWriteSerializer(serializers.Serializer):
    outreach_list = id_field()
    name = CharField(max_length=120)
    conditions = RuleConditionSerializer(many=True)
    weight = serializers.IntegerField(min_value=-1000, max_value=1000)


class _ListRowsViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    """Rules, segments, assignments, campaigns: rows of the lists the user's team runs;
    ``?outreach_list=`` narrows to one."""

    write_action = "outreach.manage"
    model: Any = None

    def get_queryset(self):
        from ancrage.accounts.permissions import organizations_where

        rows = self.model.objects.filter(
            outreach_list__organization__in=organizations_where(self.request.user, "team.read")
        )
        wanted = filters(self.request, ListFilter).get("outreach_list")
        if wanted is not None:
            rows = rows.filter(outreach_list_id=wanted)
        return rows.order_by("id")

    def _list_of(self, values: dict[str, Any]) -> OutreachList:
        return queries.get_managed_list(self.request.user, values.pop("outreach_list"))


class ListFilter(QueryFilter):
    outreach_list = id_field(required=False, help_text=_("Une liste seulement."))


class ProspectFilter(ListFilter):
    segment = id_field(required=False)
    status = serializers.ChoiceField(choices=ProspectStatus.choices, required=False)


def filters(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """The list's filters from the address: a value of the wrong type is a 400 naming it."""
    checked = serializer_class(data=request.query_params)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


@extend_schema_view(
    list=extend_schema(summary=_("Règles de ciblage"), parameters=[ListFilter]),
    retrieve=extend_schema(summary=_("Une règle")),
    create=extend_schema(
        summary=_("Ajouter une règle (les scores sont recalculés)"),
        request=ScoringRuleWriteSerializer,
        responses={201: ScoringRuleSerializer},
    ),
    destroy=extend_schema(summary=_("Supprimer une règle (les scores sont recalculés)")),
)
class ScoringRuleViewSet(_ListRowsViewSet):
    serializer_class = ScoringRuleSerializer
    model = ScoringRule
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ScoringRuleWriteSerializer)
        outreach_list = self._list_of(values)
        conditions = [
            {**c, "value": str(c["value"].normalize())} if "value" in c else c
            for c in values["conditions"]
        ]
        with service_errors():
            rule = services.save_rule(
                outreach_list=outreach_list,
                name=values["name"],
                conditions=conditions,
                weight=values["weight"],
                actor=acting_user(request),
            )
        return Response(ScoringRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = queries.get_rule_for_user(request.user, kwargs["pk"])
        services.delete_rule(rule=rule, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "outreach_list", "name", "min_score"]
        read_only_fields = fields


class SegmentWriteSerializer(serializers.Serializer):
    outreach_list = id_field()
    name = CharField(max_length=80)
    min_score = serializers.IntegerField(min_value=-100_000, max_value=100_000)


@extend_schema_view(
    list=extend_schema(summary=_("Segments"), parameters=[ListFilter]),
    retrieve=extend_schema(summary=_("Un segment")),
    create=extend_schema(
        summary=_("Ajouter un segment"),
        request=SegmentWriteSerializer,
        responses={201: SegmentSerializer},
    ),
    destroy=extend_schema(summary=_("Supprimer un segment")),
)
class SegmentViewSet(_ListRowsViewSet):
    serializer_class = SegmentSerializer
    model = Segment
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(SegmentWriteSerializer)
        outreach_list = self._list_of(values)
        with service_errors():
            segment = services.save_segment(
                outreach_list=outreach_list, actor=acting_user(request), **values
            )
        return Response(SegmentSerializer(segment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        segment = queries.get_segment_for_user(request.user, kwargs["pk"])
        services.delete_segment(segment=segment, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OutreachAssignmentSerializer(serializers.ModelSerializer):
    territory_code = CharField(source="territory.code", default=None, read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "outreach_list", "segment", "territory_code", "assignee", "created_at"]
        read_only_fields = fields


class AssignmentWriteSerializer(serializers.Serializer):
    outreach_list = id_field()
    segment = id_field()
    territory_code = CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text=_(
            "Code INSEE d'une commune, SIREN d'un EPCI ou numéro de département ; vide : partout."
        ),
    )
    assignee = id_field(help_text=_("Une structure qui prend part au dispositif."))


@extend_schema_view(
    list=extend_schema(summary=_("Attributions"), parameters=[ListFilter]),
    retrieve=extend_schema(summary=_("Une attribution")),
    create=extend_schema(
        summary=_("Confier un segment, sur un territoire, à un acteur local"),
        request=AssignmentWriteSerializer,
        responses={201: OutreachAssignmentSerializer},
    ),
    destroy=extend_schema(summary=_("Retirer une attribution")),
)
class AssignmentViewSet(_ListRowsViewSet):
    serializer_class = OutreachAssignmentSerializer
    model = Assignment
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("territory")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(AssignmentWriteSerializer)
        outreach_list = self._list_of(values)
        code = (values.get("territory_code") or "").strip()
        territory = Territory.objects.by_code(code)
        if code and territory is None:
            raise serializers.ValidationError({"territory_code": [_("Territoire inconnu.")]})
        with service_errors():
            assignment = services.add_assignment(
                outreach_list=outreach_list,
                segment=find(
                    outreach_list.segments.all(),
                    values["segment"],
                    field="segment",
                    message=_("Segment introuvable dans cette liste."),
                ),
                territory=territory,
                assignee=find(
                    Organization.objects.filter(
                        program_participations__program=outreach_list.program
                    ).distinct(),
                    values["assignee"],
                    field="assignee",
                    message=_("Cette structure ne prend pas part au dispositif."),
                ),
                actor=acting_user(request),
            )
        return Response(
            OutreachAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assignment = queries.get_assignment_for_user(request.user, kwargs["pk"])
        services.remove_assignment(assignment=assignment, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["id", "campaign", "organization", "channel", "occurred_on", "outcome"]
        read_only_fields = fields


class ProspectSerializer(serializers.ModelSerializer):
    commune_code = CharField(source="commune.code", default=None, read_only=True)
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Prospect
        fields = [
            "id",
            "outreach_list",
            "landlord",
            "tenant_ref",
            "last_name",
            "first_name",
            "birth_year",
            "address",
            "commune_code",
            "phone",
            "lives_alone",
            "floor",
            "has_lift",
            "unit_adapted",
            "job_seeker",
            "arrears_cents",
            "score",
            "segment",
            "assignee",
            "status",
            "consent_on",
            "person",
            "first_seen_on",
            "left_file_on",
            "attempts",
        ]
        read_only_fields = fields


class AttemptWriteSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=AttemptChannel.choices)
    outcome = serializers.ChoiceField(choices=ATTEMPT_OUTCOME_CHOICES)
    occurred_on = serializers.DateField()
    campaign = id_field(required=False, allow_null=True)


class ConsentWriteSerializer(serializers.Serializer):
    on = serializers.DateField()


class ConvertWriteSerializer(serializers.Serializer):
    pathway = serializers.ChoiceField(choices=Pathway.choices)
    on = serializers.DateField(required=False)
    birth_date = serializers.DateField(
        required=False, help_text=_("Si la personne la donne (le fichier n'a que l'année).")
    )
    confirmed_not_duplicate = serializers.BooleanField(default=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Personnes repérées (de vos listes, ou confiées à votre structure), par score"),
        parameters=[ProspectFilter],
    ),
    retrieve=extend_schema(summary=_("Une personne repérée et ses tentatives de contact")),
)
class ProspectViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = ProspectSerializer
    write_action = "outreach.contact"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        rows = queries.prospects_for(self.request.user).select_related("commune", "outreach_list")
        wanted = filters(self.request, ProspectFilter)
        fields = {"outreach_list": "outreach_list_id", "segment": "segment_id", "status": "status"}
        rows = rows.filter(**{fields[name]: value for name, value in wanted.items()})
        return rows.prefetch_related("attempts").order_by("-score", "id")

    def audit_organization_id(self, row: Any) -> int | None:
        """The operator holds the targets: its administrators see who read them."""
        return row.outreach_list.organization_id

    def _prospect(self, request: Request, pk) -> Prospect:
        return queries.get_prospect_for_user(request.user, pk)

    @extend_schema(
        summary=_("Noter une tentative de contact (son résultat devient l'état de la personne)"),
        request=AttemptWriteSerializer,
        responses={201: ProspectSerializer},
    )
    @action(detail=True, methods=["post"])
    def attempts(self, request: Request, pk=None) -> Response:
        prospect = self._prospect(request, pk)
        body = self.body(AttemptWriteSerializer)
        campaign = find(
            prospect.outreach_list.campaigns.all(),
            body.pop("campaign", None),
            field="campaign",
            message=_("Campagne introuvable dans cette liste."),
        )
        with service_errors():
            services.record_attempt(
                prospect=prospect, campaign=campaign, actor=acting_user(request), **body
            )
        return Response(
            ProspectSerializer(self.reread(prospect)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Noter l'accord de la personne (avant d'ouvrir son dossier)"),
        request=ConsentWriteSerializer,
        responses={200: ProspectSerializer},
    )
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk=None) -> Response:
        prospect = self._prospect(request, pk)
        body = self.body(ConsentWriteSerializer)
        with service_errors():
            services.record_consent(prospect=prospect, on=body["on"], actor=acting_user(request))
        return Response(ProspectSerializer(self.reread(prospect)).data)

    @extend_schema(
        summary=_(
            "Ouvrir son dossier : une personne et un accompagnement typé (409 si une fiche "
            "ressemble : confirmez avec confirmed_not_duplicate)"
        ),
        request=ConvertWriteSerializer,
        responses={201: ProspectSerializer},
    )
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk=None) -> Response:
        prospect = self._prospect(request, pk)
        body = self.body(ConvertWriteSerializer)
        try:
            with service_errors():
                services.convert_prospect(prospect=prospect, actor=acting_user(request), **body)
        except PossibleDuplicate as duplicate:
            return Response(
                {
                    "non_field_errors": [
                        _(
                            "Une fiche existante ressemble à cette personne : vérifiez-la, ou "
                            "renvoyez avec confirmed_not_duplicate à true."
                        )
                    ],
                    "candidates": [person.pk for person in duplicate.candidates],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            ProspectSerializer(self.reread(prospect)).data, status=status.HTTP_201_CREATED
        )


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "outreach_list", "name", "segment", "letter", "starts_on", "created_at"]
        read_only_fields = fields


class CampaignWriteSerializer(serializers.Serializer):
    outreach_list = id_field()
    name = CharField(max_length=120)
    segment = id_field(required=False, allow_null=True)
    letter = CharField(max_length=4000, required=False, allow_blank=True)
    starts_on = serializers.DateField()


class LettersSentSerializer(serializers.Serializer):
    sent_on = serializers.DateField()


class LettersRecordedSerializer(serializers.Serializer):
    letters = serializers.IntegerField(help_text=_("Courriers enregistrés."))


@extend_schema_view(
    list=extend_schema(summary=_("Campagnes"), parameters=[ListFilter]),
    retrieve=extend_schema(summary=_("Une campagne")),
    create=extend_schema(
        summary=_("Créer une campagne"),
        request=CampaignWriteSerializer,
        responses={201: CampaignSerializer},
    ),
)
class CampaignViewSet(_ListRowsViewSet):
    serializer_class = CampaignSerializer
    model = Campaign
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CampaignWriteSerializer)
        outreach_list = self._list_of(values)
        values["segment"] = find(
            outreach_list.segments.all(),
            values.get("segment"),
            field="segment",
            message=_("Segment introuvable dans cette liste."),
        )
        with service_errors():
            campaign = services.create_campaign(
                outreach_list=outreach_list, actor=acting_user(request), **values
            )
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Les courriers de la campagne (PDF, un par personne encore à contacter)"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def letters(self, request: Request, pk=None) -> HttpResponse:
        campaign = queries.get_campaign_for_user(request.user, pk)
        recipients = list(letter_recipients(campaign))
        list_read(
            model=Prospect,
            records=recipients,
            actor=request.user,
            organization_of=lambda _p: campaign.outreach_list.organization_id,
            how="courriers pdf",
        )
        response = HttpResponse(letters_pdf(campaign, recipients), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="courriers-{campaign.pk}.pdf"'
        return response

    @extend_schema(
        summary=_("Noter les courriers comme postés (les personnes deviennent « contactées »)"),
        request=LettersSentSerializer,
        responses={200: LettersRecordedSerializer},
    )
    @action(detail=True, methods=["post"], url_path="letters/sent")
    def letters_sent(self, request: Request, pk=None) -> Response:
        campaign = queries.get_campaign_for_user(request.user, pk)
        body = self.body(LettersSentSerializer)
        with service_errors():
            count = services.record_letters(
                campaign=campaign, sent_on=body["sent_on"], actor=acting_user(request)
            )
        return Response({"letters": count})
