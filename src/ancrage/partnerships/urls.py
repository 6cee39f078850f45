from django.urls import path

from ancrage.partnerships import charter_views, views

app_name = "partnerships"

urlpatterns = [
    path("", views.apprenticeship_list, name="apprenticeship_list"),
    path("nouveau/", views.apprenticeship_create, name="apprenticeship_create"),
    path("<int:apprenticeship_id>/", views.apprenticeship_detail, name="apprenticeship_detail"),
    path(
        "<int:apprenticeship_id>/modifier/",
        views.apprenticeship_update,
        name="apprenticeship_update",
    ),
    path(
        "<int:apprenticeship_id>/supprimer/",
        views.apprenticeship_delete,
        name="apprenticeship_delete",
    ),
    path(
        "<int:apprenticeship_id>/rythme/",
        views.apprenticeship_rhythm,
        name="apprenticeship_rhythm",
    ),
    path("<int:apprenticeship_id>/charte/", charter_views.charter_create, name="charter_create"),
    path("chartes/modeles/", charter_views.template_list, name="template_list"),
    path("chartes/modeles/nouveau/", charter_views.template_create, name="template_create"),
    path(
        "chartes/modeles/<int:template_id>/",
        charter_views.template_detail,
        name="template_detail",
    ),
    path("chartes/<int:charter_id>/", charter_views.charter_detail, name="charter_detail"),
    path(
        "chartes/<int:charter_id>/document/",
        charter_views.charter_document,
        name="charter_document",
    ),
    path(
        "chartes/<int:charter_id>/signataires/<int:signatory_id>/nouveau-lien/",
        charter_views.charter_resend,
        name="charter_resend",
    ),
    path("chartes/<int:charter_id>/retirer/", charter_views.charter_revoke, name="charter_revoke"),
]
