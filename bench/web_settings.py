"""Settings of the web benchmark: the development settings without debug (as in production: no
debug toolbar, templates cached, static files from the manifest), and the floor view's address."""

from ancrage.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.web_urls"
ANCRAGE_ACCESS_REGISTRY = "bench.web_registry"
