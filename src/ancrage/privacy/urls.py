from django.urls import path

from ancrage.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("demandes/nouvelle/", views.request_create, name="request_create"),
    path("demandes/<int:request_id>/reponse/", views.request_answer, name="request_answer"),
    path("demandes/<int:request_id>/prolonger/", views.request_extend, name="request_extend"),
    path("durees/", views.policy_update, name="policy_update"),
    path("personnes/<int:person_id>/export/", views.person_export, name="person_export"),
    path("personnes/<int:person_id>/effacer/", views.person_erase, name="person_erase"),
    path("personnes/<int:person_id>/restaurer/", views.person_restore, name="person_restore"),
]
