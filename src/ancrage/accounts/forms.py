from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import Module, Role
from ancrage.accounts.models import Organization
from ancrage.core.forms import CommuneField


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
