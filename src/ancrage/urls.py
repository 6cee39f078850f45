from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ancrage.core.urls")),
    path("compte/", include("allauth.urls")),
    path("structures/", include("ancrage.accounts.urls")),
    path("dispositifs/", include("ancrage.programs.urls")),
    path("personnes/", include("ancrage.people.urls")),
    path("accueil/", include("ancrage.support.urls")),
    path("actions-collectives/", include("ancrage.activities.urls")),
    path("residences/", include("ancrage.housing.urls")),
    path("enquete/", include("ancrage.housing.public_urls")),
    path("allocation/", include("ancrage.allocation.urls")),
    path("indicateurs/", include("ancrage.indicators.urls")),
    path("conventions/", include("ancrage.funding.urls")),
    path("appels/", include("ancrage.funding.call_urls")),
    path("protection-des-donnees/", include("ancrage.privacy.urls")),
    path("reprise/", include("ancrage.imports.urls")),
    path("reperage/", include("ancrage.outreach.urls")),
    path("services/", include("ancrage.catalogue.urls")),
    path("apprentissages/", include("ancrage.partnerships.urls")),
    path("chartes/", include("ancrage.partnerships.public_urls")),
    path("comites/", include("ancrage.partnerships.committee_urls")),
    path("parcours-citoyen/", include("ancrage.partnerships.pathway_urls")),
    path("conventions-partenaires/", include("ancrage.partnerships.agreement_urls")),
    path("notifications/", include("ancrage.notifications.urls")),
    path("api/v1/", include("ancrage.api.urls")),
    path("exploitation/", admin.site.urls),
]

handler404 = "ancrage.core.views.not_found"

admin.site.site_header = "Ancrage — exploitation"
admin.site.index_template = "core/operations_index.html"
admin.site.site_title = "Ancrage"
