from django.contrib import admin

from ancrage.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows are never edited, through the admin or otherwise."""

    list_display = ["at", "action", "content_type", "object_repr", "actor_label", "organization_id"]
    list_filter = ["action", "content_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
