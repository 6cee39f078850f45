"""The real URLs plus one view nobody registered: the registry test must catch it."""

from django.http import HttpResponse
from django.urls import path

from ancrage.urls import urlpatterns as real_urlpatterns


def forgotten_view(request):
    return HttpResponse("données sensibles")


urlpatterns = [*real_urlpatterns, path("oubli/", forgotten_view, name="forgotten_view")]
