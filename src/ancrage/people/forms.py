from decimal import Decimal
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.forms import OrganizationField
from ancrage.core.forms import CommuneField, DateInput, rows_formset
from ancrage.core.phone import display as display_phone
from ancrage.people.enums import (
    DocumentKind,
    HousingSituation,
    Relationship,
    ResourceKind,
    Situation,
)
from ancrage.people.models import MAX_HOUSEHOLD, MAX_RESOURCES, Person

YES_NO_UNKNOWN = [("", _("Non renseigné")), ("true", _("Oui")), ("false", _("Non"))]


class PersonForm(forms.ModelForm):
    commune = CommuneField()
    disability_recognised = forms.TypedChoiceField(
        label=_("Handicap reconnu"),
        choices=YES_NO_UNKNOWN,
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        help_text=_("Oui ou non seulement : aucune information médicale n'est enregistrée."),
    )

    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "phone",
            "email",
            "commune",
            "situation",
            "housing_situation",
            "disability_recognised",
            "informed_on",
        ]
        widgets = {"birth_date": DateInput(), "informed_on": DateInput()}
        help_texts = {"phone": _("Par exemple 06 12 34 56 78.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone:
            self.initial["phone"] = display_phone(self.instance.phone)
        if self.instance.pk and self.instance.disability_recognised is not None:
            self.initial["disability_recognised"] = (
                "true" if self.instance.disability_recognised else "false"
            )


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de ressource"), choices=[("", "—"), *ResourceKind.choices], required=False
    )
    monthly_amount = forms.DecimalField(
        label=_("Montant mensuel (€)"),
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        required=False,
        error_messages={"min_value": _("Le montant ne peut pas être négatif.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("monthly_amount") is None:
            self.add_error("monthly_amount", _("Indiquez le montant de cette ressource."))
        if data.get("monthly_amount") is not None and not data.get("kind"):
            self.add_error("kind", _("Indiquez le type de cette ressource."))
        return data


class HouseholdMemberForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    relationship = forms.ChoiceField(
        label=_("Lien"), choices=[("", "—"), *Relationship.choices], required=False
    )
    birth_year = forms.IntegerField(
        label=_("Année de naissance"), min_value=1900, max_value=2100, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("first_name") and not data.get("relationship"):
            self.add_error("relationship", _("Indiquez le lien avec la personne."))
        return data


ResourceFormSet = rows_formset(
    ResourceForm,
    extra=3,
    most=MAX_RESOURCES,
    too_many=_("%(max)s ressources au plus.") % {"max": MAX_RESOURCES},
)
HouseholdFormSet = rows_formset(
    HouseholdMemberForm,
    extra=2,
    most=MAX_HOUSEHOLD,
    too_many=_("%(max)s membres du foyer au plus.") % {"max": MAX_HOUSEHOLD},
)


def filled_rows(formset, required_key: str) -> list[dict]:
    """The rows a user actually filled in (blank rows are the form's spare lines)."""
    return [
        dict(form.cleaned_data)
        for form in formset.forms
        if form.cleaned_data.get(required_key) not in (None, "")
    ]


def resource_formset(data=None, person=None):
    initial = (
        [{"kind": r.kind, "monthly_amount": r.monthly_amount} for r in person.resources.all()]
        if person
        else []
    )
    return ResourceFormSet(data, prefix="ressources", initial=initial)


def household_formset(data=None, person=None):
    initial = (
        [
            {"first_name": m.first_name, "relationship": m.relationship, "birth_year": m.birth_year}
            for m in person.household.all()
        ]
        if person
        else []
    )
    return HouseholdFormSet(data, prefix="menage", initial=initial)


class NotDuplicateForm(forms.Form):
    confirmed_not_duplicate = forms.BooleanField(
        label=_("J'ai vérifié : il s'agit d'une autre personne"), required=False
    )


class SharingObjectionForm(forms.Form):
    partner = OrganizationField(
        label=_("Structure partenaire"),
        error_messages={"required": _("Choisissez la structure.")},
    )
    objected_on = forms.DateField(label=_("Opposition exprimée le"), widget=DateInput())

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        cast(OrganizationField, self.fields["partner"]).offer_to(organization)
        self.fields["objected_on"].initial = timezone.localdate()

    def clean_objected_on(self):
        day = self.cleaned_data["objected_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        return day


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(widget=forms.HiddenInput)


class PersonFilterForm(forms.Form):
    """The filters of the persons list, kept in the address (``?situation=apprentice``)."""

    q = forms.CharField(
        label=_("Nom, téléphone ou numéro unique de demande de logement social"),
        required=False,
        max_length=100,
    )
    situation = forms.ChoiceField(
        label=_("Situation"), required=False, choices=[("", _("Toutes")), *Situation.choices]
    )
    housing_situation = forms.ChoiceField(
        label=_("Situation de logement"),
        required=False,
        choices=[("", _("Toutes")), *HousingSituation.choices],
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    age_min = forms.IntegerField(label=_("Âge minimum"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Âge maximum"), required=False, min_value=0, max_value=120)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        commune = cast(forms.ChoiceField, self.fields["commune"])
        commune.choices = [("", _("Toutes")), *communes]

    def clean(self):
        cleaned = super().clean() or {}
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "age_max", _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
            )
        return cleaned


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de document"), choices=[("", _("— choisir —")), *DocumentKind.choices]
    )
    title = forms.CharField(
        label=_("Intitulé (facultatif)"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « Bulletin de salaire de septembre »."),
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, PNG ou JPEG, 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"required": _("Choisissez un fichier.")},
    )
