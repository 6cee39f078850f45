from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import Module, Role
from ancrage.accounts.models import Organization
from ancrage.accounts.queries import (
    organization_label,
    partner_organizations,
    resolve_organization,
)
from ancrage.core.forms import CommuneField

ORGANIZATION_TEXT_MAX = 300


class OrganizationInput(forms.TextInput):
    """A text box whose suggestions (a <datalist> of its own, filled by htmx as one types) come
    from ``accounts:organization_suggest`` for the same pool as the field's choices."""

    template_name = "accounts/widgets/organization_input.html"

    def __init__(self, *, module: str = "", kind: str = "", attrs=None):
        self.module, self.kind = module, kind
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        query = {"champ": name, **({"module": self.module} if self.module else {})}
        if self.kind:
            query["type"] = self.kind
        widget_attrs["list"] = f"{widget_attrs.get('id') or name}-suggestions"
        widget_attrs["hx-get"] = f"{reverse('accounts:organization_suggest')}?{urlencode(query)}"
        widget_attrs["hx-trigger"] = "input changed delay:250ms"
        widget_attrs["hx-target"] = f"#{widget_attrs['list']}"
        widget_attrs["hx-swap"] = "innerHTML"
        return context


class OrganizationField(forms.CharField):
    """An organization named in a form among the platform's thousands: typed, chosen among the
    suggestions, resolved here (by label, by name, by the words of a name; a number from a client
    that posts identifiers). ``queryset`` is set by the form, usually through ``offer_to``."""

    default_error_messages = {
        "unknown": _(
            "Aucune structure ne correspond à « %(text)s » : choisissez-la dans la liste des "
            "suggestions."
        ),
        "ambiguous": _(
            "%(count)d structures correspondent à « %(text)s » : choisissez-la dans la liste des "
            "suggestions."
        ),
        "too_long": _("Nom de structure trop long (%(max)d caractères au plus)."),
    }

    def __init__(self, *, module: str = "", kind: str = "", **kwargs):
        self.module, self.kind = module, kind
        self.queryset = Organization.objects.none()
        kwargs.setdefault("help_text", _("Tapez une partie du nom, puis choisissez dans la liste."))
        kwargs["widget"] = OrganizationInput(module=module, kind=kind)
        super().__init__(**kwargs)

    def offer_to(self, current: Organization) -> None:
        """The choices of a member of ``current``: the same pool as the suggestions."""
        self.queryset = partner_organizations(current, module=self.module, kind=self.kind)

    def to_python(self, value):
        if isinstance(value, Organization):
            return value
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > ORGANIZATION_TEXT_MAX:
            raise forms.ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={"max": ORGANIZATION_TEXT_MAX},
            )
        shown = text if len(text) <= 80 else f"{text[:79]}…"
        if "\x00" in text:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": shown}
            )
        if text.isdigit():
            found = list(self.queryset.filter(pk=int(text))) if len(text) < 19 else []
        else:
            found = resolve_organization(self.queryset, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": shown}
            )
        raise forms.ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": shown, "count": len(found)},
        )

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return organization_label(value)
        if isinstance(value, int) or (
            isinstance(value, str) and value.isdigit() and len(value) < 19
        ):
            organization = (
                Organization.objects.select_related("commune__departement").filter(pk=value).first()
            )
            return organization_label(organization) if organization else ""
        return value


class OrganizationForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=20,
        help_text=_("14 chiffres ; les espaces sont acceptés."),
    )
    commune = CommuneField()
    modules = forms.MultipleChoiceField(
        label=_("Modules utilisés"),
        choices=Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Le menu de l'équipe ne montre que ces modules ; leurs pages sont fermées sinon."
        ),
    )

    class Meta:
        model = Organization
        fields = ["name", "siret", "address", "commune"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["modules"] = sorted(self.instance.modules_used)

    def clean_siret(self):
        # People copy SIRETs with spaces or dots ("732 829 320 00074"): keep the digits.
        return "".join(ch for ch in self.cleaned_data["siret"] if ch.isalnum())


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Par exemple le nom de l'outil qui l'utilisera."),
    )
