from django.urls import path

from ancrage.allocation import views

app_name = "allocation"
urlpatterns = [
    path("residences/<int:residence_id>/", views.run_create, name="run_create"),
    path("territoire/", views.territory_run_create, name="territory_run_create"),
    path("calculs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("calculs/<int:run_id>/accepter/", views.run_accept, name="run_accept"),
]
