from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.allocation.enums import Engine
from ancrage.core.forms import DateInput


class RunForm(forms.Form):
    starts_on = forms.DateField(label=_("Du"), widget=DateInput())
    ends_on = forms.DateField(label=_("Au"), widget=DateInput())
    engine = forms.ChoiceField(label=_("Moteur"), choices=Engine.choices, initial=Engine.HYBRID)
    time_limit = forms.IntegerField(
        label=_("Temps de calcul maximal (secondes)"), min_value=1, max_value=300, initial=20
    )
