"""The access registry enforced on every page (see ``ancrage.core.access``)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from ancrage.core.access import Audience, rule_for


class AccessRegistryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "api" in match.namespaces:
            return None
        rule = rule_for(match.view_name)
        if rule is None:
            raise PermissionDenied
        if rule.audience == Audience.PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if rule.audience == Audience.MEMBERS and not rule.scoped:
            membership = getattr(request, "membership", None)
            if not rule.allows_role(membership.role if membership else None):
                raise PermissionDenied
        return None
