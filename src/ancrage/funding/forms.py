from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core.forms import CommuneField, DateInput, EurosField, show_when
from ancrage.funding.enums import InstallmentKind
from ancrage.indicators.definitions import INDICATORS


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


class SignedAgreementForm(forms.Form):
    file = forms.FileField(label=_("Convention signée (PDF, 10 Mo au plus)"))
    signed_on = forms.DateField(label=_("Signée le"), widget=DateInput(), required=False)


class PartnerAgreementLinkForm(forms.Form):
    partner_agreement: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Convention de partenariat"),
        queryset=None,
        required=False,
        empty_label=_("— aucune —"),
        help_text=_(
            "Celles où le financeur et le bénéficiaire sont parties ; la subvention y apparaît "
            "avec son montant, tenu ici seulement."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner_agreement"]).queryset = choices


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CriteriaField(forms.CharField):
    """The scoring grid, one criterion a line: « Qualité du projet ; 40 ; 5 » (label, weight,
    maximum score — 5 when left out)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        criteria = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) not in (2, 3) or not parts[0]:
                raise forms.ValidationError(
                    _("Ligne %(n)d : « intitulé ; poids ; note maximale » attendu.") % {"n": number}
                )
            try:
                weight = int(parts[1])
                max_score = int(parts[2]) if len(parts) == 3 else 5
            except ValueError:
                raise forms.ValidationError(
                    _("Ligne %(n)d : le poids et la note maximale sont des nombres entiers.")
                    % {"n": number}
                ) from None
            criteria.append((parts[0][:200], weight, max_score))
        return criteria


class CallForm(forms.Form):
    program: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Dispositif"), queryset=None)
    title = forms.CharField(label=_("Titre"), max_length=200)
    text = forms.CharField(
        label=_("Texte de l'appel"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    envelope = EurosField(label=_("Enveloppe totale (€)"))
    opens_at = forms.DateTimeField(label=_("Ouverture (heure de Paris)"), widget=DATETIME_WIDGET)
    closes_at = forms.DateTimeField(
        label=_("Clôture (heure de Paris)"),
        widget=DATETIME_WIDGET,
        help_text=_("Un dépôt à cette heure-là exactement est refusé."),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Structures éligibles"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes."),
    )
    territory: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Territoire éligible"),
        queryset=None,
        required=False,
        empty_label=_("Toute la France"),
    )
    required_documents = forms.CharField(
        label=_("Pièces demandées"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une par ligne, par exemple « Budget prévisionnel »."),
    )
    criteria = CriteriaField(
        label=_("Grille d'évaluation"),
        help_text=_("Un critère par ligne : « intitulé ; poids ; note maximale »."),
    )
    reviewers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Évaluateurs"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programs, territories, members, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs
        cast(forms.ModelChoiceField, self.fields["territory"]).queryset = territories
        cast(forms.ModelMultipleChoiceField, self.fields["reviewers"]).queryset = members
        cast(forms.MultipleChoiceField, self.fields["eligible_kinds"]).choices = kinds


class AccessRequestForm(forms.Form):
    organization_name = forms.CharField(label=_("Nom de la structure"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de structure"), choices=())
    commune = CommuneField(required=True)
    first_name = forms.CharField(label=_("Votre prénom"), max_length=100)
    last_name = forms.CharField(label=_("Votre nom"), max_length=100)
    email = forms.EmailField(label=_("Votre e-mail"), max_length=254)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("— choisir —")), *kinds]


class ApplicationForm(forms.Form):
    project = forms.CharField(
        label=_("Projet"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ce que vous ferez, pour qui, avec qui, et comment vous le mesurerez."),
    )
    amount = EurosField(label=_("Montant demandé par an (€)"), required=False)


class ApplicationDocumentForm(forms.Form):
    label = forms.ChoiceField(label=_("Pièce"), choices=())
    file = forms.FileField(label=_("Fichier (PDF, PNG ou JPEG, 10 Mo au plus)"))

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["label"]).choices = [
            *((label, label) for label in labels),
            (_("Autre pièce"), _("Autre pièce")),
        ]


class ReviewForm(forms.Form):
    conflict_of_interest = forms.TypedChoiceField(
        label=_("Conflit d'intérêts"),
        choices=[
            (
                "no",
                _("Je déclare n'avoir aucun lien avec cette structure ni intérêt à sa décision"),
            ),
            ("yes", _("Je déclare un conflit d'intérêts : je n'évalue pas cette candidature")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.label} (sur {criterion.max_score}, poids {criterion.weight})",
                required=False,
                min_value=0,
                max_value=criterion.max_score,
            )
            show_when(self.fields[f"score_{criterion.pk}"], "conflict_of_interest=no")

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("select", _("Retenir la candidature")), ("reject", _("Ne pas la retenir"))],
        widget=forms.RadioSelect,
    )
    granted = EurosField(label=_("Montant accordé par an (€)"), required=False)
    starts_on = forms.DateField(
        label=_("Début de la convention"), widget=DateInput(), required=False
    )
    ends_on = forms.DateField(label=_("Fin de la convention"), widget=DateInput(), required=False)
    comment = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus : il figure dans la lettre."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("granted", "starts_on", "ends_on"):
            show_when(self.fields[name], "decision=select")
