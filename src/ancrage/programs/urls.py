from django.urls import path

from ancrage.programs import views

app_name = "programs"
urlpatterns = [path("", views.program_list, name="program_list")]
