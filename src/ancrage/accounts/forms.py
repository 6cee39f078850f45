from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import Role
from ancrage.accounts.models import Organization
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.text import fold

COMMUNE_WIDGET_ATTRS = {
    "list": "communes-suggestions",
    "autocomplete": "off",
    "hx-get": "/communes/",
    "hx-trigger": "input changed delay:250ms",
    "hx-target": "#communes-suggestions",
    "hx-swap": "innerHTML",
}


class CommuneField(forms.CharField):
    """A commune typed as its INSEE code or postal code + name, as listed in the datalist."""

    default_error_messages = {
        "unknown": _("Commune inconnue : choisissez-la dans la liste (nom et code postal)."),
    }

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
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


class OrganizationForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=20,
        help_text=_("14 chiffres ; les espaces sont acceptés."),
    )
    commune = CommuneField(
        label=_("Commune"),
        required=False,
        help_text=_("Tapez le nom ou le code postal, puis choisissez dans la liste."),
        widget=forms.TextInput(attrs=COMMUNE_WIDGET_ATTRS),
    )

    class Meta:
        model = Organization
        fields = ["name", "siret", "address", "commune"]

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
