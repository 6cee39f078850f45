"""Local development and demo: debug on, e-mails printed to the console."""

from ancrage.settings.base import *  # noqa: F403
from ancrage.settings.env import env_bool, env_str

DEBUG = env_bool("ANCRAGE_DEBUG", True)
DEMO = env_bool("ANCRAGE_DEMO", True)
EMAIL_BACKEND = env_str("ANCRAGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Background tasks run in the request unless a worker is set up (`ancrage worker` with
# ANCRAGE_TASKS_BACKEND=django_tasks_db.DatabaseBackend), so that `make demo` works alone.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "ANCRAGE_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
