"""Default deny: every URL name must be listed in one access registry, with who may use it.

The registry itself is ``ancrage.access_registry`` (named by the ``ANCRAGE_ACCESS_REGISTRY`` setting
so that this module imports no app). It holds two tables (and ``MODULES``, the pages of each module):

- ``ACTIONS``: every action a role may take in an organization ("people.change", "housing.manage"…),
  with the roles allowed and the French message of a refusal. Services, views, templates and
  queryset scoping ask ``ancrage.accounts.permissions`` (which reads this table), never a role list;
- ``REGISTRY``: every URL name with the rule that guards it, built from the same actions.

``ancrage.core.middleware.AccessRegistryMiddleware`` enforces ``REGISTRY`` on every page:

- a view whose URL name is not registered answers 403, whoever asks;
- a ``public`` rule lets anyone in;
- any other rule needs a logged-in user (anonymous users go to the login page);
- a ``members`` rule also needs the user's role in the current organization to be allowed,
  unless the rule is ``scoped``: the URL then names an object, and the view checks the role
  in *that object's* organization through its access helper (which answers 404 to outsiders);
- a page of a module (``MODULES``: housing, support, activities) the current organization does not
  use answers 404: an employer's social service has no residences to open.

The API (namespace ``api``) is checked by ``ancrage.api.permissions.RegistryPermission`` after
DRF has authenticated the token, with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import import_module

from django.conf import settings
from django.utils.functional import Promise


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


@dataclass(frozen=True)
class Action:
    """Something a member may do in an organization: the roles allowed, what a refusal says."""

    roles: frozenset[str]
    refusal: str | Promise


def action(*roles: str, refusal: str | Promise) -> Action:
    if not roles:
        raise ValueError("An action needs at least one role.")
    return Action(frozenset(roles), refusal)


@cache
def _registry_module():
    return import_module(settings.ANCRAGE_ACCESS_REGISTRY)


def registry() -> dict[str, Rule]:
    return _registry_module().REGISTRY


def actions() -> dict[str, Action]:
    return _registry_module().ACTIONS


def action_roles(name: str) -> frozenset[str]:
    """The roles allowed to take the action ``name``; a name missing from the table is a bug."""
    return actions()[name].roles


def module_for(view_name: str | None) -> str | None:
    """The module a page belongs to (``MODULES`` of the registry, by namespace), if any."""
    if not view_name:
        return None
    namespace, _, _ = view_name.partition(":")
    return getattr(_registry_module(), "MODULES", {}).get(namespace)


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
