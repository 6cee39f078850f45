"""Scoping shared by every model that belongs to one organization and holds personal data."""

from django.db import models

from ancrage.accounts.enums import TEAM_ROLES


def team_organization_ids(user):
    """Organizations where ``user`` is in the team (they see its people), as a subquery."""
    from ancrage.accounts.models import Membership

    return (
        Membership.objects.active().filter(user=user, role__in=TEAM_ROLES).values("organization_id")
    )


class TeamScopedQuerySet(models.QuerySet):
    """``visible_to(user)``: rows of the organizations where the user is in the team; nothing else."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=team_organization_ids(user))
