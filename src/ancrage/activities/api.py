"""API of collective actions, scoped like the pages; writes through ``activities.services``."""

from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.permissions import get_for_user, organization_for_write
from ancrage.activities import services
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Registration, Session
from ancrage.activities.queries import activities_with_figures
from ancrage.core.serializers import CharField, ModelSerializer, QueryFilter
from ancrage.core.viewsets import (
    WritableMixin,
    acting_user,
    answer,
    external_ref_field,
    find,
    id_field,
    service_errors,
)
from ancrage.housing.queries import bookable_spaces_of, residences_of
from ancrage.people.queries import people_visible_to
from ancrage.support.queries import active_desks


class ActivitySerializer(ModelSerializer):
    session_count = serializers.IntegerField(read_only=True)
    participant_count = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "description",
            "is_active",
            "residence",
            "proposed_by",
            "session_count",
            "participant_count",
        ]
        read_only_fields = fields

    def get_participant_count(self, activity) -> int:
        """Named participants plus head counts, over all sessions (a person counts once per session)."""
        return activity.named_count + activity.anonymous_total


class ActivityFilter(QueryFilter):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)


class ActivityWriteSerializer(serializers.Serializer):
    organization = id_field(
        required=False, help_text=_("La structure (facultatif si vous n'en avez qu'une).")
    )
    external_ref = external_ref_field(_("de l'action"))
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = CharField(max_length=200)
    description = CharField(required=False, allow_blank=True, max_length=2000)
    is_active = serializers.BooleanField(required=False)
    residence = id_field(
        required=False,
        allow_null=True,
        help_text=_("La résidence dont c'est une activité (vie de la résidence)."),
    )
    proposed_by = id_field(
        required=False, allow_null=True, help_text=_("Le ou la résident·e qui l'a proposée.")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Actions collectives des structures dont vous êtes dans l'équipe"),
        parameters=[ActivityFilter],
    ),
    retrieve=extend_schema(summary=_("Une action collective")),
    create=extend_schema(
        summary=_("Créer une action collective (atelier, information collective…)"),
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer, 200: ActivitySerializer},
    ),
    partial_update=extend_schema(
        summary=_("Modifier une action collective (ou la clore : is_active=false)"),
        request=ActivityWriteSerializer(partial=True),
        responses={200: ActivitySerializer},
    ),
)
class ActivityViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer
    write_action = "activities.manage"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ActivityWriteSerializer)
        values.pop("is_active", None)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="activities.manage"
            )
            sent = self.already_sent(
                Activity.objects.all(),
                values,
                ActivitySerializer,
                read=self.reread,
                organization=organization,
            )
            if sent is not None:
                return sent
            _resolve_residence(values, organization, actor)
            activity = services.create_activity(organization=organization, actor=actor, **values)
        return answer(ActivitySerializer, self.reread(activity))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = get_for_user(
            Activity.objects.visible_to(request.user),
            kwargs["pk"],
            request.user,
            action="activities.manage",
        )
        values = {
            key: value
            for key, value in self.body(ActivityWriteSerializer, partial=True).items()
            if key in ("kind", "title", "description", "is_active", "residence", "proposed_by")
        }
        _resolve_residence(values, activity.organization, acting_user(request))
        with service_errors():
            activity = services.update_activity(
                activity=activity, actor=acting_user(request), **values
            )
        return answer(ActivitySerializer, self.reread(activity), created=False)

    def get_queryset(self):
        filters = ActivityFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        activities = Activity.objects.visible_to(self.request.user)
        if "kind" in filters.validated_data:
            activities = activities.filter(kind=filters.validated_data["kind"])
        return activities_with_figures(activities).order_by("title", "id")


def _resolve_residence(values: dict[str, Any], organization, actor) -> None:
    """The residence and the proposing resident named by id, as records (400 naming the field
    when out of reach)."""
    if "residence" in values:
        values["residence"] = find(
            residences_of(organization),
            values["residence"],
            field="residence",
            message=_("Résidence introuvable dans cette structure."),
        )
    if "proposed_by" in values:
        values["proposed_by"] = find(
            people_visible_to(actor).filter(organization=organization),
            values["proposed_by"],
            field="proposed_by",
            message=_("Personne introuvable dans cette structure."),
        )


class SessionSerializer(ModelSerializer):
    attendees = serializers.SerializerMethodField()
    participant_count = serializers.SerializerMethodField()
    desk_name = CharField(source="desk.name", read_only=True, default=None, allow_null=True)
    space = serializers.IntegerField(
        source="space_booking.space_id",
        read_only=True,
        default=None,
        allow_null=True,
        help_text=_("L'espace commun où la séance a son créneau."),
    )
    registered = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "activity",
            "starts_at",
            "duration_minutes",
            "place",
            "desk",
            "desk_name",
            "space",
            "registered",
            "attendees",
            "anonymous_count",
            "participant_count",
        ]
        read_only_fields = fields

    def get_registered(self, session) -> list[int]:
        """Ids of the persons signed up."""
        return [registration.person_id for registration in session.registrations.all()]

    def get_attendees(self, session) -> list[int]:
        """Ids of the persons recorded as present (see ``persons``)."""
        return [attendance.person_id for attendance in session.attendances.all()]

    def get_participant_count(self, session) -> int:
        return len(session.attendances.all()) + session.anonymous_count


class SessionFilter(QueryFilter):
    activity = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    since = serializers.DateTimeField(
        required=False, help_text=_("Séances à partir de cette date.")
    )


class SessionWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de la séance"))
    activity = id_field()
    starts_at = serializers.DateTimeField(
        help_text=_("Date et heure réelles (une séance passée reprend un historique).")
    )
    duration_minutes = serializers.IntegerField(
        min_value=5, max_value=24 * 60, required=False, default=120
    )
    place = CharField(required=False, allow_blank=True, max_length=200, default="")
    desk = id_field(required=False, allow_null=True)
    space = id_field(
        required=False,
        allow_null=True,
        help_text=_("Un espace commun de vos résidences : le créneau y est réservé (ou refusé)."),
    )
    note = CharField(required=False, allow_blank=True, max_length=300, default="")


class AttendanceWriteSerializer(serializers.Serializer):
    person = id_field(help_text=_("Une personne suivie par la structure qui anime la séance."))


class AttendancesWriteSerializer(serializers.Serializer):
    persons = serializers.ListField(
        child=id_field(),
        min_length=1,
        max_length=500,
        help_text=_("Les personnes présentes, suivies par la structure qui anime la séance."),
    )


class HeadCountSerializer(serializers.Serializer):
    anonymous_count = serializers.IntegerField(
        min_value=0,
        max_value=10000,
        help_text=_("Participant·es venu·es sans être nommé·es (un forum, une information)."),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Séances des actions collectives visibles"), parameters=[SessionFilter]
    ),
    retrieve=extend_schema(summary=_("Une séance, ses présences et son nombre de participant·es")),
    create=extend_schema(
        summary=_("Programmer une séance (ou reprendre une séance passée)"),
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, 200: SessionSerializer},
    ),
)
class SessionViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer
    write_action = "activities.manage"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(SessionWriteSerializer)
        actor = acting_user(request)
        activity = find(
            Activity.objects.visible_to(actor),
            values.pop("activity"),
            field="activity",
            message=_("Action collective introuvable dans vos structures."),
        )
        sent = self.already_sent(
            Session.objects.all(),
            values,
            SessionSerializer,
            read=self.reread,
            organization_id=activity.organization_id,
        )
        if sent is not None:
            return sent
        values["desk"] = find(
            active_desks(activity.organization),
            values.get("desk"),
            field="desk",
            message=_("Permanence introuvable dans cette structure."),
        )
        values["space"] = find(
            bookable_spaces_of(activity.organization),
            values.get("space"),
            field="space",
            message=_("Espace commun introuvable, fermé ou sans réservation dans cette structure."),
        )
        with service_errors():
            session = services.schedule_session(activity=activity, actor=actor, **values)
        return answer(SessionSerializer, self.reread(session))

    def _managed(self, request: Request, pk) -> Session:
        return get_for_user(
            Session.objects.visible_to(request.user).select_related("activity"),
            pk,
            request.user,
            action="activities.manage",
        )

    @extend_schema(
        summary=_("Noter une personne présente (déjà notée : la séance est rendue telle quelle)"),
        request=AttendanceWriteSerializer,
        responses={201: SessionSerializer, 200: SessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def attendances(self, request: Request, pk=None) -> Response:
        session = self._managed(request, pk)
        body = self.body(AttendanceWriteSerializer)
        actor = acting_user(request)
        person = find(
            people_visible_to(actor).filter(organization_id=session.organization_id),
            body["person"],
            field="person",
            message=_("Cette personne n'est pas suivie par votre structure."),
        )
        if Attendance.objects.filter(session=session, person=person).exists():
            return answer(SessionSerializer, self.reread(session), created=False)
        with service_errors():
            services.record_attendance(session=session, person=person, actor=actor)
        return answer(SessionSerializer, self.reread(session))

    @extend_schema(
        summary=_(
            "Noter plusieurs personnes présentes d'un coup (toutes ou aucune ; celles déjà "
            "notées restent telles quelles)"
        ),
        request=AttendancesWriteSerializer,
        responses={201: SessionSerializer, 200: SessionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="attendances/bulk")
    def attendances_bulk(self, request: Request, pk=None) -> Response:
        session = self._managed(request, pk)
        body = self.body(AttendancesWriteSerializer)
        actor = acting_user(request)
        wanted = set(body["persons"])
        people = list(
            people_visible_to(actor).filter(organization_id=session.organization_id, pk__in=wanted)
        )
        if len(people) != len(wanted):
            raise serializers.ValidationError(
                {"persons": [_("Cette personne n'est pas suivie par votre structure.")]}
            )
        with service_errors():
            created = services.record_attendances(session=session, people=people, actor=actor)
        return answer(SessionSerializer, self.reread(session), created=bool(created))

    @extend_schema(
        summary=_("Retirer une présence notée par erreur"),
        request=None,
        responses={204: OpenApiResponse(description=_("Présence retirée."))},
    )
    @action(detail=True, methods=["delete"], url_path=r"attendances/(?P<person_id>[0-9]{1,18})")
    def remove_attendance(self, request: Request, pk=None, person_id=None) -> Response:
        session = self._managed(request, pk)
        attendance = Attendance.objects.filter(session=session, person_id=person_id).first()
        if attendance is None:
            raise Http404
        services.remove_attendance(attendance=attendance, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Inscrire une personne à une séance à venir (dans la limite des places)"),
        request=AttendanceWriteSerializer,
        responses={201: SessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def registrations(self, request: Request, pk=None) -> Response:
        session = self._managed(request, pk)
        body = self.body(AttendanceWriteSerializer)
        actor = acting_user(request)
        person = find(
            people_visible_to(actor).filter(organization_id=session.organization_id),
            body["person"],
            field="person",
            message=_("Cette personne n'est pas suivie par votre structure."),
        )
        with service_errors():
            services.register(session=session, person=person, actor=actor)
        return answer(SessionSerializer, self.reread(session))

    @extend_schema(
        summary=_("Désinscrire une personne"),
        request=None,
        responses={204: OpenApiResponse(description=_("Inscription retirée."))},
    )
    @action(detail=True, methods=["delete"], url_path=r"registrations/(?P<person_id>[0-9]{1,18})")
    def remove_registration(self, request: Request, pk=None, person_id=None) -> Response:
        session = self._managed(request, pk)
        registration = Registration.objects.filter(session=session, person_id=person_id).first()
        if registration is None:
            raise Http404
        services.unregister(registration=registration, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Supprimer une séance sans présence notée (son créneau est libéré)"),
        responses={204: OpenApiResponse(description=_("Séance supprimée."))},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self._managed(request, kwargs["pk"])
        with service_errors():
            services.cancel_session(session=session, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Nombre de participant·es non nommé·es"),
        request=HeadCountSerializer,
        responses={200: SessionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="head-count")
    def head_count(self, request: Request, pk=None) -> Response:
        session = self._managed(request, pk)
        body = self.body(HeadCountSerializer)
        with service_errors():
            services.set_anonymous_count(
                session=session,
                count=body["anonymous_count"],
                actor=acting_user(request),
            )
        return answer(SessionSerializer, self.reread(session), created=False)

    @staticmethod
    def _with_attendances(sessions):
        return sessions.select_related("desk", "space_booking").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.order_by("id")),
            Prefetch("registrations", queryset=Registration.objects.order_by("id")),
        )

    def get_queryset(self):
        filters = SessionFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        sessions = self._with_attendances(Session.objects.visible_to(self.request.user))
        if "activity" in data:
            sessions = sessions.filter(activity_id=data["activity"])
        if "since" in data:
            sessions = sessions.filter(starts_at__gte=data["since"])
        return sessions.order_by("-starts_at", "-id")
