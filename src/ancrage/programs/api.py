"""API of programs: those the user's organizations run, take part in or fund (as the page)."""

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.permissions import organizations_where
from ancrage.accounts.queries import memberships_of
from ancrage.core.serializers import CharField, ModelSerializer
from ancrage.core.viewsets import WritableMixin, acting_user, answer, id_field, service_errors
from ancrage.programs import services
from ancrage.programs.models import Program, ProgramContact, ProgramParticipant


class ParticipantSerializer(ModelSerializer):
    organization_name = CharField(source="organization.name", read_only=True)

    class Meta:
        model = ProgramParticipant
        fields = ["organization", "organization_name", "role"]
        read_only_fields = fields


class ProgramSerializer(ModelSerializer):
    territory_code = CharField(
        source="territory.code", read_only=True, default=None, allow_null=True
    )
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "territory_code",
            "starts_on",
            "ends_on",
            "participants",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary=_(
            "Dispositifs que vos structures portent, auxquels elles participent ou financent"
        ),
        description=_(
            "Les dispositifs sont créés par l'exploitation de la plateforme ; leur identifiant "
            "sert au champ « program » des accompagnements."
        ),
    ),
    retrieve=extend_schema(summary=_("Un dispositif et ses participants")),
)
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgramSerializer

    def get_queryset(self):
        organizations = [m.organization_id for m in memberships_of(self.request.user)]
        return (
            Program.objects.filter(participants__organization__in=organizations)
            .select_related("territory")
            .prefetch_related(
                Prefetch(
                    "participants",
                    queryset=ProgramParticipant.objects.select_related("organization").order_by(
                        "role", "organization__name"
                    ),
                )
            )
            .distinct()
            .order_by("name", "id")
        )


class ProgramContactSerializer(ModelSerializer):
    program = serializers.IntegerField(source="participant.program_id", read_only=True)
    organization = serializers.IntegerField(source="participant.organization_id", read_only=True)
    role = serializers.CharField(source="participant.role", read_only=True)

    class Meta:
        model = ProgramContact
        fields = [
            "id",
            "program",
            "organization",
            "role",
            "name",
            "function",
            "email",
            "phone",
            "since",
            "until",
        ]
        read_only_fields = fields


class ProgramContactWriteSerializer(serializers.Serializer):
    program = id_field()
    organization = id_field(help_text=_("Une structure du dispositif."))
    name = CharField(max_length=150)
    function = CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = CharField(max_length=30, required=False, allow_blank=True)
    since = serializers.DateField(required=False)


class ContactEndSerializer(serializers.Serializer):
    until = serializers.DateField(allow_null=True, help_text=_("null : de nouveau en fonction."))


@extend_schema_view(
    list=extend_schema(summary=_("Contacts du réseau des dispositifs de vos structures")),
    retrieve=extend_schema(summary=_("Un contact du réseau")),
    create=extend_schema(
        summary=_("Ajouter un contact (le porteur, ou la structure elle-même)"),
        request=ProgramContactWriteSerializer,
        responses={201: ProgramContactSerializer},
    ),
)
class ProgramContactViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgramContactSerializer
    write_action = "programs.network"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        visible = organizations_where(self.request.user, "programs.view")
        return (
            ProgramContact.objects.filter(
                participant__program__participants__organization_id__in=visible
            )
            .select_related("participant")
            .distinct()
            .order_by("participant__program_id", "participant_id", "until", "-since", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ProgramContactWriteSerializer)
        participant = (
            ProgramParticipant.objects.filter(
                program_id=values.pop("program"),
                organization_id=values.pop("organization"),
                program__participants__organization_id__in=organizations_where(
                    request.user, "programs.view"
                ),
            )
            .select_related("program")
            .first()
        )
        if participant is None:
            raise serializers.ValidationError(
                {"organization": [_("Structure inconnue dans ce dispositif.")]}
            )
        with service_errors():
            contact = services.add_contact(
                participant=participant, actor=acting_user(request), **values
            )
        return answer(ProgramContactSerializer, contact)

    @extend_schema(
        summary=_("Passage de relais : le contact reste dans l'historique"),
        request=ContactEndSerializer,
        responses={200: ProgramContactSerializer},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        contact = self.get_object()
        values = self.body(ContactEndSerializer)
        with service_errors():
            contact = services.end_contact(
                contact=contact, until=values["until"], actor=acting_user(request)
            )
        return answer(ProgramContactSerializer, contact, created=False)
