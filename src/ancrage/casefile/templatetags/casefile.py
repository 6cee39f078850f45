from django import template

from ancrage.casefile.queries import TIMELINE_LIMIT, person_timeline

register = template.Library()


@register.inclusion_tag("casefile/_timeline.html")
def timeline(person):
    """The « Parcours » of a person's page: what every app recorded with them, most recent first."""
    entries = person_timeline(person)
    return {
        "timeline": entries,
        "truncated": len(entries) >= TIMELINE_LIMIT,
        "limit": TIMELINE_LIMIT,
    }
