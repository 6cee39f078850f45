from django import template

from ancrage.audit.queries import consultations_of, history_of

register = template.Library()


@register.inclusion_tag("audit/_consultations.html", takes_context=True)
def consultations(context, instance, can_see):
    """The "who consulted this file" panel, shown only to the organization's admins."""
    return {"events": consultations_of(instance) if can_see else None, "can_see": can_see}


@register.inclusion_tag("audit/_history.html", takes_context=True)
def history(context, instance, can_see):
    return {"events": history_of(instance) if can_see else None, "can_see": can_see}
