from typing import Any

from django import forms, template
from django.utils.translation import gettext as _

from ancrage.core.money import format_euros, format_number
from ancrage.core.phone import display as display_phone
from ancrage.core.text import of

register = template.Library()


@register.filter
def euros(value, decimals=2):
    """``{{ amount|euros }}`` → ``1 234,56 €``."""
    return format_euros(value, int(decimals))


@register.filter
def cents(value):
    """``{{ amount_cents|cents }}`` → ``25 000,00 €`` (money kept in cents)."""
    return format_euros(None if value is None else value / 100)


@register.filter
def number(value, decimals=0):
    """``{{ count|number }}`` → ``12 345``."""
    if value is None or value == "":
        return "—"
    return format_number(value, int(decimals))


@register.filter
def widget_kind(bound_field) -> str:
    """How a field is laid out: ``choices`` (a group of boxes or radios, in a fieldset),
    ``checkbox`` (one box before its label) or ``input`` (a label above a control)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def styled(bound_field):
    """Render a form field with Bootstrap's class for its kind of widget (works for third-party forms).
    A group of boxes or radios is laid out by ``core/_choice_group.html``: the class of one box
    on the group's wrapper squeezed every label to a word per line."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return bound_field.as_widget()
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
        name_the_empty_choice(bound_field.field)
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})


DJANGO_DASHES = "---------"


def name_the_empty_choice(field) -> None:
    """Django's « --------- » says nothing: « Choisissez… » when a choice is required, « Aucun·e »
    when none may be made."""
    label = _("Choisissez…") if field.required else _("Aucun·e")
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_DASHES:
            field.empty_label = label
    elif isinstance(field, forms.ChoiceField):
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
        if any(text == DJANGO_DASHES for _value, text in choices):
            field.choices = [
                (value, label if text == DJANGO_DASHES else text) for value, text in choices
            ]


@register.filter(name="de")
def de(value):
    """``{{ person|de }}`` → « de BERNARD Lucas », « d'ARNAUD Inès »."""
    return of(value)


@register.filter
def phone(value):
    """``{{ person.phone|phone }}`` → ``06 12 34 56 78``."""
    return display_phone(value or "")


@register.simple_tag
def service_health() -> dict:
    """The state of the service (``core.health``), in words, for the operators' admin index."""
    import datetime

    from django.utils import timezone

    from ancrage.core.health import report

    result, ok = report()
    worker = result["worker"]
    if isinstance(worker, str):
        worker_text, oldest_text = worker, None
    else:
        seconds = worker["silent_seconds"]
        worker_text = (
            "jamais vu : lancez « ancrage worker »"
            if seconds is None
            else f"dernier signe de vie il y a {seconds} s"
        )
        oldest = result["oldest_queued_task_seconds"]
        oldest_text = "aucune" if oldest is None else f"en attente depuis {oldest} s"
    daily = [
        (name, timezone.localtime(datetime.datetime.fromisoformat(at)))
        for name, at in result.get("daily_tasks", {}).items()
    ]
    return {
        "ok": ok,
        "status": result["status"],
        "database": result["database"],
        "worker": worker_text,
        "oldest": oldest_text,
        "daily": daily,
    }
