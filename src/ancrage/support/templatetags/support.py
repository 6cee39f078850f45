from django import template

from ancrage.accounts.permissions import can
from ancrage.support.models import Enrollment

register = template.Library()


@register.inclusion_tag("support/_person_enrollments.html", takes_context=True)
def person_enrollments(context, person):
    """The enrollments of a person in its organization, with the button to open one."""
    user = context["request"].user
    enrollments = list(
        Enrollment.objects.visible_to(user)
        .filter(person=person)
        .select_related("referent")
        .order_by("-requested_on", "-id")
    )
    can_write = can(user, "support.record", person)
    return {
        "can_write": can_write,
        "person": person,
        "enrollments": enrollments,
        "can_open": can_write and not any(e.is_open for e in enrollments),
    }
