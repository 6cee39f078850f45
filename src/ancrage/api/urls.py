from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ancrage.accounts.api import MembershipViewSet, OrganizationViewSet
from ancrage.activities.api import ActivityViewSet, SessionViewSet
from ancrage.allocation.api import AllocationRunViewSet
from ancrage.catalogue.api import ServiceViewSet
from ancrage.catalogue.pack_api import (
    DeliveryViewSet,
    EntitlementViewSet,
    OpeningViewSet,
    PackViewSet,
)
from ancrage.funding.api import (
    AgreementViewSet,
    ApplicationViewSet,
    CallViewSet,
    InstallmentViewSet,
)
from ancrage.housing.api import (
    BookingViewSet,
    ChargeViewSet,
    HousingApplicationViewSet,
    InspectionViewSet,
    LeaseViewSet,
    PaymentViewSet,
    ResidenceViewSet,
    RhythmViewSet,
    SchoolCalendarViewSet,
    UnitViewSet,
)
from ancrage.housing.space_api import (
    CommonSpaceViewSet,
    PairingViewSet,
    ResidenceRequestViewSet,
    SpaceBookingViewSet,
    StaffSlotViewSet,
    SurveyViewSet,
)
from ancrage.indicators.api import AnnualReportViewSet, IndicatorViewSet
from ancrage.notifications.api import NotificationViewSet
from ancrage.outreach.api import (
    AssignmentViewSet,
    CampaignViewSet,
    OutreachListViewSet,
    ProspectImportViewSet,
    ProspectViewSet,
    ScoringRuleViewSet,
    SegmentViewSet,
)
from ancrage.partnerships.api import (
    ApprenticeshipViewSet,
    CharterTemplateViewSet,
    CharterViewSet,
    CommitteeViewSet,
    DecisionViewSet,
    MeetingViewSet,
    PartnerAgreementViewSet,
)
from ancrage.partnerships.pathway_api import (
    PathwayModuleViewSet,
    PathwayOpeningViewSet,
    PathwayTemplateViewSet,
    PathwayViewSet,
)
from ancrage.people.api import DocumentViewSet, PersonViewSet
from ancrage.privacy.api import RightsRequestViewSet
from ancrage.programs.api import ProgramContactViewSet, ProgramViewSet
from ancrage.support.api import (
    AdaptationWorkViewSet,
    AppointmentViewSet,
    AssessmentViewSet,
    ContactViewSet,
    DeskViewSet,
    EnrollmentViewSet,
    ExitViewSet,
    InsertionMilestoneViewSet,
    ReferralViewSet,
    StepViewSet,
)

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("outreach-lists", OutreachListViewSet, basename="outreach-list")
router.register("prospect-imports", ProspectImportViewSet, basename="prospect-import")
router.register("scoring-rules", ScoringRuleViewSet, basename="scoring-rule")
router.register("segments", SegmentViewSet, basename="segment")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("prospects", ProspectViewSet, basename="prospect")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("program-contacts", ProgramContactViewSet, basename="program-contact")
router.register("programs", ProgramViewSet, basename="program")
router.register("persons", PersonViewSet, basename="person")
router.register("documents", DocumentViewSet, basename="document")
router.register("contacts", ContactViewSet, basename="contact")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("steps", StepViewSet, basename="step")
router.register("adaptation-works", AdaptationWorkViewSet, basename="adaptation-work")
router.register("insertion-milestones", InsertionMilestoneViewSet, basename="insertion-milestone")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("exits", ExitViewSet, basename="exit")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("desks", DeskViewSet, basename="desk")
router.register("activities", ActivityViewSet, basename="activity")
router.register("services", ServiceViewSet, basename="service")
router.register("packs", PackViewSet, basename="pack")
router.register("entitlements", EntitlementViewSet, basename="entitlement")
router.register("pack-openings", OpeningViewSet, basename="pack-opening")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("apprenticeships", ApprenticeshipViewSet, basename="apprenticeship")
router.register("charter-templates", CharterTemplateViewSet, basename="charter-template")
router.register("charters", CharterViewSet, basename="charter")
router.register("committees", CommitteeViewSet, basename="committee")
router.register("partner-agreements", PartnerAgreementViewSet, basename="partner-agreement")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("residences", ResidenceViewSet, basename="residence")
router.register("units", UnitViewSet, basename="unit")
router.register("rhythms", RhythmViewSet, basename="rhythm")
router.register("school-calendars", SchoolCalendarViewSet, basename="school-calendar")
router.register("bookings", BookingViewSet, basename="booking")
router.register("leases", LeaseViewSet, basename="lease")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("charges", ChargeViewSet, basename="charge")
router.register("payments", PaymentViewSet, basename="payment")
router.register("common-spaces", CommonSpaceViewSet, basename="common-space")
router.register("space-bookings", SpaceBookingViewSet, basename="space-booking")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("staff-slots", StaffSlotViewSet, basename="staff-slot")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("residence-requests", ResidenceRequestViewSet, basename="residence-request")
router.register("housing-applications", HousingApplicationViewSet, basename="housing-application")
router.register("allocation-runs", AllocationRunViewSet, basename="allocation-run")
router.register("sessions", SessionViewSet, basename="session")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("installments", InstallmentViewSet, basename="installment")
router.register("calls", CallViewSet, basename="call")
router.register("applications", ApplicationViewSet, basename="application")
router.register("rights-requests", RightsRequestViewSet, basename="rights-request")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("pathway-templates", PathwayTemplateViewSet, basename="pathway-template")
router.register("pathway-modules", PathwayModuleViewSet, basename="pathway-module")
router.register("pathways", PathwayViewSet, basename="pathway")
router.register("pathway-openings", PathwayOpeningViewSet, basename="pathway-opening")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script (Content-Security-Policy).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
