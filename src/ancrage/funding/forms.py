from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core.forms import DateInput
from ancrage.funding.enums import InstallmentKind
from ancrage.indicators.definitions import INDICATORS


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


class AgreementForm(forms.Form):
    beneficiary: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Structure bénéficiaire"), queryset=None
    )
    program: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Dispositif"), queryset=None)
    subject = forms.CharField(
        label=_("Objet"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput())
    signed_on = forms.DateField(label=_("Signée le"), widget=DateInput(), required=False)
    yearly_amount = EurosField(
        label=_("Montant par an (€)"),
        help_text=_("Le même chaque année de la convention ; modifiable ensuite année par année."),
    )
    objectives_percent = forms.IntegerField(
        label=_("Part des objectifs exigée pour le solde (%)"),
        min_value=0,
        max_value=100,
        initial=100,
    )

    def __init__(self, *args, beneficiaries, programs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["beneficiary"]).queryset = beneficiaries
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs


class ObjectiveForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année"), coerce=int, choices=())
    indicator = forms.ChoiceField(label=_("Indicateur"), choices=())
    value = forms.FloatField(label=_("Objectif"), min_value=0.01, max_value=10**9)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [
            ("", _("— choisir —")),
            *sorted(((code, i.label) for code, i in INDICATORS.items()), key=lambda c: c[1]),
        ]


class InstallmentForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Nature"), choices=InstallmentKind.choices)
    amount = EurosField(label=_("Montant (€)"))
    planned_on = forms.DateField(label=_("Prévu le"), widget=DateInput())

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]


class DayForm(forms.Form):
    on = forms.DateField(label=_("Le"), widget=DateInput())
