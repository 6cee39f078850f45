from django.urls import path

from ancrage.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("<int:program_id>/reseau/", views.program_network, name="program_network"),
    path(
        "<int:program_id>/reseau/<int:participant_id>/contacts/",
        views.contact_add,
        name="contact_add",
    ),
    path(
        "<int:program_id>/reseau/contacts/<int:contact_id>/fin/",
        views.contact_end,
        name="contact_end",
    ),
]
