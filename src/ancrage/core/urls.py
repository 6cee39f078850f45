from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from ancrage.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("communes/", views.commune_search, name="commune_search"),
    path("sante/", views.health, name="health"),
    # Browsers and tools that ask for /favicon.ico without reading the page's <link rel="icon">.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("ancrage/favicon.svg"), permanent=True),
        name="favicon",
    ),
]
