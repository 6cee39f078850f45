from django import forms
from django.utils import timezone

from ancrage.core.forms import MonthField
from ancrage.indicators.models import AnnualReport
from ancrage.indicators.queries import FIRST_YEAR
from ancrage.indicators.services import MAX_PERIOD_MONTHS, months_in


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["obstacles", "analysis"]
        widgets = {
            "obstacles": forms.Textarea(attrs={"rows": 6}),
            "analysis": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "obstacles": "Les freins rencontrés pendant l'année et ce qui a été fait pour les lever.",
            "analysis": "Votre lecture des chiffres, les évolutions, les perspectives.",
        }


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approve", "Approuver le bilan"), ("return", "Renvoyer pour compléments")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour un renvoi : ce qu'il faut compléter ou corriger.",
    )


class PeriodForm(forms.Form):
    """The months of a final report (an agreement's whole period), both included."""

    first_month = MonthField(label="Du mois")
    last_month = MonthField(label="Au mois (inclus)")

    def clean(self):
        data = super().clean() or {}
        first, last = data.get("first_month"), data.get("last_month")
        if first and last:
            if last < first:
                self.add_error("last_month", "Le dernier mois précède le premier.")
            elif months_in(first, last) > MAX_PERIOD_MONTHS:
                self.add_error(
                    "last_month", f"Une période compte {MAX_PERIOD_MONTHS} mois au plus."
                )
            elif first.year < FIRST_YEAR:
                self.add_error("first_month", f"Une période commence en {FIRST_YEAR} au plus tôt.")
            elif first > timezone.localdate():
                self.add_error("first_month", "Cette période n'a pas commencé.")
        return data
