"""A program's committees, meetings and decisions (``/comites/``)."""

from django.urls import path

from ancrage.partnerships import committee_views as views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("nouveau/", views.committee_create, name="committee_create"),
    path("<int:committee_id>/", views.committee_detail, name="committee_detail"),
    path("<int:committee_id>/membres/", views.member_add, name="member_add"),
    path(
        "<int:committee_id>/membres/<int:member_id>/depart/",
        views.member_leave,
        name="member_leave",
    ),
    path("<int:committee_id>/reunions/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:meeting_id>/compte-rendu/", views.meeting_update, name="meeting_update"),
    path("reunions/<int:meeting_id>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<int:decision_id>/faite/", views.decision_done, name="decision_done"),
]
