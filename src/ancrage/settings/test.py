"""Test settings: fast hashing, DEMO off so that MFA is enforced as in production."""

from ancrage.settings.base import *  # noqa: F403

DEBUG = False
DEMO = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 5
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Live-server threads must close their connections, or PostgreSQL cannot drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
ANCRAGE_INDICATORS_AUTO_REFRESH = False
# A replica known to the tests (a second connection to the test database), read by the dashboards
# only where a test says so (tests/indicators/test_replica.py).
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {"MIRROR": "default"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}
# Each test process keeps the documents it stores in its own temporary folder.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ANCRAGE_DOCUMENTS_DIR = Path(tempfile.mkdtemp(prefix="ancrage-documents-"))
