from django.urls import path

from ancrage.catalogue import pack_views, views

app_name = "catalogue"

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("nouveau/", views.service_create, name="service_create"),
    path("import/", views.service_import, name="service_import"),
    path("export/", views.service_export, name="service_export"),
    path("<int:service_id>/", views.service_detail, name="service_detail"),
    path("<int:service_id>/modifier/", views.service_update, name="service_update"),
    path("<int:service_id>/proposer/", views.service_active, name="service_active"),
    path("<int:service_id>/supprimer/", views.service_delete, name="service_delete"),
    path("<int:service_id>/orienter/<int:person_id>/", views.service_orient, name="service_orient"),
    # packs of a residence manager
    path("packs/", pack_views.pack_list, name="pack_list"),
    path("packs/nouveau/", pack_views.pack_create, name="pack_create"),
    path("packs/<int:pack_id>/", pack_views.pack_detail, name="pack_detail"),
    path("packs/<int:pack_id>/modifier/", pack_views.pack_update, name="pack_update"),
    path("packs/<int:pack_id>/supprimer/", pack_views.pack_delete, name="pack_delete"),
    path("packs/<int:pack_id>/releve/", pack_views.pack_statement, name="pack_statement"),
    path("packs/<int:pack_id>/droits/", pack_views.entitlement_add, name="entitlement_add"),
    path(
        "packs/droits/<int:entitlement_id>/",
        pack_views.entitlement_update,
        name="entitlement_update",
    ),
    path(
        "packs/droits/<int:entitlement_id>/supprimer/",
        pack_views.entitlement_delete,
        name="entitlement_delete",
    ),
    path(
        "packs/<int:pack_id>/residents/<int:person_id>/",
        pack_views.pack_resident,
        name="pack_resident",
    ),
    path(
        "packs/<int:pack_id>/residents/<int:person_id>/prestations/",
        pack_views.delivery_create,
        name="delivery_create",
    ),
    path(
        "packs/<int:pack_id>/residents/<int:person_id>/ouvrir/",
        pack_views.opening_create,
        name="opening_create",
    ),
    path(
        "packs/prestations/<int:delivery_id>/annuler/",
        pack_views.delivery_delete,
        name="delivery_delete",
    ),
    path(
        "packs/ouvertures/<int:opening_id>/fermer/",
        pack_views.opening_close,
        name="opening_close",
    ),
    # a provider's members
    path("prestataire/", pack_views.provider_residents, name="provider_residents"),
    path(
        "prestataire/<int:opening_id>/",
        pack_views.provider_resident,
        name="provider_resident",
    ),
]
