"""Form pieces shared by every app."""

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.text import fold


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO, the page shows dd/mm/yyyy."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month: the browser's month picker (``2026-03``), or « 03/2026 » typed where the browser
    has none; the value is the month's first day."""

    widget = MonthInput
    default_error_messages = {
        "invalid": _("Mois attendu au format mm/aaaa (par exemple 03/2026)."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"placeholder": "aaaa-mm", "maxlength": "7"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = str(value).strip()
        year = month = None
        if len(text) == 7 and text[4] == "-":
            year, month = text[:4], text[5:]
        elif len(text) == 7 and text[2] == "/":
            month, year = text[:2], text[3:]
        if not (year and month and year.isdigit() and month.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not (1900 <= int(year) <= 2999 and 1 <= int(month) <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(year), int(month), 1)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


COMMUNE_WIDGET_ATTRS = {
    "list": "communes-suggestions",
    "autocomplete": "off",
    "hx-get": "/communes/",
    "hx-trigger": "input changed delay:250ms",
    "hx-target": "#communes-suggestions",
    "hx-swap": "innerHTML",
}

# A person picker: the suggestions come from ``people:person_suggest`` (current organization only).
PERSON_PICKER_ATTRS = {
    "list": "personnes-suggestions",
    "autocomplete": "off",
    "hx-get": "/personnes/suggestions/",
    "hx-trigger": "input changed delay:250ms",
    "hx-target": "#personnes-suggestions",
    "hx-swap": "innerHTML",
}


class CommuneField(forms.CharField):
    """A commune typed as its INSEE code or postal code + name, as listed in the datalist."""

    default_error_messages = {
        "unknown": _("Commune inconnue : choisissez-la dans la liste (nom et code postal)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Tapez le nom ou le code postal, puis choisissez dans la liste.")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(COMMUNE_WIDGET_ATTRS)))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        # Before any query: PostgreSQL refuses a NUL character in a text parameter.
        ProhibitNullCharactersValidator()(value)
        communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE)
        code = value.rsplit("[", 1)[-1].rstrip("]").strip() if value.endswith("]") else value
        match = communes.filter(code=code).first()
        if match is None:
            exact = list(communes.filter(search_name=fold(value))[:2])
            candidates = exact or list(communes.search(value)[:2])
            match = candidates[0] if len(candidates) == 1 else None
        if match is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return match

    def prepare_value(self, value):
        if isinstance(value, Territory):
            return f"{value} [{value.code}]"
        if isinstance(value, int):
            territory = Territory.objects.filter(pk=value).first()
            return f"{territory} [{territory.code}]" if territory else ""
        return value


def add_service_errors(form: forms.Form, error) -> None:
    """A service's ``ValidationError`` shown on the form: under the field it names when the form
    has it, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def rows_formset(form: type[forms.Form], *, extra: int, most: int, too_many: str):
    """A formset of at most ``most`` rows, ``extra`` blank ones offered: a post claiming more rows
    (``TOTAL_FORMS`` of forty digits) is refused with ``too_many`` instead of being built,
    validated and drawn again a thousand rows long."""
    formset = forms.formset_factory(
        form, extra=extra, max_num=most, absolute_max=most, validate_max=True
    )
    formset.default_error_messages = {
        **formset.default_error_messages,
        "too_many_forms": too_many,
    }
    return formset


def show_when(field: forms.Field, condition: str) -> None:
    """Show ``field`` only while another control of its form holds one of some values:
    ``show_when(form.fields["months"], "mode=months")`` (``core/static/ancrage/show-when.js``;
    without JavaScript every field shows and the server decides)."""
    field.show_when = condition  # type: ignore[attr-defined]


class PeriodFilterForm(forms.Form):
    """A list's filters with a period (« Du », « Au », both optional, both included); subclasses
    add their own fields. ``in_period`` applies it to a date field of a queryset."""

    start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période précède son début."))
        return data

    def in_period(self, queryset, field: str):
        data = self.cleaned_data
        if data.get("start"):
            queryset = queryset.filter(**{f"{field}__gte": data["start"]})
        if data.get("end"):
            queryset = queryset.filter(**{f"{field}__lte": data["end"]})
        return queryset


def choices_or_all(choices, label=None) -> list[tuple[str, str]]:
    """A filter's choices with the empty « Tous » first."""
    return [("", label or _("Tous")), *choices]


class EurosField(forms.DecimalField):
    """An amount typed in euros (« 25000 » or « 25 000,50 »), cleaned to cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_value", Decimal("10000000000"))
        super().__init__(max_digits=14, decimal_places=2, localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = (
                value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
            )
        return super().to_python(value)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int((amount * 100).to_integral_value())


# The database's integers: an identifier beyond them names no row (SQLite would raise instead).
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with identifiers beyond the database's integers refused as unknown choices
    (Django bounds a single ``exact`` lookup, not the ``in`` of a multiple choice)."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip().lstrip("-")
            if text.isdigit() and (len(text) > 19 or int(text) > MAX_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]
