"""Every action of the access registry as a django-rules permission, for templates:
``{% has_perm "members.view" user organization as can_view_members %}``.

The predicate is ``ancrage.accounts.permissions.can``: templates, views and services answer the same.
"""

import rules

from ancrage.accounts.permissions import can
from ancrage.core.access import actions


def _predicate(action: str):
    @rules.predicate(name=action)
    def allowed(user, obj) -> bool:
        return can(user, action, obj)

    return allowed


for _action in actions():
    rules.set_perm(_action, _predicate(_action))
