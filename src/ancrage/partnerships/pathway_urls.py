"""The citizen pathway (``/parcours-citoyen/``)."""

from django.urls import path

from ancrage.partnerships import pathway_views as views

app_name = "pathways"

urlpatterns = [
    path("", views.pathway_list, name="pathway_list"),
    path("modeles/nouveau/", views.template_create, name="template_create"),
    path("modeles/<int:template_id>/", views.template_detail, name="template_detail"),
    path("modeles/<int:template_id>/modules/", views.module_add, name="module_add"),
    path("modules/<int:module_id>/", views.module_update, name="module_update"),
    path("modules/<int:module_id>/retirer/", views.module_delete, name="module_delete"),
    path("nouveau/", views.pathway_create, name="pathway_create"),
    path("<int:pathway_id>/", views.pathway_detail, name="pathway_detail"),
    path("<int:pathway_id>/inscrire/", views.pathway_register, name="pathway_register"),
    path(
        "<int:pathway_id>/inscriptions/<int:registration_id>/retirer/",
        views.pathway_unregister,
        name="pathway_unregister",
    ),
    path("<int:pathway_id>/ouvrir/", views.opening_create, name="opening_create"),
    path("ouvertures/<int:opening_id>/fermer/", views.opening_close, name="opening_close"),
    path("<int:pathway_id>/clore/", views.pathway_close, name="pathway_close"),
    path("<int:pathway_id>/attestation.pdf", views.pathway_certificate, name="pathway_certificate"),
    path("partenaire/", views.partner_list, name="partner_list"),
    path("partenaire/<int:opening_id>/", views.partner_detail, name="partner_detail"),
]
