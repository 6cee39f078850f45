from django import template

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.queries import role_in
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
    can_write = role_in(user, person.organization_id) in WRITE_ROLES
    return {
        "can_write": can_write,
        "person": person,
        "enrollments": enrollments,
        "can_open": role_in(user, person.organization_id) in WRITE_ROLES
        and not any(e.is_open for e in enrollments),
    }
