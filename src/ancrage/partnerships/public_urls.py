"""The charter's public pages: signing through a personal link, checking a signed PDF."""

from django.urls import path

from ancrage.partnerships import charter_views

app_name = "charters"

urlpatterns = [
    path("signer/<str:token>/", charter_views.sign, name="sign"),
    path("verifier/", charter_views.verify, name="verify"),
]
