from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ancrage.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self) -> None:
        from ancrage.audit import recorder

        recorder.connect()
