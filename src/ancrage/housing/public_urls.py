"""The residents' survey, answered without an account."""

from django.urls import path

from ancrage.housing.views import surveys

app_name = "survey"

urlpatterns = [path("<str:token>/", surveys.answer, name="answer")]
