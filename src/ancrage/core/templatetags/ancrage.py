from django import forms, template

from ancrage.core.money import format_euros, format_number
from ancrage.core.phone import display as display_phone

register = template.Library()


@register.filter
def euros(value, decimals=2):
    """``{{ amount|euros }}`` → ``1 234,56 €``."""
    return format_euros(value, int(decimals))


@register.filter
def number(value, decimals=0):
    """``{{ count|number }}`` → ``12 345``."""
    if value is None or value == "":
        return "—"
    return format_number(value, int(decimals))


@register.filter
def styled(bound_field):
    """Render a form field with Bootstrap's class for its kind of widget (works for third-party forms)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def phone(value):
    """``{{ person.phone|phone }}`` → ``06 12 34 56 78``."""
    return display_phone(value or "")
