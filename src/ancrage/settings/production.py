"""Production: refuses to start misconfigured (missing secret, DEBUG or DEMO on)."""

from django.core.exceptions import ImproperlyConfigured

from ancrage.settings.base import *  # noqa: F403
from ancrage.settings.env import env_bool, env_int, env_str

SECRET_KEY = env_str("ANCRAGE_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured(
        "ANCRAGE_SECRET_KEY must be a random string of 50 characters or more."
    )
if env_bool("ANCRAGE_DEBUG", False):
    raise ImproperlyConfigured("ANCRAGE_DEBUG cannot be on in production.")
if env_bool("ANCRAGE_DEMO", False):
    raise ImproperlyConfigured(
        "ANCRAGE_DEMO cannot be on in production: it lets accounts skip MFA."
    )
DEBUG = False
DEMO = False
if not env_str("ANCRAGE_ALLOWED_HOSTS", ""):
    raise ImproperlyConfigured("ANCRAGE_ALLOWED_HOSTS is required in production.")

SECURE_SSL_REDIRECT = env_bool("ANCRAGE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("ANCRAGE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
