from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ancrage.accounts.permissions import allowed_actions, require
from ancrage.housing import services
from ancrage.housing.forms import ApplicationForm
from ancrage.housing.models import HousingApplication
from ancrage.housing.queries import get_residence_for_user, rhythms_of, waiting_list_for
from ancrage.housing.waiting_list import CRITERIA
from ancrage.people.queries import person_label


@require_http_methods(["GET", "POST"])
def application_create(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = ApplicationForm(
        request.POST or None,
        user=request.user,
        organization=residence.organization,
        rhythms=rhythms_of(residence.organization),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.submit_application(
                residence=residence, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Demande enregistrée pour %(person)s.") % {"person": application.person}
            )
            return redirect("housing:waiting_list", residence.pk)
    return render(
        request,
        "housing/application_form.html",
        {"residence": residence, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def waiting_list(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id)
    allowed = allowed_actions(request.user, residence)
    result = waiting_list_for(residence)
    for ranked in [*result.eligible, *result.ineligible]:
        application = ranked.application
        ranked.house_url = (
            reverse("housing:booking_create", args=[residence.pk]) + f"?demande={application.pk}"
        )
    return render(
        request,
        "housing/waiting_list.html",
        {
            "residence": residence,
            "result": result,
            "rule_rows": [
                (criterion.label, *result.rules[criterion.code])
                for criterion in CRITERIA
                if criterion.code in result.rules
            ],
            "can_write": "housing.manage" in allowed,
            "is_admin": "housing.waiting_list_rules" in allowed,
        },
    )


@require_http_methods(["GET", "POST"])
def waiting_list_rules(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id)
    require(request.user, "housing.waiting_list_rules", residence)
    current = {r.code: (r.weight, r.mandatory) for r in residence.waiting_list_rules.all()}
    errors = []
    if request.method == "POST":
        rules = {}
        for criterion in CRITERIA:
            raw = request.POST.get(f"poids-{criterion.code}", "0").strip() or "0"
            if not raw.isdigit() or int(raw) > 100:
                errors.append(f"{criterion.label} : indiquez un nombre de points de 0 à 100.")
                continue
            rules[criterion.code] = (
                int(raw),
                request.POST.get(f"obligatoire-{criterion.code}") == "on",
            )
        if not errors:
            try:
                services.set_waiting_list_rules(
                    residence=residence, rules=rules, actor=request.user
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("Critères de la liste d'attente enregistrés."))
                return redirect("housing:waiting_list", residence.pk)
        current = {code: rules.get(code, current.get(code, (0, False))) for code in current | rules}
    rows = [(criterion, *current.get(criterion.code, (0, False))) for criterion in CRITERIA]
    return render(
        request,
        "housing/waiting_list_rules.html",
        {"residence": residence, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@require_POST
def application_close(request, application_id):
    application = get_object_or_404(
        HousingApplication.objects.visible_to(request.user).select_related("person"),
        pk=application_id,
    )
    require(request.user, "housing.manage", application)
    try:
        services.close_application(
            application=application, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Demande de %(person)s : %(status)s.")
            % {"person": application.person, "status": application.get_status_display().lower()},
        )
    return redirect("housing:waiting_list", application.residence_id)


def prefill_from_application(request, residence):
    """For the booking form: the pending application named in ``?demande=`` (or None)."""
    raw = request.GET.get("demande") or request.POST.get("demande")
    if not raw or not str(raw).isdigit():
        return None
    application = (
        HousingApplication.objects.visible_to(request.user)
        .filter(pk=int(raw), residence=residence, status="pending")
        .select_related("person", "rhythm")
        .first()
    )
    if application is not None:
        application.person_label = person_label(application.person)
    return application
