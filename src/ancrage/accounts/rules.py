"""Permission predicates (django-rules). Object permissions take an Organization."""

import rules

from ancrage.accounts.enums import TEAM_ROLES, WRITE_ROLES, Role
from ancrage.accounts.queries import role_in


@rules.predicate
def is_org_admin(user, organization) -> bool:
    return role_in(user, organization) == Role.ADMIN


@rules.predicate
def is_team_member(user, organization) -> bool:
    return role_in(user, organization) in TEAM_ROLES


@rules.predicate
def can_write_in(user, organization) -> bool:
    return role_in(user, organization) in WRITE_ROLES


@rules.predicate
def is_member(user, organization) -> bool:
    return role_in(user, organization) is not None


rules.add_perm("accounts.view_organization", is_member)
rules.add_perm("accounts.change_organization", is_org_admin)
rules.add_perm("accounts.view_members", is_team_member)
rules.add_perm("accounts.manage_members", is_org_admin)
rules.add_perm("audit.view_access_log", is_org_admin)
