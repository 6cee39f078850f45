"""Agreements between partners (``/conventions-partenaires/``)."""

from django.urls import path

from ancrage.partnerships import agreement_views as views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("nouvelle/", views.agreement_create, name="agreement_create"),
    path("<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("<int:agreement_id>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("<int:agreement_id>/signee/", views.signed_add, name="signed_add"),
    path("<int:agreement_id>/signee.pdf", views.signed_download, name="signed_download"),
]
