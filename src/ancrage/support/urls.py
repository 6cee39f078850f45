from django.urls import path

from ancrage.support.views import contacts, desks

app_name = "support"
urlpatterns = [
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/nouveau/", contacts.contact_create, name="contact_create"),
    path("permanences/", desks.desk_list, name="desk_list"),
]
