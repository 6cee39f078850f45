from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ancrage.programs.models import Program, ProgramParticipant


@require_GET
def program_list(request):
    """The programs the current organization runs, takes part in or funds, with their participants."""
    organization = request.membership.organization
    programs = list(
        Program.objects.filter(participants__organization=organization)
        .select_related("territory")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=ProgramParticipant.objects.select_related("organization").order_by(
                    "role", "organization__name"
                ),
            )
        )
        .distinct()
        .order_by("name")
    )
    for program in programs:
        program.my_role = next(
            p.get_role_display()
            for p in program.participants.all()
            if p.organization_id == organization.pk
        )
    return render(request, "programs/program_list.html", {"programs": programs})
