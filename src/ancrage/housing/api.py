"""API of housing, scoped like the pages; every write goes through the pages' services."""

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import get_for_user, organization_for_write
from ancrage.core.models import Territory
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
from ancrage.housing import services
from ancrage.housing.enums import (
    Accessibility,
    AllowanceSource,
    ApplicationClosing,
    BookingStatus,
    CommonSpaceKind,
    Granularity,
    InspectionKind,
    ItemCondition,
    LeaseKind,
    PaymentMethod,
    ResidenceKind,
    RhythmTemplate,
    Typology,
    UnitStatus,
)
from ancrage.housing.models import (
    MAX_INSPECTION_ITEMS,
    Bed,
    Booking,
    BookingPeriod,
    Charge,
    HousingApplication,
    Inspection,
    InspectionItem,
    Lease,
    Payment,
    Residence,
    Rhythm,
    SchoolCalendar,
    SlideCondition,
    ThirdPartyPayment,
    Unit,
)
from ancrage.housing.queries import (
    get_booking_for_user,
    get_lease_for_user,
    get_residence_for_user,
)
from ancrage.people.api import person_in_reach

COMMUNE_CODE = r"^[0-9][0-9AB][0-9]{3}$"


def money(**kwargs: Any) -> serializers.DecimalField:
    """An amount in euros, not negative."""
    return serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal(0), **kwargs)


def _commune(code: str) -> Territory | None:
    if not code:
        return None
    commune = Territory.objects.communes().filter(code=code).first()
    if commune is None:
        raise serializers.ValidationError(
            {"commune_code": [_("Commune inconnue : %(code)s.") % {"code": code}]}
        )
    return commune


class ResidenceSerializer(ModelSerializer):
    commune_code = CharField(source="commune.code", read_only=True, default=None, allow_null=True)
    common_spaces = serializers.ListField(
        child=CharField(),
        source="space_kinds",
        read_only=True,
        help_text=_("Les types de ses espaces communs ouverts (le détail : common-spaces)."),
    )

    class Meta:
        model = Residence
        fields = [
            "id",
            "organization",
            "landlord",
            "name",
            "kind",
            "address",
            "commune_code",
            "common_spaces",
            "staff_presence",
        ]
        read_only_fields = fields


class ResidenceWriteSerializer(serializers.Serializer):
    organization = id_field(required=False, help_text=_("La structure gestionnaire."))
    external_ref = external_ref_field(_("de la résidence"))
    name = CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ResidenceKind.choices)
    landlord = id_field(required=False, allow_null=True, help_text=_("Le bailleur."))
    address = CharField(required=False, allow_blank=True, max_length=300, default="")
    commune_code = serializers.RegexField(COMMUNE_CODE, required=False, allow_blank=True)
    common_spaces = serializers.ListField(
        child=serializers.ChoiceField(choices=CommonSpaceKind.choices), required=False, default=list
    )
    staff_presence = CharField(required=False, allow_blank=True, max_length=300, default="")
    house_rules = CharField(required=False, allow_blank=True, max_length=4000, default="")


class ChargeSerializer(ModelSerializer):
    class Meta:
        model = Charge
        fields = ["id", "booking", "person", "month", "label", "amount"]
        read_only_fields = fields


class ChargesRequestSerializer(serializers.Serializer):
    through = serializers.DateField(help_text=_("Jusqu'à ce mois compris."))


class ChargeListSerializer(serializers.Serializer):
    created = ChargeSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary=_("Résidences des structures dont vous êtes dans l'équipe")),
    retrieve=extend_schema(summary=_("Une résidence")),
    create=extend_schema(
        summary=_("Créer une résidence"),
        request=ResidenceWriteSerializer,
        responses={201: ResidenceSerializer, 200: ResidenceSerializer},
    ),
)
class ResidenceViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResidenceSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ResidenceWriteSerializer)
        actor = acting_user(request)
        with service_errors():
            organization = organization_for_write(
                actor, values.pop("organization", None), action="housing.manage"
            )
            sent = self.already_sent(
                Residence.objects.all(),
                values,
                ResidenceSerializer,
                read=self.reread,
                organization=organization,
            )
            if sent is not None:
                return sent
            values["commune"] = _commune(values.pop("commune_code", ""))
            values["landlord"] = find(
                Organization.objects.filter(is_active=True),
                values.get("landlord"),
                field="landlord",
                message=_("Bailleur introuvable."),
            )
            residence = services.create_residence(organization=organization, actor=actor, **values)
        return answer(ResidenceSerializer, self.reread(residence))

    @extend_schema(
        summary=_(
            "Émettre les échéances de toutes les réservations en cours de la résidence jusqu'à un "
            "mois (toutes ou aucune)"
        ),
        request=ChargesRequestSerializer,
        responses={200: ChargeListSerializer},
    )
    @action(detail=True, methods=["post"], url_path="generate-charges")
    def generate_charges(self, request: Request, pk=None) -> Response:
        residence = get_residence_for_user(request.user, pk, write=True)
        body = self.body(ChargesRequestSerializer)
        with service_errors():
            created = services.generate_residence_charges(
                residence=residence, through=body["through"], actor=acting_user(request)
            )
        return Response({"created": ChargeSerializer(created, many=True).data})

    def get_queryset(self):
        return (
            Residence.objects.visible_to(self.request.user)
            .select_related("commune")
            .prefetch_related("spaces")
            .order_by("name", "id")
        )


class BedSerializer(ModelSerializer):
    class Meta:
        model = Bed
        fields = ["id", "label"]
        read_only_fields = fields


class UnitSerializer(ModelSerializer):
    beds = BedSerializer(many=True, read_only=True)
    accessibility = serializers.ListField(child=CharField(), read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "residence",
            "reference",
            "typology",
            "surface",
            "floor",
            "furnished",
            "accessibility",
            "monthly_rent",
            "monthly_charges",
            "weekly_price",
            "deposit",
            "status",
            "in_service_on",
            "out_of_service_on",
            "beds",
        ]
        read_only_fields = fields


class UnitServiceSerializer(serializers.Serializer):
    in_service_on = serializers.DateField(
        allow_null=True, help_text=_("En service depuis le (null : depuis toujours).")
    )
    out_of_service_on = serializers.DateField(
        allow_null=True, help_text=_("Hors service à partir du (null : toujours en service).")
    )


class UnitFilter(QueryFilter):
    residence = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class UnitWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("du logement"))
    residence = id_field()
    reference = CharField(max_length=50, help_text=_("Le numéro du logement."))
    typology = serializers.ChoiceField(choices=Typology.choices)
    monthly_rent = money()
    beds = serializers.IntegerField(min_value=1, max_value=12, required=False, default=1)
    surface = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal(1), required=False, allow_null=True
    )
    floor = serializers.IntegerField(min_value=-5, max_value=60, required=False, allow_null=True)
    furnished = serializers.BooleanField(required=False)
    accessibility = serializers.ListField(
        child=serializers.ChoiceField(choices=Accessibility.choices), required=False, default=list
    )
    monthly_charges = money(required=False)
    weekly_price = money(required=False, allow_null=True)
    deposit = money(required=False)
    status = serializers.ChoiceField(choices=UnitStatus.choices, required=False)
    in_service_on = serializers.DateField(required=False, allow_null=True)
    out_of_service_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(summary=_("Logements et leurs lits"), parameters=[UnitFilter]),
    retrieve=extend_schema(summary=_("Un logement")),
    create=extend_schema(
        summary=_("Ajouter un logement (et ses lits) à une résidence"),
        request=UnitWriteSerializer,
        responses={201: UnitSerializer, 200: UnitSerializer},
    ),
)
class UnitViewSet(WritableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(UnitWriteSerializer)
        actor = acting_user(request)
        residence = find(
            Residence.objects.visible_to(actor),
            values.pop("residence"),
            field="residence",
            message=_("Résidence introuvable dans vos structures."),
        )
        sent = self.already_sent(
            Unit.objects.all(),
            values,
            UnitSerializer,
            read=self.reread,
            organization=residence.organization,
        )
        if sent is not None:
            return sent
        with service_errors():
            unit = services.create_unit(residence=residence, actor=actor, **values)
        return answer(UnitSerializer, self.reread(unit))

    @extend_schema(
        summary=_("Dates de service d'un logement (les semaines qui comptent dans l'occupation)"),
        request=UnitServiceSerializer,
        responses={200: UnitSerializer},
    )
    @action(detail=True, methods=["post"])
    def service(self, request: Request, pk=None) -> Response:
        unit = get_for_user(
            Unit.objects.visible_to(request.user), pk, request.user, action="housing.manage"
        )
        body = self.body(UnitServiceSerializer)
        with service_errors():
            services.set_unit_service(unit=unit, actor=acting_user(request), **body)
        return answer(UnitSerializer, self.reread(unit), created=False)

    def get_queryset(self):
        filters = UnitFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        units = Unit.objects.visible_to(self.request.user).prefetch_related("beds")
        if "residence" in filters.validated_data:
            units = units.filter(residence_id=filters.validated_data["residence"])
        return units.order_by("residence_id", "reference", "id")


class RhythmSerializer(ModelSerializer):
    school_weeks = serializers.SerializerMethodField()

    class Meta:
        model = Rhythm
        fields = [
            "id",
            "person",
            "name",
            "template",
            "first_school_week",
            "ends_on",
            "school_weeks",
        ]
        read_only_fields = fields

    def get_school_weeks(self, rhythm) -> list[str]:
        """Mondays of the school weeks (ISO dates)."""
        return [monday.isoformat() for monday in rhythm.school_weeks()]


class RhythmWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("du rythme"))
    person = id_field()
    name = CharField(max_length=100, help_text=_("Le diplôme ou la classe."))
    template = serializers.ChoiceField(choices=RhythmTemplate.choices)
    first_school_week = serializers.DateField(
        help_text=_("Un jour de la première semaine à l'école.")
    )
    ends_on = serializers.DateField()
    custom_weeks = serializers.ListField(
        child=serializers.DateField(), required=False, default=list, max_length=60
    )
    calendar = id_field(
        required=False,
        allow_null=True,
        help_text=_("Le calendrier d'école importé, pour le rythme « calendar »."),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Rythmes d'alternance")),
    retrieve=extend_schema(summary=_("Un rythme et ses semaines à l'école")),
    create=extend_schema(
        summary=_("Créer le rythme d'alternance d'une personne"),
        request=RhythmWriteSerializer,
        responses={201: RhythmSerializer, 200: RhythmSerializer},
    ),
)
class RhythmViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = RhythmSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(RhythmWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            Rhythm.objects.all(), values, RhythmSerializer, organization=person.organization
        )
        if sent is not None:
            return sent
        values["calendar"] = find(
            SchoolCalendar.objects.visible_to(actor).filter(organization=person.organization),
            values.get("calendar"),
            field="calendar",
            message=_("Calendrier d'école inconnu dans la structure de la personne."),
        )
        with service_errors():
            rhythm = services.create_rhythm(person=person, actor=actor, **values)
        return answer(RhythmSerializer, rhythm)

    def get_queryset(self):
        return Rhythm.objects.visible_to(self.request.user).order_by("-first_school_week", "id")


class SchoolCalendarSerializer(ModelSerializer):
    class Meta:
        model = SchoolCalendar
        fields = ["id", "organization", "school", "name", "weeks"]
        read_only_fields = fields


class SchoolCalendarFilter(QueryFilter):
    school = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@extend_schema_view(
    list=extend_schema(
        summary=_("Calendriers d'école importés (semaines à l'école, lundis ISO)"),
        parameters=[SchoolCalendarFilter],
    ),
    retrieve=extend_schema(summary=_("Un calendrier d'école")),
)
class SchoolCalendarViewSet(AuditedReadOnlyViewSet):
    """The school calendars of the user's organizations (imported in the pages, from CSV or iCal);
    a rhythm « calendar » names one."""

    serializer_class = SchoolCalendarSerializer

    def get_queryset(self):
        calendars = SchoolCalendar.objects.visible_to(self.request.user).order_by("name", "id")
        if self.action == "list":
            filters = SchoolCalendarFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "school" in filters.validated_data:
                calendars = calendars.filter(school_id=filters.validated_data["school"])
        return calendars


class PeriodSerializer(ModelSerializer):
    class Meta:
        model = BookingPeriod
        fields = ["starts_on", "ends_on"]
        read_only_fields = fields


class BookingSerializer(ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)
    unit = serializers.IntegerField(source="bed.unit_id", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "person",
            "unit",
            "bed",
            "granularity",
            "status",
            "rhythm",
            "starts_on",
            "ends_on",
            "periods",
        ]
        read_only_fields = fields


class BookingFilter(QueryFilter):
    status = serializers.ChoiceField(choices=BookingStatus.choices, required=False)
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class BookingWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de la réservation"))
    person = id_field()
    bed = id_field()
    granularity = serializers.ChoiceField(
        choices=Granularity.choices,
        help_text=_(
            "weeks : les semaines données (ou celles du rythme entre start et end) ; months : "
            "months mois entiers à partir de first_month ; open : à partir de starts_on, sans fin."
        ),
    )
    weeks = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        max_length=104,
        help_text=_("Un jour de chaque semaine réservée."),
    )
    rhythm = id_field(required=False, allow_null=True)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    arrives_on = serializers.DateField(required=False, allow_null=True)
    first_month = serializers.DateField(required=False)
    months = serializers.IntegerField(required=False, min_value=1, max_value=36)
    starts_on = serializers.DateField(required=False)
    note = CharField(required=False, allow_blank=True, max_length=300, default="")
    application = id_field(
        required=False, allow_null=True, help_text=_("La demande de logement que cela satisfait.")
    )

    def validate(self, data):
        needed = {
            Granularity.WEEKS: ["weeks"] if not data.get("rhythm") else ["start", "end"],
            Granularity.MONTHS: ["first_month", "months"],
            Granularity.OPEN: ["starts_on"],
        }[data["granularity"]]
        missing = {name: [_("Obligatoire pour ce mode.")] for name in needed if name not in data}
        if missing:
            raise serializers.ValidationError(missing)
        return data


@extend_schema_view(
    list=extend_schema(summary=_("Réservations et leurs périodes"), parameters=[BookingFilter]),
    retrieve=extend_schema(summary=_("Une réservation")),
    create=extend_schema(
        summary=_("Réserver un lit (semaines, rythme, mois ou sans fin)"),
        request=BookingWriteSerializer,
        responses={201: BookingSerializer, 200: BookingSerializer},
    ),
)
class BookingViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = BookingSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(BookingWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values["person"])
        sent = self.already_sent(
            Booking.objects.all(),
            values,
            BookingSerializer,
            read=self.reread,
            organization=person.organization,
        )
        if sent is not None:
            return sent
        bed = find(
            Bed.objects.filter(unit__in=Unit.objects.visible_to(actor)).select_related("unit"),
            values["bed"],
            field="bed",
            message=_("Lit introuvable dans vos résidences."),
        )
        rhythm = find(
            Rhythm.objects.filter(person=person),
            values.get("rhythm"),
            field="rhythm",
            message=_("Rythme introuvable pour cette personne."),
        )
        application = find(
            HousingApplication.objects.visible_to(actor),
            values.get("application"),
            field="application",
            message=_("Demande de logement introuvable."),
        )
        common = {
            "person": person,
            "bed": bed,
            "actor": actor,
            "application": application,
            "external_ref": values.get("external_ref", ""),
        }
        granularity = values["granularity"]
        with service_errors():
            if granularity == Granularity.WEEKS and rhythm is not None:
                booking = services.book_rhythm(
                    rhythm=rhythm, start=values["start"], end=values["end"], **common
                )
            elif granularity == Granularity.WEEKS:
                booking = services.book_weeks(
                    weeks=values["weeks"],
                    arrives_on=values.get("arrives_on"),
                    note=values["note"],
                    **common,
                )
            elif granularity == Granularity.MONTHS:
                booking = services.book_months(
                    first_month=values["first_month"],
                    months=values["months"],
                    note=values["note"],
                    **common,
                )
            else:
                booking = services.book_open_ended(
                    starts_on=values["starts_on"], note=values["note"], **common
                )
        return answer(BookingSerializer, self.reread(booking))

    @extend_schema(
        summary=_("Annuler la réservation"), request=None, responses={200: BookingSerializer}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        booking = get_booking_for_user(request.user, pk, write=True)
        with service_errors():
            services.cancel_booking(booking=booking, actor=acting_user(request))
        return answer(BookingSerializer, self.reread(booking), created=False)

    @extend_schema(
        summary=_("Rétablir une réservation annulée (si le lit est libre)"),
        request=None,
        responses={200: BookingSerializer},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk=None) -> Response:
        booking = get_booking_for_user(request.user, pk, write=True)
        with service_errors():
            services.restore_booking(booking=booking, actor=acting_user(request))
        return answer(BookingSerializer, self.reread(booking), created=False)

    @extend_schema(
        summary=_("Émettre les échéances de la réservation jusqu'à un mois"),
        request=ChargesRequestSerializer,
        responses={200: ChargeListSerializer},
    )
    @action(detail=True, methods=["post"], url_path="generate-charges")
    def generate_charges(self, request: Request, pk=None) -> Response:
        booking = get_booking_for_user(request.user, pk, write=True)
        body = self.body(ChargesRequestSerializer)
        with service_errors():
            created = services.generate_charges(
                booking=booking, through=body["through"], actor=acting_user(request)
            )
        return Response({"created": ChargeSerializer(created, many=True).data})

    def get_queryset(self):
        filters = BookingFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        bookings = (
            Booking.objects.visible_to(self.request.user)
            .select_related("bed")
            .prefetch_related(
                Prefetch("periods", queryset=BookingPeriod.objects.order_by("starts_on"))
            )
        )
        for key in ("status", "person"):
            if key in filters.validated_data:
                bookings = bookings.filter(**{key: filters.validated_data[key]})
        return bookings.order_by("starts_on", "id")


class SlideConditionSerializer(ModelSerializer):
    class Meta:
        model = SlideCondition
        fields = ["label", "met_on"]
        read_only_fields = fields


class LeaseSerializer(ModelSerializer):
    conditions = SlideConditionSerializer(many=True, read_only=True)

    class Meta:
        model = Lease
        fields = [
            "id",
            "person",
            "unit",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "monthly_rent",
            "monthly_charges",
            "deposit",
            "is_sliding",
            "planned_slide_on",
            "signed_on",
            "slid_on",
            "slid_into",
            "conditions",
        ]
        read_only_fields = fields


class LeaseWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("du bail"))
    person = id_field()
    unit = id_field()
    kind = serializers.ChoiceField(choices=LeaseKind.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    is_sliding = serializers.BooleanField(required=False, default=False)
    planned_slide_on = serializers.DateField(required=False, allow_null=True)
    bookings = serializers.ListField(child=id_field(), required=False, default=list, max_length=20)


class DaySerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("Date réelle (pas dans le futur)."))


class ConditionSerializer(serializers.Serializer):
    condition = id_field(help_text=_("Une condition du bail glissant (son numéro)."))
    met_on = serializers.DateField(
        allow_null=True, help_text=_("Remplie le (pas dans le futur) ; null : pas encore.")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Baux, dont les baux glissants et leurs conditions")),
    retrieve=extend_schema(summary=_("Un bail")),
    create=extend_schema(
        summary=_("Préparer un bail (brouillon, à signer ensuite)"),
        request=LeaseWriteSerializer,
        responses={201: LeaseSerializer, 200: LeaseSerializer},
    ),
)
class LeaseViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = LeaseSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(LeaseWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            Lease.objects.all(),
            values,
            LeaseSerializer,
            read=self.reread,
            organization=person.organization,
        )
        if sent is not None:
            return sent
        values["unit"] = find(
            Unit.objects.visible_to(actor),
            values["unit"],
            field="unit",
            message=_("Logement introuvable dans vos résidences."),
        )
        wanted = values.pop("bookings")
        bookings = list(Booking.objects.visible_to(actor).filter(person=person, pk__in=wanted))
        if len(bookings) != len(set(wanted)):
            raise serializers.ValidationError(
                {"bookings": [_("Réservation introuvable pour cette personne.")]}
            )
        with service_errors():
            lease = services.prepare_lease(person=person, actor=actor, bookings=bookings, **values)
        return answer(LeaseSerializer, self.reread(lease))

    def _transition(self, request: Request, pk, service, field: str) -> Response:
        lease = get_lease_for_user(request.user, pk, write=True)
        body = self.body(DaySerializer)
        with service_errors():
            service(lease=lease, actor=acting_user(request), **{field: body["on"]})
        return answer(LeaseSerializer, self.reread(lease), created=False)

    @extend_schema(
        summary=_("Signer le bail"), request=DaySerializer, responses={200: LeaseSerializer}
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk=None) -> Response:
        return self._transition(request, pk, services.sign_lease, "signed_on")

    @extend_schema(
        summary=_("Mettre fin au bail"), request=DaySerializer, responses={200: LeaseSerializer}
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        return self._transition(request, pk, services.end_lease, "on")

    @extend_schema(
        summary=_("Faire glisser le bail au nom de l'occupant·e (conditions remplies)"),
        request=DaySerializer,
        responses={200: LeaseSerializer},
    )
    @action(detail=True, methods=["post"])
    def slide(self, request: Request, pk=None) -> Response:
        return self._transition(request, pk, services.slide_lease, "on")

    @extend_schema(
        summary=_("Cocher ou décocher une condition du glissement"),
        request=ConditionSerializer,
        responses={200: LeaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="set-condition")
    def set_condition(self, request: Request, pk=None) -> Response:
        lease = get_lease_for_user(request.user, pk, write=True)
        body = self.body(ConditionSerializer)
        condition = find(
            lease.conditions.all(),
            body["condition"],
            field="condition",
            message=_("Condition introuvable sur ce bail."),
        )
        with service_errors():
            services.set_slide_condition(
                condition=condition,
                met_on=body["met_on"],
                actor=acting_user(request),
            )
        return answer(LeaseSerializer, self.reread(lease), created=False)

    def get_queryset(self):
        return (
            Lease.objects.visible_to(self.request.user)
            .prefetch_related("conditions")
            .order_by("-starts_on", "id")
        )


class InspectionItemSerializer(ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = ["room", "element", "condition", "comment"]
        read_only_fields = fields


class InspectionSerializer(ModelSerializer):
    items = InspectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "unit", "person", "lease", "kind", "done_on", "entry", "items"]
        read_only_fields = fields


class InspectionItemWriteSerializer(serializers.Serializer):
    room = CharField(max_length=100)
    element = CharField(max_length=100)
    condition = serializers.ChoiceField(choices=ItemCondition.choices)
    comment = CharField(required=False, allow_blank=True, max_length=300, default="")


class InspectionWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de l'état des lieux"))
    unit = id_field()
    person = id_field()
    lease = id_field(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    done_on = serializers.DateField(help_text=_("Date réelle (pas dans le futur)."))
    items = InspectionItemWriteSerializer(many=True, min_length=1, max_length=MAX_INSPECTION_ITEMS)  # type: ignore[call-arg]  # passed to the ListSerializer
    note = CharField(required=False, allow_blank=True, max_length=1000, default="")


@extend_schema_view(
    list=extend_schema(summary=_("États des lieux d'entrée et de sortie")),
    retrieve=extend_schema(summary=_("Un état des lieux, pièce par pièce")),
    create=extend_schema(
        summary=_("Enregistrer un état des lieux, pièce par pièce"),
        request=InspectionWriteSerializer,
        responses={201: InspectionSerializer, 200: InspectionSerializer},
    ),
)
class InspectionViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = InspectionSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(InspectionWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            Inspection.objects.all(),
            values,
            InspectionSerializer,
            read=self.reread,
            organization=person.organization,
        )
        if sent is not None:
            return sent
        values["unit"] = find(
            Unit.objects.visible_to(actor),
            values["unit"],
            field="unit",
            message=_("Logement introuvable dans vos résidences."),
        )
        values["lease"] = find(
            Lease.objects.visible_to(actor).filter(person=person),
            values.get("lease"),
            field="lease",
            message=_("Bail introuvable pour cette personne."),
        )
        values["items"] = [dict(item) for item in values["items"]]
        with service_errors():
            inspection = services.record_inspection(person=person, actor=actor, **values)
        return answer(InspectionSerializer, self.reread(inspection))

    def get_queryset(self):
        return (
            Inspection.objects.visible_to(self.request.user)
            .prefetch_related("items")
            .order_by("-done_on", "-id")
        )


class PersonFilter(QueryFilter):
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@extend_schema_view(
    list=extend_schema(summary=_("Échéances émises"), parameters=[PersonFilter]),
    retrieve=extend_schema(summary=_("Une échéance")),
)
class ChargeViewSet(AuditedReadOnlyViewSet):
    serializer_class = ChargeSerializer

    def get_queryset(self):
        filters = PersonFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        charges = Charge.objects.visible_to(self.request.user)
        if "person" in filters.validated_data:
            charges = charges.filter(person_id=filters.validated_data["person"])
        return charges.order_by("month", "id")


class PaymentSerializer(ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "person", "paid_on", "amount", "method"]
        read_only_fields = fields


class PaymentWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("du paiement"))
    person = id_field()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = serializers.DateField(help_text=_("Date réelle (pas dans le futur)."))
    method = serializers.ChoiceField(choices=PaymentMethod.choices)


class AllowanceSerializer(ModelSerializer):
    class Meta:
        model = ThirdPartyPayment
        fields = ["id", "person", "source", "month", "amount"]
        read_only_fields = fields


class AllowanceWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de l'aide"))
    person = id_field()
    source = serializers.ChoiceField(choices=AllowanceSource.choices)  # type: ignore[assignment]  # a field named like Field.source
    month = serializers.DateField(help_text=_("Un jour du mois couvert."))
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))


@extend_schema_view(
    list=extend_schema(summary=_("Paiements des occupant·es"), parameters=[PersonFilter]),
    retrieve=extend_schema(summary=_("Un paiement")),
    create=extend_schema(
        summary=_("Enregistrer un paiement d'occupant·e (jamais de coordonnées bancaires)"),
        request=PaymentWriteSerializer,
        responses={201: PaymentSerializer, 200: PaymentSerializer},
    ),
)
class PaymentViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = PaymentSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(PaymentWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            Payment.objects.all(), values, PaymentSerializer, organization=person.organization
        )
        if sent is not None:
            return sent
        with service_errors():
            payment = services.record_payment(person=person, actor=actor, **values)
        return answer(PaymentSerializer, payment)

    @extend_schema(
        summary=_("Enregistrer une aide au logement reçue en tiers payant (APL, Mobili-Jeune…)"),
        request=AllowanceWriteSerializer,
        responses={201: AllowanceSerializer, 200: AllowanceSerializer},
    )
    @action(detail=False, methods=["post"])
    def allowances(self, request: Request) -> Response:
        values = self.body(AllowanceWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            ThirdPartyPayment.objects.all(),
            values,
            AllowanceSerializer,
            organization=person.organization,
        )
        if sent is not None:
            return sent
        with service_errors():
            allowance = services.record_allowance(person=person, actor=actor, **values)
        return answer(AllowanceSerializer, allowance)

    def get_queryset(self):
        filters = PersonFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        payments = Payment.objects.visible_to(self.request.user)
        if "person" in filters.validated_data:
            payments = payments.filter(person_id=filters.validated_data["person"])
        return payments.order_by("paid_on", "id")


class HousingApplicationSerializer(ModelSerializer):
    class Meta:
        model = HousingApplication
        fields = [
            "id",
            "residence",
            "person",
            "submitted_on",
            "wished_from",
            "wished_until",
            "granularity",
            "rhythm",
            "shares_unit",
            "needs_accessible",
            "status",
            "booking",
            "closed_on",
        ]
        read_only_fields = fields


class ApplicationWriteSerializer(serializers.Serializer):
    external_ref = external_ref_field(_("de la demande"))
    residence = id_field()
    person = id_field()
    wished_from = serializers.DateField()
    wished_until = serializers.DateField(required=False, allow_null=True)
    granularity = serializers.ChoiceField(
        choices=Granularity.choices, required=False, default=Granularity.MONTHS
    )
    rhythm = id_field(required=False, allow_null=True)
    note = CharField(required=False, allow_blank=True, max_length=300, default="")
    shares_unit = serializers.BooleanField(required=False, default=True)
    needs_accessible = serializers.BooleanField(required=False, default=False)


class ApplicationCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationClosing.choices)
    note = CharField(required=False, allow_blank=True, max_length=300, default="")


@extend_schema_view(
    list=extend_schema(summary=_("Demandes de logement")),
    retrieve=extend_schema(summary=_("Une demande de logement")),
    create=extend_schema(
        summary=_("Déposer une demande de logement dans une résidence"),
        request=ApplicationWriteSerializer,
        responses={201: HousingApplicationSerializer, 200: HousingApplicationSerializer},
    ),
)
class HousingApplicationViewSet(WritableMixin, AuditedReadOnlyViewSet):
    serializer_class = HousingApplicationSerializer
    write_action = "housing.manage"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self.body(ApplicationWriteSerializer)
        actor = acting_user(request)
        person = person_in_reach(actor, values.pop("person"))
        sent = self.already_sent(
            HousingApplication.objects.all(),
            values,
            HousingApplicationSerializer,
            organization=person.organization,
        )
        if sent is not None:
            return sent
        values["residence"] = find(
            Residence.objects.visible_to(actor),
            values["residence"],
            field="residence",
            message=_("Résidence introuvable dans vos structures."),
        )
        values["rhythm"] = find(
            Rhythm.objects.filter(person=person),
            values.get("rhythm"),
            field="rhythm",
            message=_("Rythme introuvable pour cette personne."),
        )
        with service_errors():
            application = services.submit_application(person=person, actor=actor, **values)
        return answer(HousingApplicationSerializer, application)

    @extend_schema(
        summary=_("Clore la demande : refusée ou retirée"),
        request=ApplicationCloseSerializer,
        responses={200: HousingApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        application = get_for_user(self.get_queryset(), pk, request.user, action="housing.manage")
        body = self.body(ApplicationCloseSerializer)
        with service_errors():
            application = services.close_application(
                application=application, actor=acting_user(request), **body
            )
        return answer(HousingApplicationSerializer, application, created=False)

    def get_queryset(self):
        return HousingApplication.objects.visible_to(self.request.user).order_by(
            "submitted_on", "id"
        )
