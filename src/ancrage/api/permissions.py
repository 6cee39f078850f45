from rest_framework.permissions import SAFE_METHODS, BasePermission

from ancrage.accounts.permissions import organizations_where
from ancrage.accounts.queries import memberships_of
from ancrage.core.access import Audience, actions, rule_for


class RegistryPermission(BasePermission):
    """The access registry applied to API views, after DRF has authenticated the token or session.

    Object scoping is the viewset's job: its queryset is ``visible_to(request.user)``, so an
    object of another organization answers 404.
    """

    def has_permission(self, request, view) -> bool:
        authenticated = bool(request.user and request.user.is_authenticated)
        if authenticated and not self._may_write(request, view):
            return False  # first, so that the refusal says what the role does not allow
        return self._allowed_by_registry(request)

    def _may_write(self, request, view) -> bool:
        """A write needs a role that may take the viewset's ``write_action`` in at least one of
        the user's organizations: a funder or a read-only member gets a 403 saying why, before
        the body is read (which organization it is in is the service's check)."""
        action = getattr(view, "write_action", None)
        if request.method in SAFE_METHODS or action is None:
            return True
        if organizations_where(request.user, action):
            return True
        self.message = str(actions()[action].refusal)
        return False

    def _allowed_by_registry(self, request) -> bool:
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
