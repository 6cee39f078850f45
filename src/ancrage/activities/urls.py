from django.urls import path

from ancrage.activities.views import activities

app_name = "activities"
urlpatterns = [
    path("", activities.activity_list, name="activity_list"),
    path("nouvelle/", activities.activity_create, name="activity_create"),
    path("<int:activity_id>/", activities.activity_detail, name="activity_detail"),
    path("<int:activity_id>/seances/", activities.session_add, name="session_add"),
    path("seances/<int:session_id>/", activities.session_detail, name="session_detail"),
    path("seances/<int:session_id>/presences/", activities.attendance_add, name="attendance_add"),
    path(
        "seances/<int:session_id>/presences/groupe/",
        activities.attendances_add,
        name="attendances_add",
    ),
    path(
        "seances/<int:session_id>/presences/<int:attendance_id>/retirer/",
        activities.attendance_remove,
        name="attendance_remove",
    ),
    path(
        "seances/<int:session_id>/inscriptions/",
        activities.registration_add,
        name="registration_add",
    ),
    path(
        "seances/<int:session_id>/inscriptions/<int:registration_id>/retirer/",
        activities.registration_remove,
        name="registration_remove",
    ),
    path("seances/<int:session_id>/supprimer/", activities.session_cancel, name="session_cancel"),
    path(
        "seances/<int:session_id>/non-nommes/",
        activities.session_head_count,
        name="session_head_count",
    ),
]
