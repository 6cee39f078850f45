from django.urls import path

from ancrage.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definitions/", views.definitions, name="definitions"),
    path("donnees-ouvertes.csv", views.open_data, name="open_data"),
    path("bilan/<int:organization_id>/<int:year>/", views.annual_report, name="annual_report"),
    path(
        "bilan/<int:organization_id>/<int:year>/remettre/",
        views.report_submit,
        name="report_submit",
    ),
    path(
        "bilan/<int:organization_id>/<int:year>/decision/",
        views.report_decide,
        name="report_decide",
    ),
    path(
        "bilan/<int:organization_id>/<int:year>/pdf/",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
    path(
        "bilan/<int:organization_id>/<int:year>/xlsx/",
        views.annual_report_xlsx,
        name="annual_report_xlsx",
    ),
    path("bilan-final/<int:organization_id>/", views.period_report, name="period_report"),
    path(
        "bilan-final/<int:organization_id>/pdf/",
        views.period_report_pdf,
        name="period_report_pdf",
    ),
    path(
        "bilan-final/<int:organization_id>/xlsx/",
        views.period_report_xlsx,
        name="period_report_xlsx",
    ),
    path(
        "reporting/<int:organization_id>/<int:year>/",
        views.reporting_table,
        name="reporting_table",
    ),
]
