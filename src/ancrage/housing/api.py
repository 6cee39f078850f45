"""API of housing, scoped like the pages (read-only; bookings are made through the pages' services)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ancrage.core.serializers import ModelSerializer, QueryFilter
from ancrage.core.viewsets import AuditedReadOnlyViewSet
from ancrage.housing.enums import BookingStatus
from ancrage.housing.models import (
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
    SlideCondition,
    Unit,
)


class ResidenceSerializer(ModelSerializer):
    commune_code = serializers.CharField(
        source="commune.code", read_only=True, default=None, allow_null=True
    )
    common_spaces = serializers.ListField(child=serializers.CharField(), read_only=True)

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


@extend_schema_view(
    list=extend_schema(summary=_("Résidences des structures dont vous êtes dans l'équipe")),
    retrieve=extend_schema(summary=_("Une résidence")),
)
class ResidenceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ResidenceSerializer

    def get_queryset(self):
        return (
            Residence.objects.visible_to(self.request.user)
            .select_related("commune")
            .order_by("name", "id")
        )


class BedSerializer(ModelSerializer):
    class Meta:
        model = Bed
        fields = ["id", "label"]
        read_only_fields = fields


class UnitSerializer(ModelSerializer):
    beds = BedSerializer(many=True, read_only=True)
    accessibility = serializers.ListField(child=serializers.CharField(), read_only=True)

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
            "beds",
        ]
        read_only_fields = fields


class UnitFilter(QueryFilter):
    residence = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@extend_schema_view(
    list=extend_schema(summary=_("Logements et leurs lits"), parameters=[UnitFilter]),
    retrieve=extend_schema(summary=_("Un logement")),
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

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


@extend_schema_view(
    list=extend_schema(summary=_("Rythmes d'alternance")),
    retrieve=extend_schema(summary=_("Un rythme et ses semaines à l'école")),
)
class RhythmViewSet(AuditedReadOnlyViewSet):
    serializer_class = RhythmSerializer

    def get_queryset(self):
        return Rhythm.objects.visible_to(self.request.user).order_by("-first_school_week", "id")


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


@extend_schema_view(
    list=extend_schema(summary=_("Réservations et leurs périodes"), parameters=[BookingFilter]),
    retrieve=extend_schema(summary=_("Une réservation")),
)
class BookingViewSet(AuditedReadOnlyViewSet):
    serializer_class = BookingSerializer

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


@extend_schema_view(
    list=extend_schema(summary=_("Baux, dont les baux glissants et leurs conditions")),
    retrieve=extend_schema(summary=_("Un bail")),
)
class LeaseViewSet(AuditedReadOnlyViewSet):
    serializer_class = LeaseSerializer

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


@extend_schema_view(
    list=extend_schema(summary=_("États des lieux d'entrée et de sortie")),
    retrieve=extend_schema(summary=_("Un état des lieux, pièce par pièce")),
)
class InspectionViewSet(AuditedReadOnlyViewSet):
    serializer_class = InspectionSerializer

    def get_queryset(self):
        return (
            Inspection.objects.visible_to(self.request.user)
            .prefetch_related("items")
            .order_by("-done_on", "-id")
        )


class ChargeSerializer(ModelSerializer):
    class Meta:
        model = Charge
        fields = ["id", "booking", "person", "month", "label", "amount"]
        read_only_fields = fields


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


@extend_schema_view(
    list=extend_schema(summary=_("Paiements des occupant·es"), parameters=[PersonFilter]),
    retrieve=extend_schema(summary=_("Un paiement")),
)
class PaymentViewSet(AuditedReadOnlyViewSet):
    serializer_class = PaymentSerializer

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


@extend_schema_view(
    list=extend_schema(summary=_("Demandes de logement")),
    retrieve=extend_schema(summary=_("Une demande de logement")),
)
class HousingApplicationViewSet(AuditedReadOnlyViewSet):
    serializer_class = HousingApplicationSerializer

    def get_queryset(self):
        return HousingApplication.objects.visible_to(self.request.user).order_by(
            "submitted_on", "id"
        )
