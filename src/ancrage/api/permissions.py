from rest_framework.permissions import BasePermission

from ancrage.accounts.queries import memberships_of
from ancrage.core.access import Audience, rule_for


class RegistryPermission(BasePermission):
    """The access registry applied to API views, after DRF has authenticated the token or session.

    Object scoping is the viewset's job: its queryset is ``visible_to(request.user)``, so an
    object of another organization answers 404.
    """

    def has_permission(self, request, view) -> bool:
        match = request.resolver_match
        rule = rule_for(match.view_name if match else None)
        if rule is None:
            return False
        if rule.audience == Audience.PUBLIC:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        if rule.audience == Audience.MEMBERS and not rule.scoped:
            if request.auth is not None:
                # A token acts in any of the user's organizations (the body or the object says
                # which): a role allowed in one of them; the viewset's queryset and the service
                # keep each read and write to the right organizations.
                return any(rule.allows_role(m.role) for m in memberships_of(request.user))
            membership = getattr(request._request, "membership", None)  # a browser session
            return rule.allows_role(membership.role if membership else None)
        return True
