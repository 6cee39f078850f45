from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ancrage.core.forms import add_service_errors
from ancrage.programs import services
from ancrage.programs.forms import ContactForm
from ancrage.programs.models import Program, ProgramContact, ProgramParticipant


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


def _program_for(user, program_id) -> Program:
    """A program one of the user's organizations takes part in (404 otherwise)."""
    from ancrage.accounts.permissions import get_for_user, organizations_where

    return get_for_user(
        Program.objects.filter(
            participants__organization_id__in=organizations_where(user, "programs.view")
        ).distinct(),
        program_id,
        user,
    )


def _network_page(request, program, *, form=None, form_for=None, status=200):
    participants = list(
        ProgramParticipant.objects.filter(program=program)
        .select_related("organization__commune")
        .prefetch_related("contacts")
        .order_by("role", "organization__name")
    )
    rows = [
        {
            "participant": p,
            "current": [c for c in p.contacts.all() if c.until is None],
            "past": [c for c in p.contacts.all() if c.until is not None],
            "editable": services.may_edit_contacts(request.user, p),
            "form": form if form_for == p.pk else ContactForm(auto_id=f"c{p.pk}_%s"),
        }
        for p in participants
    ]
    return render(
        request,
        "programs/program_network.html",
        {
            "program": program,
            "rows": rows,
            "form_for": form_for,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def program_network(request, program_id):
    """Who is who in the program: each organization's role, its contact people and those before
    them. What partners did (« partenaires mobilisés ») is counted from the records, not here."""
    return _network_page(request, _program_for(request.user, program_id))


@require_POST
def contact_add(request, program_id, participant_id):
    from ancrage.accounts.permissions import get_for_user

    program = _program_for(request.user, program_id)
    participant = get_for_user(program.participants.all(), participant_id, request.user)
    services.require_edit_contacts(request.user, participant)  # before reading the form
    form = ContactForm(request.POST, auto_id=f"c{participant.pk}_%s")
    if form.is_valid():
        try:
            services.add_contact(participant=participant, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact ajouté."))
            return redirect("programs:program_network", program.pk)
    return _network_page(request, program, form=form, form_for=participant.pk, status=400)


@require_POST
def contact_end(request, program_id, contact_id):
    from ancrage.accounts.permissions import get_for_user

    program = _program_for(request.user, program_id)
    contact = get_for_user(
        ProgramContact.objects.filter(participant__program=program).select_related("participant"),
        contact_id,
        request.user,
    )
    reopen = request.POST.get("action") == "reopen"
    try:
        services.end_contact(
            contact=contact, until=None if reopen else timezone.localdate(), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Contact de nouveau en fonction.") if reopen else _("Passage de relais noté."),
        )
    return redirect("programs:program_network", program.pk)
