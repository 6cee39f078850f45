"""Programs are set up by the platform's operators (/exploitation/) with the funders."""

from django.contrib import admin

from ancrage.programs.models import Program, ProgramParticipant


class ParticipantInline(admin.TabularInline):
    model = ProgramParticipant
    extra = 1
    raw_id_fields = ["organization"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["territory"]
    inlines = [ParticipantInline]
