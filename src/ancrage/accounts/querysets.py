"""Scoping shared by every model that belongs to one organization and holds personal data."""

from django.db import models

from ancrage.core.access import action_roles


def team_organization_ids(user):
    """Organizations where ``user`` may read the team's files (action "team.read"), as a subquery."""
    # accounts.models builds its managers from this module: the model is only there at call time.
    from ancrage.accounts.models import Membership

    return (
        Membership.objects.active()
        .filter(user=user, role__in=action_roles("team.read"))
        .values("organization_id")
    )


class TeamScopedQuerySet(models.QuerySet):
    """``visible_to(user)``: rows of the organizations where the user is in the team; nothing else."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=team_organization_ids(user))
