"""Current organization (kept in the session) and mandatory MFA for the organizations' teams."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ancrage.accounts.queries import has_mfa, memberships_of, mfa_required

SESSION_KEY = "ancrage_current_organization"

# Pages a user without MFA can still reach: setting it up, logging out, the allauth flow.
MFA_SETUP_VIEWS = {
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "core:health",
    "core:favicon",
}


class CurrentOrganizationMiddleware:
    """Sets ``request.membership`` (the current one) and ``request.other_memberships``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.other_memberships = ()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = memberships_of(user)
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organization_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.organization_id
            request.membership = current
            request.other_memberships = tuple(m for m in memberships if m is not current)
        return self.get_response(request)


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in MFA_SETUP_VIEWS:
            return None
        user = request.user
        if not mfa_required(user) or has_mfa(user):
            return None
        if "api" in match.namespaces:
            if match.url_name in ("schema", "docs"):
                return None
            return JsonResponse(
                {"detail": _("Activez la double authentification avant d'utiliser l'API.")},
                status=403,
            )
        return redirect("mfa_activate_totp")
