from django.urls import path

from ancrage.support.views import (
    agenda,
    caseload,
    contacts,
    desks,
    enrollments,
    follow_ups,
    pathways,
    referrals,
)

app_name = "support"
urlpatterns = [
    path("mes-accompagnements/", caseload.caseload, name="caseload"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/rendez-vous/", agenda.appointment_add, name="appointment_add"),
    path(
        "agenda/rendez-vous/<int:appointment_id>/etat/",
        agenda.appointment_status,
        name="appointment_status",
    ),
    path("agenda/lien/", agenda.calendar_feed_create, name="calendar_feed_create"),
    path("agenda/lien/supprimer/", agenda.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("agenda/<str:key>.ics", agenda.calendar_feed, name="calendar_feed"),
    path("suivis/<int:follow_up_id>/", follow_ups.follow_up_record, name="follow_up_record"),
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/nouveau/", contacts.contact_create, name="contact_create"),
    path("permanences/", desks.desk_list, name="desk_list"),
    path("orientations/", referrals.referral_list, name="referral_list"),
    path("mes-accompagnements/demarches/", caseload.steps_update, name="steps_update"),
    path(
        "contacts/<int:contact_id>/personne/",
        contacts.contact_link_person,
        name="contact_link_person",
    ),
    path("partenaires/", referrals.partner_directory, name="partner_directory"),
    path("orientations/<int:referral_id>/", referrals.referral_detail, name="referral_detail"),
    path(
        "orientations/<int:referral_id>/decision/",
        referrals.referral_decide,
        name="referral_decide",
    ),
    path("personnes/<int:person_id>/orienter/", referrals.referral_create, name="referral_create"),
    path(
        "personnes/<int:person_id>/accompagnement/",
        enrollments.enrollment_open,
        name="enrollment_open",
    ),
    path(
        "accompagnements/<int:enrollment_id>/",
        enrollments.enrollment_detail,
        name="enrollment_detail",
    ),
    path(
        "accompagnements/<int:enrollment_id>/etape/",
        enrollments.enrollment_transition,
        name="enrollment_transition",
    ),
    path("accompagnements/<int:enrollment_id>/demarches/", enrollments.step_add, name="step_add"),
    path("accompagnements/<int:enrollment_id>/notes/", enrollments.note_add, name="note_add"),
    path(
        "accompagnements/<int:enrollment_id>/parcours/",
        pathways.pathway_set,
        name="pathway_set",
    ),
    path("accompagnements/<int:enrollment_id>/travaux/", pathways.work_add, name="work_add"),
    path(
        "accompagnements/<int:enrollment_id>/travaux/<int:work_id>/realises/",
        pathways.work_done,
        name="work_done",
    ),
    path(
        "accompagnements/<int:enrollment_id>/logement-adapte/",
        pathways.home_adapted,
        name="home_adapted",
    ),
    path(
        "accompagnements/<int:enrollment_id>/insertion/",
        pathways.milestone_add,
        name="milestone_add",
    ),
    path(
        "accompagnements/<int:enrollment_id>/insertion/<int:milestone_id>/retirer/",
        pathways.milestone_delete,
        name="milestone_delete",
    ),
    path(
        "accompagnements/<int:enrollment_id>/diagnostic/",
        enrollments.assessment_add,
        name="assessment_add",
    ),
    path(
        "accompagnements/<int:enrollment_id>/demarches/<int:step_id>/etat/",
        enrollments.step_status,
        name="step_status",
    ),
]
