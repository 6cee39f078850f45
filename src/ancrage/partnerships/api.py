"""API of partnerships: apprenticeship contracts, written through ``partnerships.services``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.core import documents
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
from ancrage.partnerships.agreement_pdf import agreement_pdf
from ancrage.partnerships.forms import MemberForm
from ancrage.partnerships.grants import grants_for
from ancrage.partnerships.models import (
    AgreementParty,
    Apprenticeship,
    Charter,
    CharterTemplate,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingKind,
    PartnerAgreement,
    Signatory,
    SignatoryRole,
)
from ancrage.partnerships.queries import (
    agreements_visible_to,
    apprenticeships_visible_to,
    charters_visible_to,
    committees_visible_to,
    get_agreement_for_user,
    get_apprenticeship_for_user,
    get_charter_for_user,
    get_committee_for_user,
    get_decision_for_user,
    get_meeting_for_user,
    templates_visible_to,
)
from ancrage.partnerships.services import agreements, charters, committees
from ancrage.partnerships.services.agreements import Party
from ancrage.people.queries import people_visible_to
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import Program


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


# --- Tripartite charters -------------------------------------------------------------------------


class CharterTemplateSerializer(ModelSerializer):
    class Meta:
        model = CharterTemplate
        fields = ["id", "program", "version", "title", "body", "created_at"]
        read_only_fields = fields


class CharterTemplateWriteSerializer(serializers.Serializer):
    program = id_field(help_text=_("Un dispositif dont votre structure est porteuse."))
    title = CharField(max_length=200)
    body = CharField(max_length=20000)


@extend_schema_view(
    list=extend_schema(summary=_("Modèles de charte des dispositifs de vos structures")),
    retrieve=extend_schema(summary=_("Une version d'un modèle de charte")),
    create=extend_schema(
        summary=_("Nouvelle version de la charte d'un dispositif (son porteur)"),
        request=CharterTemplateWriteSerializer,
        responses={201: CharterTemplateSerializer},
    ),
)
class CharterTemplateViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = CharterTemplateSerializer
    write_action = "partnerships.templates"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return templates_visible_to(self.request.user).order_by("program_id", "-version")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CharterTemplateWriteSerializer)
        program = find(
            Program.objects.all(),
            values.pop("program"),
            field="program",
            message=_("Dispositif inconnu."),
        )
        with service_errors():
            template = charters.create_template(
                program=program, actor=acting_user(request), **values
            )
        return answer(CharterTemplateSerializer, template)


class SignatorySerializer(ModelSerializer):
    class Meta:
        model = Signatory
        fields = [
            "id",
            "role",
            "name",
            "email",
            "link_sent_at",
            "expires_at",
            "reminded_at",
            "locked_at",
            "signed_at",
            "ip",
        ]
        read_only_fields = fields


class CharterSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_("à signer, signée par n sur N, complète ou révoquée")
    )
    signatories = SignatorySerializer(many=True, read_only=True)

    class Meta:
        model = Charter
        fields = [
            "id",
            "reference",
            "status",
            "organization",
            "apprenticeship",
            "template",
            "consent_on",
            "document_sha256",
            "signed_sha256",
            "completed_at",
            "revoked_at",
            "signatories",
        ]
        read_only_fields = fields


class PartySerializer(serializers.Serializer):
    name = CharField(max_length=150)
    email = serializers.EmailField(max_length=254)


class CharterWriteSerializer(serializers.Serializer):
    apprenticeship = id_field(help_text=_("Un contrat d'apprentissage de vos équipes."))
    template = id_field(help_text=_("Une version du modèle de charte d'un de vos dispositifs."))
    consent_on = serializers.DateField(
        help_text=_(
            "Date de l'accord de l'apprenti·e pour que l'école et l'employeur voient la charte."
        )
    )
    apprentice = PartySerializer()
    school = PartySerializer()
    employer = PartySerializer()
    guardian = PartySerializer(
        required=False, allow_null=True, help_text=_("Obligatoire pour un·e mineur·e.")
    )


class ResendSerializer(serializers.Serializer):
    signatory = id_field(help_text=_("La partie qui reçoit un nouveau lien."))


@extend_schema_view(
    list=extend_schema(summary=_("Chartes tripartites des contrats de vos équipes")),
    retrieve=extend_schema(summary=_("Une charte et l'état de chaque signature")),
    create=extend_schema(
        summary=_("Préparer une charte : le PDF est figé, chaque partie reçoit son lien"),
        description=_(
            "La signature elle-même ne passe pas par l'API : chaque partie signe avec son lien "
            "personnel et un code reçu par e-mail."
        ),
        request=CharterWriteSerializer,
        responses={201: CharterSerializer},
    ),
)
class CharterViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = CharterSerializer
    write_action = "people.change"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return charters_visible_to(self.request.user).prefetch_related("signatories")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CharterWriteSerializer)
        apprenticeship = find(
            apprenticeships_visible_to(request.user),
            values["apprenticeship"],
            field="apprenticeship",
            message=_("Contrat inconnu dans vos équipes."),
        )
        template = find(
            CharterTemplate.objects.all(),
            values["template"],
            field="template",
            message=_("Modèle de charte inconnu."),
        )
        parties = {
            role: (values[role]["name"], values[role]["email"])
            for role in SignatoryRole.values
            if values.get(role)
        }
        with service_errors():
            charter = charters.prepare_charter(
                apprenticeship=apprenticeship,
                template=template,
                consent_on=values["consent_on"],
                parties=parties,
                actor=acting_user(request),
            )
        return answer(CharterSerializer, self.reread(charter))

    @extend_schema(
        summary=_("Retirer la charte : ses liens ne fonctionnent plus"),
        request=None,
        responses={200: CharterSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk=None) -> Response:
        charter = get_charter_for_user(request.user, pk, write=True)
        with service_errors():
            charters.revoke_charter(charter=charter, actor=acting_user(request))
        return answer(CharterSerializer, self.reread(charter), created=False)

    @extend_schema(
        summary=_("Envoyer un nouveau lien à une partie qui n'a pas signé"),
        request=ResendSerializer,
        responses={200: CharterSerializer},
    )
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk=None) -> Response:
        charter = get_charter_for_user(request.user, pk, write=True)
        values = self.body(ResendSerializer)
        signatory = find(
            charter.signatories.all(),
            values["signatory"],
            field="signatory",
            message=_("Partie inconnue dans cette charte."),
        )
        with service_errors():
            charters.resend_link(signatory=signatory, actor=acting_user(request))
        return answer(CharterSerializer, self.reread(charter), created=False)

    @extend_schema(
        summary=_("Le PDF : signé une fois complète, à signer avant"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk=None) -> HttpResponse:
        charter = self.get_object()
        signed = bool(charter.signed_document)
        return documents.send_file(
            charter.signed_document if signed else charter.document,
            "application/pdf",
            f"charte-{charter.reference.lower()}-{'signee' if signed else 'a-signer'}.pdf",
        )


# --- Committees, meetings, decisions ------------------------------------------------------------


class CommitteeMemberSerializer(ModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = ["id", "user", "name", "represents", "email", "joined_on", "left_on"]
        read_only_fields = fields


class CommitteeSerializer(ModelSerializer):
    members = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "organization", "program", "name", "kind", "members"]
        read_only_fields = fields


class CommitteeWriteSerializer(serializers.Serializer):
    program = id_field(help_text=_("Un dispositif auquel votre structure participe."))
    name = CharField(max_length=150)
    kind = serializers.ChoiceField(choices=CommitteeKind.choices)


class SeatWriteSerializer(serializers.Serializer):
    user = id_field(
        required=False,
        allow_null=True,
        help_text=_("Un compte d'une structure du dispositif ; sinon, `name`."),
    )
    name = CharField(max_length=150, required=False, allow_blank=True)
    represents = CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    joined_on = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(summary=_("Comités que vous animez ou auxquels vous siégez")),
    retrieve=extend_schema(summary=_("Un comité et ses membres")),
    create=extend_schema(
        summary=_("Créer un comité d'un dispositif de votre structure"),
        request=CommitteeWriteSerializer,
        responses={201: CommitteeSerializer},
    ),
)
class CommitteeViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = CommitteeSerializer
    write_action = "partnerships.committees"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return committees_visible_to(self.request.user).prefetch_related("members").order_by("id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(CommitteeWriteSerializer)
        organization = request.membership.organization  # type: ignore[attr-defined]
        values["program"] = find(
            Program.objects.all(),
            values["program"],
            field="program",
            message=_("Dispositif inconnu."),
        )
        with service_errors():
            committee = committees.create_committee(
                organization=organization, actor=acting_user(request), **values
            )
        return answer(CommitteeSerializer, self.reread(committee))

    @extend_schema(
        summary=_("Ajouter un membre (avec ou sans compte)"),
        request=SeatWriteSerializer,
        responses={201: CommitteeMemberSerializer},
    )
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk=None) -> Response:
        committee = get_committee_for_user(request.user, pk, manage=True)
        values = self.body(SeatWriteSerializer)
        if values.get("user") is not None:
            values["user"] = find(
                MemberForm(committee=committee).fields["user"].queryset,  # type: ignore[attr-defined]
                values["user"],
                field="user",
                message=_("Compte inconnu parmi les structures du dispositif."),
            )
        with service_errors():
            member = committees.add_member(
                committee=committee, actor=acting_user(request), **values
            )
        return answer(CommitteeMemberSerializer, member)


class MeetingSerializer(ModelSerializer):
    present: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "kind",
            "held_on",
            "evaluated_year",
            "agenda",
            "minutes",
            "present",
        ]
        read_only_fields = fields


class MeetingWriteSerializer(serializers.Serializer):
    committee = id_field()
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False)
    held_on = serializers.DateField()
    evaluated_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=2000, max_value=2100
    )
    agenda = CharField(max_length=5000, required=False, allow_blank=True)


class MinutesWriteSerializer(serializers.Serializer):
    agenda = CharField(max_length=5000, required=False, allow_blank=True)
    minutes = CharField(max_length=50000, required=False, allow_blank=True)
    present = serializers.ListField(child=id_field(), required=False, max_length=500)


@extend_schema_view(
    list=extend_schema(summary=_("Réunions des comités que vous voyez")),
    retrieve=extend_schema(summary=_("Une réunion : ordre du jour, présents, compte rendu")),
    create=extend_schema(
        summary=_("Créer une réunion (une évaluation annuelle nomme l'année évaluée)"),
        request=MeetingWriteSerializer,
        responses={201: MeetingSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Ordre du jour, compte rendu et présents d'une réunion"),
        request=MinutesWriteSerializer,
        responses={200: MeetingSerializer},
    ),
)
class MeetingViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = MeetingSerializer
    write_action = "partnerships.committees"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Meeting.objects.filter(committee__in=committees_visible_to(self.request.user))
            .prefetch_related("present")
            .order_by("-held_on", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(MeetingWriteSerializer)
        committee = find(
            committees_visible_to(request.user),
            values.pop("committee"),
            field="committee",
            message=_("Comité inconnu."),
        )
        committee = get_committee_for_user(request.user, committee.pk, manage=True)
        with service_errors():
            meeting = committees.create_meeting(
                committee=committee, actor=acting_user(request), **values
            )
        return answer(MeetingSerializer, self.reread(meeting))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = get_meeting_for_user(request.user, kwargs["pk"], manage=True)
        values = self.body(MinutesWriteSerializer, partial=True)
        present: QuerySet[CommitteeMember] = meeting.present.all()
        if "present" in values:
            wanted = values["present"]
            present = CommitteeMember.objects.filter(committee=meeting.committee, pk__in=wanted)
            if present.count() != len(set(wanted)):
                raise serializers.ValidationError(
                    {"present": [_("Seuls les membres du comité peuvent être présents.")]}
                )
        with service_errors():
            committees.record_minutes(
                meeting=meeting,
                actor=acting_user(request),
                minutes=values.get("minutes", meeting.minutes),
                agenda=values.get("agenda", meeting.agenda),
                present=list(present),
            )
        return answer(MeetingSerializer, self.reread(meeting), created=False)


class DecisionSerializer(ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "owner", "due_on", "done_on"]
        read_only_fields = fields


class DecisionWriteSerializer(serializers.Serializer):
    meeting = id_field()
    text = CharField(max_length=500)
    owner = id_field(help_text=_("Un membre du comité."))
    due_on = serializers.DateField()


class DoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(allow_null=True, help_text=_("null : de nouveau à faire."))


@extend_schema_view(
    list=extend_schema(summary=_("Décisions des comités que vous voyez")),
    retrieve=extend_schema(summary=_("Une décision")),
    create=extend_schema(
        summary=_("Enregistrer une décision : porteur et échéance"),
        request=DecisionWriteSerializer,
        responses={201: DecisionSerializer},
    ),
)
class DecisionViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = DecisionSerializer
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_action(self) -> str | None:  # type: ignore[override]
        """Recording a decision is the organizers'; its owner marks it done, whatever their
        role (the service checks)."""
        return None if getattr(self, "action", None) == "done" else "partnerships.committees"

    def get_queryset(self):
        return Decision.objects.filter(
            meeting__committee__in=committees_visible_to(self.request.user)
        ).order_by("due_on", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(DecisionWriteSerializer)
        meeting = find(
            Meeting.objects.filter(committee__in=committees_visible_to(request.user)),
            values.pop("meeting"),
            field="meeting",
            message=_("Réunion inconnue."),
        )
        meeting = get_meeting_for_user(request.user, meeting.pk, manage=True)
        values["owner"] = find(
            CommitteeMember.objects.filter(committee=meeting.committee),
            values["owner"],
            field="owner",
            message=_("Le porteur est un membre du comité."),
        )
        with service_errors():
            decision = committees.add_decision(
                meeting=meeting, actor=acting_user(request), **values
            )
        return answer(DecisionSerializer, decision)

    @extend_schema(
        summary=_("Marquer la décision faite (son porteur ou l'animation du comité)"),
        request=DoneSerializer,
        responses={200: DecisionSerializer},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk=None) -> Response:
        decision = get_decision_for_user(request.user, pk)
        committees.require_may_close(acting_user(request), decision)  # before reading the body
        values = self.body(DoneSerializer)
        with service_errors():
            decision = committees.set_decision_done(
                decision=decision, done_on=values["done_on"], actor=acting_user(request)
            )
        return answer(DecisionSerializer, decision, created=False)


# --- Agreements between partners -----------------------------------------------------------------


class AgreementPartySerializer(ModelSerializer):
    class Meta:
        model = AgreementParty
        fields = ["organization", "role", "commitment", "amount_cents"]
        read_only_fields = fields


class GrantSerializer(serializers.Serializer):
    funder = serializers.IntegerField(source="funder_id")
    beneficiary = serializers.IntegerField(source="beneficiary_id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    total_cents = serializers.IntegerField()


class PartnerAgreementListSerializer(serializers.ListSerializer):
    """Reads the grants of all the agreements of a page at once (one query, whatever the size)."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        found = grants_for(row.pk for row in rows)
        for row in rows:
            row.grants = found.get(row.pk, [])
        return super().to_representation(rows)


class PartnerAgreementSerializer(ModelSerializer):
    parties = AgreementPartySerializer(many=True, read_only=True)
    grants = serializers.SerializerMethodField(
        help_text=_(
            "Les subventions rattachées (conventions de financement) : leur montant n'est tenu "
            "que là."
        )
    )

    @extend_schema_field(GrantSerializer(many=True))
    def get_grants(self, agreement: PartnerAgreement) -> Any:
        found = getattr(agreement, "grants", None)
        if found is None:
            found = grants_for([agreement.pk]).get(agreement.pk, [])
        return GrantSerializer(found, many=True).data

    class Meta:
        model = PartnerAgreement
        fields = [
            "id",
            "organization",
            "program",
            "title",
            "purpose",
            "starts_on",
            "ends_on",
            "renewal_notice_days",
            "signed_on",
            "signed_sha256",
            "parties",
            "grants",
        ]
        read_only_fields = fields
        list_serializer_class = PartnerAgreementListSerializer


class PartyWriteSerializer(serializers.Serializer):
    organization = id_field()
    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    commitment = CharField(max_length=1000, required=False, allow_blank=True)
    amount_cents = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**11 - 1
    )


class PartnerAgreementWriteSerializer(serializers.Serializer):
    title = CharField(max_length=200)
    purpose = CharField(max_length=5000)
    program = id_field(required=False, allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    renewal_notice_days = serializers.IntegerField(required=False, min_value=0, max_value=365)
    parties = PartyWriteSerializer(
        many=True, help_text=_("Les parties, dont votre structure avec son rôle (sinon : porteur).")
    )


class SignedPartnerAgreementSerializer(serializers.Serializer):
    file = serializers.FileField()
    signed_on = serializers.DateField()


@extend_schema_view(
    list=extend_schema(summary=_("Conventions de partenariat de vos structures")),
    retrieve=extend_schema(summary=_("Une convention de partenariat et ses parties")),
    create=extend_schema(
        summary=_("Enregistrer une convention de partenariat"),
        request=PartnerAgreementWriteSerializer,
        responses={201: PartnerAgreementSerializer},
    ),
)
class PartnerAgreementViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = PartnerAgreementSerializer
    http_method_names = ["get", "post", "head", "options"]

    write_action = "partnerships.agreements"

    def get_queryset(self):
        return (
            agreements_visible_to(self.request.user)
            .prefetch_related("parties")
            .order_by("-starts_on", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PartnerAgreementWriteSerializer)
        organization = request.membership.organization  # type: ignore[attr-defined]
        if values.get("program") is not None:
            values["program"] = find(
                Program.objects.all(),
                values["program"],
                field="program",
                message=_("Dispositif inconnu."),
            )
        parties = []
        for row in values.pop("parties"):
            parties.append(
                Party(
                    _organization(row["organization"], "parties"),
                    row["role"],
                    row.get("commitment", ""),
                    row.get("amount_cents"),
                )
            )
        with service_errors():
            agreement = agreements.create_agreement(
                organization=organization, parties=parties, actor=acting_user(request), **values
            )
        return answer(PartnerAgreementSerializer, self.reread(agreement))

    @extend_schema(
        summary=_("La convention en PDF, tirée de la version de son modèle"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk=None) -> HttpResponse:
        agreement = self.get_object()
        response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="convention-partenariat-{agreement.pk}.pdf"'
        )
        return response

    @extend_schema(
        methods=["GET"],
        summary=_("La convention signée (PDF)"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Joindre la convention signée (multipart/form-data)"),
        request={"multipart/form-data": SignedPartnerAgreementSerializer},
        responses={200: PartnerAgreementSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def signed(self, request: Request, pk=None) -> Any:
        if request.method == "GET":
            agreement = self.get_object()
            if not agreement.signed_document:
                raise NotFound(_("Aucune convention signée n'est jointe."))
            return documents.send_file(
                agreement.signed_document,
                "application/pdf",
                f"convention-partenariat-{agreement.pk}-signee.pdf",
            )
        agreement = get_agreement_for_user(request.user, pk, write=True)
        body = self.body(SignedPartnerAgreementSerializer)
        with service_errors():
            agreements.attach_signed(
                agreement=agreement,
                upload=body["file"],
                signed_on=body["signed_on"],
                actor=acting_user(request),
            )
        return answer(PartnerAgreementSerializer, self.reread(agreement), created=False)
