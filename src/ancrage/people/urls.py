from django.urls import path

from ancrage.people.views import persons

app_name = "people"
urlpatterns = [
    path("", persons.person_list, name="person_list"),
    path("nouvelle/", persons.person_create, name="person_create"),
    path("suggestions/", persons.person_suggest, name="person_suggest"),
    path("<int:person_id>/", persons.person_detail, name="person_detail"),
    path("<int:person_id>/modifier/", persons.person_update, name="person_update"),
]
