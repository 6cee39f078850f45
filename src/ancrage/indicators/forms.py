from django import forms

from ancrage.indicators.models import AnnualReport


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
