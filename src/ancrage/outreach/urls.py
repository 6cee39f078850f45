from django.urls import path

from ancrage.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.list_index, name="list_index"),
    path("bailleur/", views.landlord_outcomes, name="landlord_outcomes"),
    path("<int:list_id>/", views.list_detail, name="list_detail"),
    path("<int:list_id>/fichiers/", views.import_create, name="import_create"),
    path("<int:list_id>/correspondance/<int:landlord_id>/", views.mapping, name="mapping"),
    path("<int:list_id>/ciblage/", views.targeting, name="targeting"),
    path("<int:list_id>/personnes/", views.prospect_list, name="prospect_list"),
    path("<int:list_id>/campagnes/", views.campaign_create, name="campaign_create"),
    path("fichiers/<int:job_id>/", views.import_detail, name="import_detail"),
    path("fichiers/<int:job_id>/rapport.csv", views.import_report, name="import_report"),
    path("fichiers/<int:job_id>/importer/", views.import_confirm, name="import_confirm"),
    path("regles/<int:rule_id>/supprimer/", views.rule_delete, name="rule_delete"),
    path("segments/<int:segment_id>/supprimer/", views.segment_delete, name="segment_delete"),
    path(
        "attributions/<int:assignment_id>/retirer/",
        views.assignment_delete,
        name="assignment_delete",
    ),
    path("personnes/<int:prospect_id>/", views.prospect_detail, name="prospect_detail"),
    path("personnes/<int:prospect_id>/tentative/", views.prospect_attempt, name="prospect_attempt"),
    path("personnes/<int:prospect_id>/accord/", views.prospect_consent, name="prospect_consent"),
    path("personnes/<int:prospect_id>/dossier/", views.prospect_convert, name="prospect_convert"),
    path("campagnes/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campagnes/<int:campaign_id>/courriers.pdf",
        views.campaign_letters,
        name="campaign_letters",
    ),
    path(
        "campagnes/<int:campaign_id>/courriers-envoyes/",
        views.campaign_letters_sent,
        name="campaign_letters_sent",
    ),
]
