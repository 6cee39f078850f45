from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ancrage.audit.models import AuditEvent
from ancrage.audit.recorder import PLATFORM_OBJECTS

# What platform operators may read in full: objects of the platform itself, not people's files.
OPERATOR_READABLE = PLATFORM_OBJECTS


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows are never edited, through the admin or otherwise.

    Operators see who did what, when, on which kind of record and which fields changed — never
    the values, nor a record's label (a person's name), except for the platform's own objects:
    they see no personal data (docs/data-protection.md)."""

    list_display = ["at", "action", "content_type", "record", "actor_label", "organization_id"]
    list_filter = ["action", "content_type"]
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "action",
        "content_type",
        "record",
        "actor_label",
        "organization_id",
        "changed_fields",
    )
    fields = readonly_fields

    def _readable(self, event: AuditEvent) -> bool:
        return f"{event.content_type.app_label}.{event.content_type.model}" in OPERATOR_READABLE

    @admin.display(description=_("objet"))
    def record(self, event: AuditEvent) -> str:
        if self._readable(event):
            return event.object_repr
        return _("fiche n° %(id)s") % {"id": event.object_id}

    @admin.display(description=_("champs modifiés"))
    def changed_fields(self, event: AuditEvent) -> str:
        if self._readable(event):
            return str(event.changes)
        return ", ".join(sorted(k for k in event.changes if k != "ids")) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
