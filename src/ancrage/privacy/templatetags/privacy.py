from django import template

from ancrage.accounts.permissions import allowed_actions
from ancrage.privacy.queries import requests_of

register = template.Library()


@register.inclusion_tag("privacy/_archived_banner.html", takes_context=True)
def archived_banner(context, person):
    """Above an archived file: who may see it, and how to give it back to the team."""
    allowed = allowed_actions(context["request"].user, person)
    return {
        "person": person,
        "can_restore": "people.archive" in allowed,
        "request": context["request"],
    }


@register.inclusion_tag("privacy/_person_rights.html", takes_context=True)
def person_rights(context, person):
    """The « Droits de la personne » card of a person's page, for the organization's admins."""
    allowed = allowed_actions(context["request"].user, person)
    if "privacy.manage" not in allowed:
        return {"shown": False}
    return {
        "shown": True,
        "person": person,
        "requests": requests_of(person),
        "request": context["request"],
    }
