from django.urls import path

from ancrage.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("communes/", views.commune_search, name="commune_search"),
    path("recherche/", views.search, name="search"),
    path("sante/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
]
