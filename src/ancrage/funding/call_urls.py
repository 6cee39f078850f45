from django.urls import path

from ancrage.funding import call_views as views

app_name = "calls"
urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("<int:call_id>/", views.public_detail, name="public_detail"),
    path("<int:call_id>/candidater/", views.application_start, name="application_start"),
    path("suivi/", views.call_list, name="call_list"),
    path("suivi/nouveau/", views.call_create, name="call_create"),
    path("suivi/<int:call_id>/", views.call_detail, name="call_detail"),
    path("suivi/<int:call_id>/publier/", views.call_publish, name="call_publish"),
    path(
        "demandes/<int:request_id>/decision/",
        views.access_request_decide,
        name="access_request_decide",
    ),
    path("candidatures/<int:application_id>/", views.application_detail, name="application_detail"),
    path(
        "candidatures/<int:application_id>/enregistrer/",
        views.application_save,
        name="application_save",
    ),
    path(
        "candidatures/<int:application_id>/pieces/",
        views.application_document_add,
        name="application_document_add",
    ),
    path(
        "candidatures/<int:application_id>/pieces/<int:document_id>/",
        views.application_document_download,
        name="application_document_download",
    ),
    path(
        "candidatures/<int:application_id>/pieces/<int:document_id>/retirer/",
        views.application_document_delete,
        name="application_document_delete",
    ),
    path(
        "candidatures/<int:application_id>/deposer/",
        views.application_submit,
        name="application_submit",
    ),
    path(
        "candidatures/<int:application_id>/evaluer/",
        views.application_review,
        name="application_review",
    ),
    path(
        "candidatures/<int:application_id>/decision/",
        views.application_decide,
        name="application_decide",
    ),
    path(
        "candidatures/<int:application_id>/lettre.pdf",
        views.application_letter,
        name="application_letter",
    ),
]
