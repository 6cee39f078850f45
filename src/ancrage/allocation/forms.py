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
    ignore_priorities = forms.BooleanField(
        label=_("Ignorer les priorités (simulation)"),
        required=False,
        help_text=_(
            "Sinon, quand tout le monde ne tient pas, les mieux classé·es de la liste d'attente "
            "passent d'abord (points, puis date de la demande) ; les résident·es gardent leur "
            "place."
        ),
    )


class TerritoryRunForm(RunForm):
    """A run over every residence of the manager in a commune, an EPCI, a département or a région."""

    territory = forms.TypedChoiceField(label=_("Territoire"), coerce=int)

    field_order = ["territory", "starts_on", "ends_on", "engine", "time_limit", "ignore_priorities"]

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.territories = {t.pk: t for t in territories}
        self.fields["territory"].choices = [(t.pk, t.name_and_kind) for t in territories]
        self.order_fields(self.field_order)

    def clean_territory(self):
        return self.territories[self.cleaned_data["territory"]]
