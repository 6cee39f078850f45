from django import template

from ancrage.audit.queries import changed_field_labels, consultations_of, history_of

register = template.Library()


@register.inclusion_tag("audit/_consultations.html", takes_context=True)
def consultations(context, instance, can_see):
    """The "who consulted this file" panel, shown only to the organization's admins."""
    return {"events": consultations_of(instance) if can_see else None, "can_see": can_see}


@register.inclusion_tag("audit/_history.html", takes_context=True)
def history(context, can_see, *instances):
    """``{% history can_see person membership %}``: the changes of one or several records."""
    return {"events": history_of(*instances) if can_see else None, "can_see": can_see}


@register.filter
def changed_fields(event):
    return ", ".join(changed_field_labels(event))


@register.filter
def record_kind(event):
    model = event.content_type.model_class()
    return model._meta.verbose_name if model is not None else event.content_type.model
