from django.urls import path

from ancrage.housing.views import (
    accounts,
    applications,
    bookings,
    inspections,
    leases,
    lists,
    presence,
    residences,
    spaces,
    surveys,
)

app_name = "housing"
urlpatterns = [
    path("", residences.residence_list, name="residence_list"),
    path("nouvelle/", residences.residence_create, name="residence_create"),
    path("<int:residence_id>/", residences.residence_detail, name="residence_detail"),
    path("<int:residence_id>/logements/", residences.unit_add, name="unit_add"),
    path("<int:residence_id>/occupation/", residences.occupancy, name="occupancy"),
    path(
        "<int:residence_id>/occupation.csv",
        residences.occupancy_export,
        name="occupancy_export",
    ),
    path(
        "<int:residence_id>/logements/<int:unit_id>/service/",
        residences.unit_service,
        name="unit_service",
    ),
    path("<int:residence_id>/presences/", presence.staff_slot_add, name="staff_slot_add"),
    path(
        "<int:residence_id>/presences/<int:slot_id>/retirer/",
        presence.staff_slot_remove,
        name="staff_slot_remove",
    ),
    path("<int:residence_id>/demandes-incidents/", presence.request_list, name="request_list"),
    path(
        "<int:residence_id>/demandes-incidents/nouvelle/",
        presence.request_add,
        name="request_add",
    ),
    path(
        "<int:residence_id>/demandes-incidents/<int:request_id>/etat/",
        presence.request_status,
        name="request_status",
    ),
    path("<int:residence_id>/binomes/", presence.pairing_add, name="pairing_add"),
    path(
        "<int:residence_id>/binomes/<int:pairing_id>/fin/",
        presence.pairing_end,
        name="pairing_end",
    ),
    path("<int:residence_id>/enquetes/", surveys.survey_add, name="survey_add"),
    path(
        "<int:residence_id>/enquetes/<int:survey_id>/", surveys.survey_detail, name="survey_detail"
    ),
    path(
        "<int:residence_id>/enquetes/<int:survey_id>/modifier/",
        surveys.survey_edit,
        name="survey_edit",
    ),
    path(
        "<int:residence_id>/enquetes/<int:survey_id>/lien/",
        surveys.survey_renew_link,
        name="survey_renew_link",
    ),
    path("<int:residence_id>/espaces/", spaces.space_add, name="space_add"),
    path("<int:residence_id>/espaces/<int:space_id>/", spaces.space_detail, name="space_detail"),
    path(
        "<int:residence_id>/espaces/<int:space_id>/modifier/", spaces.space_edit, name="space_edit"
    ),
    path(
        "<int:residence_id>/espaces/<int:space_id>/reserver/", spaces.space_book, name="space_book"
    ),
    path(
        "creneaux/<int:booking_id>/annuler/",
        spaces.space_booking_cancel,
        name="space_booking_cancel",
    ),
    path("<int:residence_id>/echeances/", accounts.residence_charges, name="residence_charges"),
    path("<int:residence_id>/reserver/", bookings.booking_create, name="booking_create"),
    path("reservations/", lists.booking_list, name="booking_list"),
    path("baux/", lists.lease_list, name="lease_list"),
    path("demandes/", lists.application_list, name="application_list"),
    path("reservations/<int:booking_id>/", bookings.booking_detail, name="booking_detail"),
    path("reservations/<int:booking_id>/annuler/", bookings.booking_cancel, name="booking_cancel"),
    path(
        "reservations/<int:booking_id>/echeances/",
        accounts.charges_generate,
        name="charges_generate",
    ),
    path("reservations/<int:booking_id>/bail/", leases.lease_create, name="lease_create"),
    path("baux/<int:lease_id>/", leases.lease_detail, name="lease_detail"),
    path("baux/<int:lease_id>/etape/", leases.lease_action, name="lease_action"),
    path(
        "baux/<int:lease_id>/conditions/<int:condition_id>/",
        leases.condition_set,
        name="condition_set",
    ),
    path("echeances/<int:charge_id>/avis.pdf", accounts.charge_notice, name="charge_notice"),
    path("echeances/<int:charge_id>/quittance.pdf", accounts.charge_receipt, name="charge_receipt"),
    path(
        "baux/<int:lease_id>/etat-des-lieux/<str:kind>/",
        inspections.inspection_create,
        name="inspection_create",
    ),
    path(
        "etats-des-lieux/<int:inspection_id>/",
        inspections.inspection_detail,
        name="inspection_detail",
    ),
    path("comptes/<int:person_id>/", accounts.account, name="account"),
    path("impayes/", accounts.arrears, name="arrears"),
    path("comptes/<int:person_id>/aides/", accounts.allowance_add, name="allowance_add"),
    path("comptes/<int:person_id>/paiements/", accounts.payment_add, name="payment_add"),
    path(
        "<int:residence_id>/demandes/nouvelle/",
        applications.application_create,
        name="application_create",
    ),
    path("<int:residence_id>/liste-d-attente/", applications.waiting_list, name="waiting_list"),
    path(
        "<int:residence_id>/liste-d-attente/criteres/",
        applications.waiting_list_rules,
        name="waiting_list_rules",
    ),
    path(
        "demandes/<int:application_id>/cloture/",
        applications.application_close,
        name="application_close",
    ),
    path("rythmes/", bookings.rhythm_list, name="rhythm_list"),
    path("calendriers/", bookings.calendar_list, name="calendar_list"),
    path("rythmes/nouveau/", bookings.rhythm_create, name="rhythm_create"),
]
