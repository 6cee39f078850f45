"""The access registry enforced on every page (see ``ancrage.core.access``), and the
Content-Security-Policy sent with every response."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ancrage.core.access import Audience, module_for, rule_for


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
        module = module_for(match.view_name)
        membership = getattr(request, "membership", None)
        if module and membership is not None and module not in membership.organization.modules_used:
            # A module the current organization does not use is not there at all.
            raise Http404
        return None


# No inline script, no script from elsewhere: a script injected into a page (a name typed with a
# <script>, a compromised CDN) does not run. Inline styles stay allowed: the templates' few style
# attributes and htmx's indicator style (issue 15 notes what is left to do).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Sends the policy on every response; ``ANCRAGE_CSP_REPORT_ONLY`` sends it to be reported by
    browsers instead of enforced (to try a stricter policy on a running site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.ANCRAGE_CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        response.headers.setdefault(header, CONTENT_SECURITY_POLICY)
        return response
