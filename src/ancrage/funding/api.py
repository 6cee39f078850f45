"""API of the funding app: agreements, their objectives and installments; the same rules as the
pages (the funder's deciders decide, the organization requests its installments)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.models import Organization, User
from ancrage.accounts.permissions import can, organization_for_write, organizations_where
from ancrage.core import documents
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.serializers import CharField
from ancrage.core.signals import object_viewed
from ancrage.core.viewsets import WritableMixin, acting_user, find, id_field, service_errors
from ancrage.funding import opendata, queries, services
from ancrage.funding.agreement_pdf import agreement_pdf
from ancrage.funding.enums import ApplicationStatus, InstallmentKind
from ancrage.funding.letters import decision_letter_pdf
from ancrage.funding.models import (
    Agreement,
    AgreementYear,
    Application,
    ApplicationDocument,
    Call,
    Criterion,
    Installment,
    Objective,
    Review,
)
from ancrage.indicators.definitions import INDICATORS
from ancrage.partnerships.queries import partner_agreements_with
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
        child=CharField(), help_text=_("Ce qui bloque le solde (vide : payable).")
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
            "template_version",
            "signed_sha256",
            "objectives_percent",
            "partner_agreement",
            "amounts",
            "objectives",
            "installments",
            "budget",
        ]
        read_only_fields = fields

    @extend_schema_field(YearBudgetSerializer(many=True))
    def get_budget(self, agreement: Agreement) -> Any:
        return YearBudgetSerializer(queries.budget_of(agreement), many=True).data


class PartnershipLinkSerializer(serializers.Serializer):
    partner_agreement = id_field(allow_null=True)


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
    subject = CharField(max_length=500)
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


class BudgetLineSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    program = CharField()
    funder = CharField()
    beneficiary = CharField()
    granted = serializers.IntegerField(help_text=_("Centimes accordés."))
    paid = serializers.IntegerField(help_text=_("Centimes versés."))
    planned = serializers.IntegerField(help_text=_("Centimes prévus ou demandés."))
    left = serializers.IntegerField(help_text=_("Centimes restant à prévoir."))


class SignedAgreementSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Le PDF signé, 10 Mo au plus."))
    signed_on = serializers.DateField(required=False, allow_null=True)


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
        summary=_("Budget par dispositif, financeur, bénéficiaire et année (vos structures)"),
        responses={200: BudgetLineSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def budget(self, request: Request) -> Response:
        lines = queries.budget_lines(organizations_where(request.user, "organization.view"))
        return Response(BudgetLineSerializer(lines, many=True).data)

    @extend_schema(
        summary=_("La convention en PDF, tirée de la version de son modèle"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk=None) -> HttpResponse:
        agreement = self.get_object()
        response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="convention-{agreement.pk}.pdf"'
        return response

    @extend_schema(
        methods=["GET"],
        summary=_("La convention signée (PDF)"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Joindre la convention signée (multipart/form-data ; le financeur)"),
        request={"multipart/form-data": SignedAgreementSerializer},
        responses={200: AgreementSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def signed(self, request: Request, pk=None) -> Any:
        if request.method == "GET":
            agreement = self.get_object()
            if not agreement.signed_file:
                raise NotFound(_("Aucune convention signée n'est jointe."))
            return documents.send_file(
                agreement.signed_file.name or "",
                "application/pdf",
                f"convention-{agreement.pk}-signee.pdf",
            )
        agreement = queries.get_agreement_for_user(request.user, pk, decide=True)
        body = self.body(SignedAgreementSerializer)
        with service_errors():
            services.attach_signed_agreement(
                agreement=agreement,
                upload=body["file"],
                signed_on=body.get("signed_on"),
                actor=acting_user(request),
            )
        return Response(AgreementSerializer(self.reread(agreement)).data)

    @extend_schema(
        summary=_(
            "Rattacher la subvention à une convention de partenariat (null : la détacher ; le "
            "financeur)"
        ),
        request=PartnershipLinkSerializer,
        responses={200: AgreementSerializer},
    )
    @action(detail=True, methods=["post"])
    def partnership(self, request: Request, pk=None) -> Response:
        agreement = queries.get_agreement_for_user(request.user, pk, decide=True)
        body = self.body(PartnershipLinkSerializer)
        actor = acting_user(request)
        partner_agreement = find(
            partner_agreements_with(actor, agreement.funder, agreement.beneficiary),
            body.get("partner_agreement"),
            field="partner_agreement",
            message=_(
                "Convention de partenariat inconnue, ou le financeur et le bénéficiaire n'y "
                "sont pas tous deux parties."
            ),
        )
        with service_errors():
            services.link_partner_agreement(
                agreement=agreement, partner_agreement=partner_agreement, actor=actor
            )
        return Response(AgreementSerializer(self.reread(agreement)).data)

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


# --- Calls for applications ----------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "label", "weight", "max_score"]
        read_only_fields = ["id"]


class CallSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "funder",
            "program",
            "title",
            "text",
            "eligible_kinds",
            "territory",
            "envelope_cents",
            "required_documents",
            "opens_at",
            "closes_at",
            "published_at",
            "decided_at",
            "state",
            "criteria",
        ]
        read_only_fields = fields

    def get_state(self, call: Call) -> str:
        return call.state(timezone.now())


class CallWriteSerializer(serializers.Serializer):
    funder = id_field(
        required=False, help_text=_("Votre structure financeuse (si vous en avez plusieurs).")
    )
    program = id_field()
    title = CharField(max_length=200)
    text = CharField(max_length=20000)
    envelope_cents = serializers.IntegerField(min_value=1, max_value=services.MAX_CENTS)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganizationKind.choices), required=False
    )
    territory = id_field(required=False, allow_null=True, help_text=_("Région ou département."))
    required_documents = serializers.ListField(
        child=CharField(max_length=200), required=False, max_length=30
    )
    criteria = CriterionSerializer(many=True)
    reviewers = serializers.ListField(child=id_field(), required=False, max_length=50)


class RankedSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    applicant = CharField(source="application.applicant.name")
    status = CharField(source="application.status")
    score = serializers.FloatField(allow_null=True, help_text=_("Note pondérée sur 100."))
    rank = serializers.IntegerField(allow_null=True)
    reviews = serializers.IntegerField()
    conflicts = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary=_("Appels à projets : publiés, ceux de vos financeurs, ceux que vous évaluez")
    ),
    retrieve=extend_schema(summary=_("Un appel à projets et sa grille")),
    create=extend_schema(
        summary=_("Rédiger un appel à projets (brouillon ; le financeur du dispositif)"),
        request=CallWriteSerializer,
        responses={201: CallSerializer},
    ),
)
class CallViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    write_action = "funding.decide"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return Call.objects.none()  # the schema's generation has no user
        return queries.calls_for(self.request.user).prefetch_related("criteria")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CallWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            funder = organization_for_write(
                actor, values.pop("funder", None), action="funding.decide"
            )
            territory = values.get("territory")
            call = services.create_call(
                funder=funder,
                program=find(
                    Program.objects.all(),
                    values["program"],
                    field="program",
                    message=_("Dispositif introuvable."),
                ),
                title=values["title"],
                text=values["text"],
                envelope_cents=values["envelope_cents"],
                opens_at=values["opens_at"],
                closes_at=values["closes_at"],
                criteria=[(c["label"], c["weight"], c["max_score"]) for c in values["criteria"]],
                eligible_kinds=values.get("eligible_kinds", []),
                territory=find(
                    Territory.objects.filter(
                        kind__in=(TerritoryKind.REGION, TerritoryKind.DEPARTEMENT)
                    ),
                    territory,
                    field="territory",
                    message=_("Région ou département introuvable."),
                )
                if territory
                else None,
                required_documents=values.get("required_documents", []),
                reviewers=list(User.objects.filter(pk__in=values.get("reviewers", []))),
                actor=actor,
            )
        return Response(CallSerializer(self.reread(call)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Publier l'appel (le financeur)"), request=None, responses={200: CallSerializer}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        call = queries.get_call_for_user(request.user, pk, decide=True)
        with service_errors():
            services.publish_call(call=call, actor=acting_user(request))
        return Response(CallSerializer(self.reread(call)).data)

    @extend_schema(
        summary=_("Classement des candidatures déposées (le financeur, les évaluateurs)"),
        responses={200: RankedSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request: Request, pk=None) -> Response:
        call = self.get_object()
        if not can(request.user, "funding.decide", call.funder) and not queries.is_reviewer(
            request.user, call
        ):
            raise NotFound(_("Appel introuvable."))
        return Response(RankedSerializer(queries.ranking(call), many=True).data)


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationDocument
        fields = ["id", "label", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    documents = ApplicationDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "applicant",
            "project",
            "amount_cents",
            "status",
            "submitted_at",
            "decided_at",
            "decision_comment",
            "agreement",
            "documents",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    call = id_field()
    applicant = id_field(
        required=False, help_text=_("Votre structure candidate (si vous en avez plusieurs).")
    )


class ApplicationUpdateSerializer(serializers.Serializer):
    project = CharField(max_length=20000, allow_blank=True)
    amount_cents = serializers.IntegerField(min_value=0, max_value=services.MAX_CENTS)


class ApplicationDocumentWriteSerializer(serializers.Serializer):
    label = CharField(max_length=200)  # type: ignore[assignment]
    file = serializers.FileField(help_text=_("PDF, PNG ou JPEG, 10 Mo au plus."))


class ReviewWriteSerializer(serializers.Serializer):
    conflict_of_interest = serializers.BooleanField()
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=20),
        required=False,
        help_text=_('Note par critère : {"id du critère": note}.'),
    )
    comment = CharField(max_length=5000, required=False, allow_blank=True)


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "reviewer", "conflict_of_interest", "scores", "comment", "created_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    selected = serializers.BooleanField()
    comment = CharField(max_length=5000, required=False, allow_blank=True)
    granted_cents = serializers.IntegerField(
        min_value=1, max_value=services.MAX_CENTS, required=False, help_text=_("Par an.")
    )
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Candidatures : les vôtres, celles de vos appels, celles que vous évaluez")
    ),
    retrieve=extend_schema(summary=_("Une candidature et ses pièces")),
    create=extend_schema(
        summary=_("Commencer une candidature à un appel ouvert (brouillon)"),
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Compléter le brouillon (projet, montant demandé par an)"),
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationSerializer},
    ),
)
class ApplicationViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ApplicationSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser]

    @property
    def write_action(self) -> str:  # type: ignore[override]
        if self.action == "decide":
            return "funding.decide"
        if self.action == "review":
            return "organization.view"
        return "funding.apply"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return Application.objects.none()  # the schema's generation has no user
        return queries.applications_for(self.request.user).prefetch_related("documents")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ApplicationCreateSerializer)
        actor = acting_user(request)
        with service_errors():
            applicant = organization_for_write(
                actor, values.get("applicant"), action="funding.apply"
            )
            call = find(
                queries.published_calls(),
                values["call"],
                field="call",
                message=_("Appel introuvable ou non publié."),
            )
            application = services.start_application(call=call, applicant=applicant, actor=actor)
        return Response(
            ApplicationSerializer(self.reread(application)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        values = self.body(ApplicationUpdateSerializer, partial=True)
        with service_errors():
            services.save_application(
                application=application,
                project=values.get("project", application.project),
                amount_cents=values.get("amount_cents", application.amount_cents),
                actor=acting_user(request),
            )
        return Response(ApplicationSerializer(self.reread(application)).data)

    @extend_schema(
        summary=_("Joindre une pièce au brouillon (multipart/form-data)"),
        request={"multipart/form-data": ApplicationDocumentWriteSerializer},
        responses={201: ApplicationDocumentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def documents(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        values = self.body(ApplicationDocumentWriteSerializer)
        with service_errors():
            document = services.add_application_document(
                application=application,
                label=values["label"],
                upload=values["file"],
                actor=acting_user(request),
            )
        return Response(
            ApplicationDocumentSerializer(document).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        summary=_("Le fichier d'une pièce (chaque téléchargement est journalisé)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @extend_schema(
        methods=["DELETE"],
        summary=_("Retirer une pièce du brouillon"),
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"documents/(?P<document_id>[0-9]+)",
        url_name="document",
    )
    def document(self, request: Request, pk=None, document_id=None) -> Any:
        application = self.get_object()
        document = application.documents.filter(pk=document_id).first()
        if document is None:
            raise NotFound(_("Pièce introuvable."))
        if request.method == "DELETE":
            with service_errors():
                services.delete_application_document(document=document, actor=acting_user(request))
            return Response(status=status.HTTP_204_NO_CONTENT)
        object_viewed.send(
            sender=ApplicationDocument,
            instance=document,
            actor=request.user,
            organization=application.applicant,
        )
        extension = documents.EXTENSIONS.get(document.content_type, "bin")
        return documents.download(document, f"piece-{document.pk}.{extension}")

    @extend_schema(
        summary=_("Déposer la candidature (refusé à partir de la seconde de clôture)"),
        request=None,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        with service_errors():
            services.submit_application(application=application, actor=acting_user(request))
        return Response(ApplicationSerializer(self.reread(application)).data)

    @extend_schema(
        summary=_(
            "Évaluer (un évaluateur de l'appel) : conflit d'intérêts, puis une note par critère"
        ),
        request=ReviewWriteSerializer,
        responses={201: ReviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        values = self.body(ReviewWriteSerializer)
        scores = {}
        for key, score in values.get("scores", {}).items():
            if not str(key).isdigit():
                raise serializers.ValidationError(
                    {"scores": _("Critère inconnu dans cette grille.")}
                )
            scores[int(key)] = score
        with service_errors():
            review = services.review_application(
                application=application,
                conflict_of_interest=values["conflict_of_interest"],
                scores=scores,
                comment=values.get("comment", ""),
                actor=acting_user(request),
            )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Les évaluations (le financeur)"), responses={200: ReviewSerializer(many=True)}
    )
    @action(detail=True, methods=["get"])
    def reviews(self, request: Request, pk=None) -> Response:
        if not organizations_where(request.user, "funding.decide"):
            raise PermissionDenied(_("Seul le financeur de l'appel lit les évaluations."))
        application = self.get_object()
        if not can(request.user, "funding.decide", application.call.funder):
            raise PermissionDenied(_("Seul le financeur de l'appel lit les évaluations."))
        return Response(ReviewSerializer(application.reviews.all(), many=True).data)

    @extend_schema(
        summary=_("Décider (le financeur, après la clôture) : retenue avec sa convention, ou non"),
        request=DecisionSerializer,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        values = self.body(DecisionSerializer)
        with service_errors():
            services.decide_application(
                application=application,
                selected=values["selected"],
                comment=values.get("comment", ""),
                granted_cents=values.get("granted_cents"),
                starts_on=values.get("starts_on"),
                ends_on=values.get("ends_on"),
                actor=acting_user(request),
            )
        return Response(ApplicationSerializer(self.reread(application)).data)

    @extend_schema(
        summary=_("La lettre de décision (PDF)"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def letter(self, request: Request, pk=None) -> HttpResponse:
        application = self.get_object()
        if application.status not in (ApplicationStatus.SELECTED, ApplicationStatus.REJECTED):
            raise NotFound(_("Pas encore de décision."))
        response = HttpResponse(decision_letter_pdf(application), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="decision-candidature-{application.pk}.pdf"'
        )
        return response
