"""Default deny: every URL name must be listed in one access registry, with who may use it.

The registry itself is ``ancrage.access_registry.REGISTRY`` (named by the ``ANCRAGE_ACCESS_REGISTRY``
setting so that this module imports no app). ``AccessRegistryMiddleware`` enforces it on every page:

- a view whose URL name is not registered answers 403, whoever asks;
- a ``public`` rule lets anyone in;
- any other rule needs a logged-in user (anonymous users go to the login page);
- a ``members`` rule also needs the user's role in the current organization to be allowed,
  unless the rule is ``scoped``: the URL then names an object, and the view checks the role
  in *that object's* organization through its access helper (which answers 404 to outsiders).

The API (namespace ``api``) is checked by ``ancrage.api.permissions.RegistryPermission`` after
DRF has authenticated the token, with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string


class Audience(StrEnum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"  # any logged-in user, organization or not
    MEMBERS = "members"  # members of an organization with one of ``roles``
    STAFF = "staff"  # platform operators (Django admin, which checks is_staff itself)


@dataclass(frozen=True)
class Rule:
    audience: Audience
    roles: frozenset[str] = field(default_factory=frozenset)
    scoped: bool = False

    def allows_role(self, role: str | None) -> bool:
        if self.audience in (Audience.PUBLIC, Audience.AUTHENTICATED, Audience.STAFF):
            return True
        return role in self.roles


def public() -> Rule:
    return Rule(Audience.PUBLIC)


def authenticated(*, scoped: bool = False) -> Rule:
    """Any logged-in user; ``scoped`` when the URL names an object only some users may see (404 to others)."""
    return Rule(Audience.AUTHENTICATED, scoped=scoped)


def staff() -> Rule:
    return Rule(Audience.STAFF)


def members(*roles: str, scoped: bool = False) -> Rule:
    if not roles:
        raise ValueError("A members rule needs at least one role.")
    return Rule(Audience.MEMBERS, frozenset(roles), scoped)


@cache
def registry() -> dict[str, Rule]:
    return import_string(settings.ANCRAGE_ACCESS_REGISTRY)


def rule_for(view_name: str | None) -> Rule | None:
    """The rule of a URL name; ``namespace:*`` entries cover a whole namespace."""
    if not view_name:
        return None
    entries = registry()
    if view_name in entries:
        return entries[view_name]
    namespace, _, _ = view_name.rpartition(":")
    while namespace:
        wildcard = entries.get(f"{namespace}:*")
        if wildcard is not None:
            return wildcard
        namespace, _, _ = namespace.rpartition(":")
    return None


def roles_for(view_name: str) -> frozenset[str]:
    """The roles a registered view allows: views pass them to their access helpers."""
    rule = rule_for(view_name)
    if rule is None:
        raise PermissionDenied
    return rule.roles


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
