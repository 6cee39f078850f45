"""A PostgreSQL replica for the dashboards (issue 23, past one machine).

With ``ANCRAGE_REPLICA_DATABASE_URL`` set, the settings add a ``replica`` database and
``ANCRAGE_DASHBOARD_DATABASE`` names it: the figures the
dashboards, reports, open data and indicators API read (the rollup tables, written by the
refresh, never by a page) are read there, so that a national program's readers do not load the
primary that takes every write. Everything else — and the refresh itself, which reads the months it
has just written in its own transaction — stays on ``default``. Nothing migrates the replica: it
follows the primary by streaming replication (docs/deploy.md).
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


def reading_database() -> str:
    """Where the dashboards read the figures (``ANCRAGE_DASHBOARD_DATABASE``): the replica when
    one is set, else ``default``."""
    return settings.ANCRAGE_DASHBOARD_DATABASE


class ReplicaRouter:
    """The replica holds the primary's rows: relations between them are allowed, and no
    migration ever runs on it (it is read-only)."""

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {obj1._state.db, obj2._state.db}
        return True if aliases <= {"default", REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
