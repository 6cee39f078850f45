from django.urls import path

from ancrage.partnerships import views

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
]
