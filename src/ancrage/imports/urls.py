from django.urls import path

from ancrage.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.home, name="home"),
    path("modele.xlsx", views.template, name="template"),
    path("correspondance/<str:kind>/", views.mapping, name="mapping"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/rapport.csv", views.job_report, name="job_report"),
    path("<int:job_id>/importer/", views.job_confirm, name="job_confirm"),
]
