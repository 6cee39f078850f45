from django.urls import path

from ancrage.people.views import documents, persons, sharing

app_name = "people"
urlpatterns = [
    path("", persons.person_list, name="person_list"),
    path("nouvelle/", persons.person_create, name="person_create"),
    path("suggestions/", persons.person_suggest, name="person_suggest"),
    path("<int:person_id>/", persons.person_detail, name="person_detail"),
    path("<int:person_id>/modifier/", persons.person_update, name="person_update"),
    path("<int:person_id>/fusionner/", sharing.person_merge, name="person_merge"),
    path("<int:person_id>/oppositions/", sharing.objection_add, name="objection_add"),
    path("<int:person_id>/documents/", documents.document_add, name="document_add"),
    path(
        "<int:person_id>/documents/<int:document_id>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "<int:person_id>/documents/<int:document_id>/supprimer/",
        documents.document_delete,
        name="document_delete",
    ),
    path(
        "<int:person_id>/oppositions/<int:objection_id>/retirer/",
        sharing.objection_remove,
        name="objection_remove",
    ),
]
