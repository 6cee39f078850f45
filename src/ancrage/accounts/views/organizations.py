from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts import services
from ancrage.accounts.enums import Module, OrganizationKind
from ancrage.accounts.forms import OrganizationForm
from ancrage.accounts.middleware import SESSION_KEY
from ancrage.accounts.models import Membership
from ancrage.accounts.permissions import get_organization_for_user
from ancrage.accounts.queries import (
    membership_in,
    organization_labels,
    partner_organizations,
    search_organizations,
)
from ancrage.core.access import Audience, module_for, rule_for

SUGGESTIONS = 15


@require_GET
def organization_suggest(request):
    """Suggestions for organization fields (an htmx fragment of ``<option>``): the organizations a
    member of the current one may name, from the same pool as the field (``module``, ``type``);
    the typed text comes in the parameter named by ``champ`` (the field's name)."""
    query = request.GET.get(request.GET.get("champ") or "q") or request.GET.get("q") or ""
    module = request.GET.get("module", "")
    kind = request.GET.get("type", "")
    labels: list[str] = []
    if (
        query.strip()
        and len(query) <= 300
        and "\x00" not in query
        and module in {"", *Module.values}
        and kind in {"", *OrganizationKind.values}
    ):
        pool = partner_organizations(request.membership.organization, module=module, kind=kind)
        labels = organization_labels(search_organizations(pool, query)[:SUGGESTIONS])
    return render(request, "accounts/_organization_options.html", {"labels": labels})


@require_POST
def switch_organization(request):
    membership = membership_in(request.user, request.POST.get("organization"))
    if membership is None:
        messages.error(request, _("Vous ne faites pas partie de cette structure."))
        return redirect("core:home")
    request.session[SESSION_KEY] = membership.organization_id
    messages.success(
        request,
        _("Vous travaillez maintenant pour %(name)s.") % {"name": membership.organization.name},
    )
    return redirect(_same_page_elsewhere(request, membership) or "core:home")


def _same_page_elsewhere(request, membership) -> str | None:
    """The page the user was on, when it means the same in the new organization: a list or a
    form of the current organization (its people, its residences…) that the new one may open. A
    page about one record belongs to the previous organization: home then."""
    wanted = request.POST.get("next", "")
    if not wanted or not url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
        return None
    try:
        match = resolve(urlsplit(wanted).path)
    except Resolver404:
        return None
    rule = rule_for(match.view_name)
    if rule is None or rule.scoped or match.kwargs:
        return None
    if rule.audience == Audience.MEMBERS and not rule.allows_role(membership.role):
        return None
    module = module_for(match.view_name)
    if module and module not in membership.organization.modules_used:
        return None
    return urlsplit(wanted).path


@require_GET
def organization_detail(request, organization_id):
    organization = get_organization_for_user(
        request.user, organization_id, action="organization.view"
    )
    team_count = Membership.objects.active().filter(organization=organization).count()
    return render(
        request,
        "accounts/organization_detail.html",
        {"organization": organization, "team_count": team_count},
    )


@require_http_methods(["GET", "POST"])
def organization_update(request, organization_id):
    organization = get_organization_for_user(
        request.user, organization_id, action="organization.manage"
    )
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fiche de la structure enregistrée."))
            return redirect("accounts:organization_detail", organization.pk)
    return render(
        request, "accounts/organization_form.html", {"organization": organization, "form": form}
    )
