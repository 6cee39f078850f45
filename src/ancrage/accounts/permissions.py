"""The one place that answers "may this user do that here?", from the actions of the access registry.

An action ("people.change", "housing.manage"…) is allowed to a user in an organization when their
active membership there has one of the action's roles (``ancrage.access_registry.ACTIONS``). Services
call ``require`` before writing; views and templates ask ``can`` for their buttons; access helpers
fetch through ``get_for_user``; querysets scope with ``organizations_where`` or ``action_roles``.
No other module compares roles: ``tests/core/test_permissions.py`` fails if one does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, Union

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ancrage.accounts.models import Organization
from ancrage.accounts.queries import membership_in, organizations_where, role_in
from ancrage.core.access import action_roles, actions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ancrage.accounts.models import User

# Who asks: a signed-in user, or an anonymous visitor (who may do nothing).
Someone: TypeAlias = Union["User", "AnonymousUser"]  # noqa: UP007 (forward references)

__all__ = [
    "action_roles",
    "allowed_actions",
    "can",
    "current_organization_for",
    "get_for_user",
    "get_organization_for_user",
    "organization_id_of",
    "organizations_where",
    "require",
]


def organization_id_of(obj: Any) -> int | None:
    """The organization an object belongs to: an Organization, its id, or anything with an
    ``organization_id`` (a person, an enrollment, a booking…)."""
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj.pk
    if isinstance(obj, int):
        return obj
    return getattr(obj, "organization_id", None)


def can(user: Someone, action: str, obj: Any) -> bool:
    """Whether ``user`` may take ``action`` in the organization of ``obj``."""
    roles = action_roles(action)
    organization_id = organization_id_of(obj)
    return organization_id is not None and role_in(user, organization_id) in roles


def require(actor: Someone, action: str, obj: Any) -> None:
    """Raise ``PermissionDenied`` with the action's French message unless ``can`` allows it."""
    if not can(actor, action, obj):
        raise PermissionDenied(str(actions()[action].refusal))


def allowed_actions(user: Someone, organization: Any) -> frozenset[str]:
    """Every action ``user`` may take in ``organization``: the menus and buttons of a page."""
    role = role_in(user, organization_id_of(organization))
    if role is None:
        return frozenset()
    return frozenset(name for name, entry in actions().items() if role in entry.roles)


M = TypeVar("M", bound=Model)


def get_for_user(queryset: QuerySet[M], pk: Any, user: Someone, *, action: str | None = None) -> M:
    """One row of a ``queryset`` already scoped to ``user`` (``visible_to``): 404 when absent or not
    a number, 403 with the action's message when ``action`` is given and not allowed in the row's
    organization. Every ``get_<thing>_for_user`` helper goes through here."""
    try:
        obj = queryset.get(pk=int(pk))
    except (ObjectDoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    if action is not None:
        require(user, action, obj)
    return obj


def get_organization_for_user(user: Someone, organization_id: Any, *, action: str) -> Organization:
    """The organization if ``user`` is a member; 404 for outsiders, 403 when ``action`` is not
    allowed to their role there."""
    membership = membership_in(user, organization_id)
    if membership is None:
        raise Http404
    require(user, action, membership.organization_id)
    return membership.organization


def current_organization_for(
    request: Any, *, action: str, module: str | None = None
) -> Organization | None:
    """The current organization of a page's request when it uses ``module`` (if given) and the
    user may take ``action`` there; None otherwise (a home panel or a search group then stays
    out of the page)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    organization = membership.organization
    if module is not None and module not in organization.modules_used:
        return None
    return organization if can(request.user, action, organization) else None


def organization_for_write(user: Someone, organization_id: Any, *, action: str) -> Organization:
    """The organization an API write acts in: the one given (404 for outsiders, 403 without the
    role), or, when none is given, the only one where ``user`` may take ``action``; a
    ``ValidationError`` on ``organization`` when there are several (or none) to choose from."""
    if organization_id not in (None, ""):
        return get_organization_for_user(user, organization_id, action=action)
    allowed = organizations_where(user, action)
    if len(allowed) == 1:
        return get_organization_for_user(user, allowed[0], action=action)
    if not allowed:
        raise PermissionDenied(str(actions()[action].refusal))
    raise ValidationError(
        {"organization": _("Indiquez la structure (vous êtes membre de plusieurs).")}
    )
