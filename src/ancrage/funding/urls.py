from django.urls import path

from ancrage.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("nouvelle/", views.agreement_create, name="agreement_create"),
    path("subventions.csv", views.grants_export, name="grants_export"),
    path("budget/", views.budget, name="budget"),
    path("<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("<int:agreement_id>/objectifs/", views.objective_set, name="objective_set"),
    path("<int:agreement_id>/convention.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<int:agreement_id>/signee/", views.agreement_signed_add, name="agreement_signed_add"),
    path(
        "<int:agreement_id>/partenariat/",
        views.agreement_partnership,
        name="agreement_partnership",
    ),
    path(
        "<int:agreement_id>/signee.pdf",
        views.agreement_signed_download,
        name="agreement_signed_download",
    ),
    path("<int:agreement_id>/versements/", views.installment_add, name="installment_add"),
    path(
        "<int:agreement_id>/versements/<int:installment_id>/demander/",
        views.installment_request,
        name="installment_request",
    ),
    path(
        "<int:agreement_id>/versements/<int:installment_id>/verser/",
        views.installment_pay,
        name="installment_pay",
    ),
]
