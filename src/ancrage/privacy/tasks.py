from django_tasks import task

from ancrage.privacy import retention


@task()
def apply_retention() -> dict[str, int]:
    """The daily retention run (queued by ``ancrage worker``)."""
    result = retention.apply()
    return {
        "archived": len(result.archive),
        "anonymised": len(result.anonymise),
        "audit_events": result.audit_events,
        "login_records": result.login_records,
        "sessions": result.sessions,
        "idempotency_keys": result.idempotency_keys,
    }
