from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core.forms import DateInput
from ancrage.core.phone import to_e164


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150)
    function = forms.CharField(label=_("Fonction"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    since = forms.DateField(label=_("Contact depuis"), widget=DateInput, required=False)

    def clean_phone(self) -> str:
        return to_e164(self.cleaned_data.get("phone", ""))
