"""Scoping shared by every model that belongs to one organization and holds personal data."""

from django.db import models


def team_organization_ids(user, action: str = "team.read") -> list[int]:
    """Organizations where ``user`` may take ``action`` (reading the team's files), from their
    active memberships, read once per request (``memberships_of``): a list of ids the database
    compares with, not a subquery it joins again in every scoped query of the page."""
    # accounts.queries imports the models, which build their managers from this module.
    from ancrage.accounts.queries import organizations_where

    return organizations_where(user, action)


def _person_field(model) -> str | None:
    for field in model._meta.concrete_fields:
        if (
            field.name == "person"
            and field.is_relation
            and field.related_model._meta.label == "people.Person"
        ):
            return field.name
    return None


class TeamScopedQuerySet(models.QuerySet):
    """``visible_to(user)``: rows of the organizations where the user is in the team; nothing else.

    A record about an archived person (RGPD lifecycle) is left out too, except for the members who
    may open the archive (``people.archive``)."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        rows = self.filter(organization_id__in=team_organization_ids(user))
        person = _person_field(self.model)
        if person is None:
            return rows
        return rows.filter(
            models.Q(**{f"{person}__isnull": True})
            | models.Q(**{f"{person}__archived_on__isnull": True})
            | models.Q(organization_id__in=team_organization_ids(user, "people.archive"))
        )
