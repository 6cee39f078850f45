from django.urls import path

from ancrage.catalogue import views

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
]
