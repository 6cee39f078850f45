from ancrage.accounts.enums import TEAM_ROLES, WRITE_ROLES


def roles(request):
    """Role groups for templates: ``{% if current_membership.role in TEAM_ROLES %}``."""
    return {"TEAM_ROLES": TEAM_ROLES, "WRITE_ROLES": WRITE_ROLES}
