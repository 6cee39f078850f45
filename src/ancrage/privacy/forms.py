from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.core.forms import PERSON_PICKER_ATTRS
from ancrage.people.queries import resolve_person
from ancrage.privacy.enums import RequestKind
from ancrage.privacy.models import RetentionPolicy


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Droit exercé"), choices=RequestKind.choices)
    received_on = forms.DateField(
        label=_("Reçue le"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    person = forms.CharField(
        label=_("Personne"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_(
            "Si elle est suivie par la structure : tapez son nom et choisissez dans la liste. "
            "Laissez vide pour une personne inconnue de vos fichiers."
        ),
    )
    extended = forms.BooleanField(
        label=_("Demande complexe : délai prolongé de deux mois (la personne en est informée)"),
        required=False,
    )

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        self.fields["received_on"].initial = timezone.localdate()

    def clean_person(self):
        text = self.cleaned_data["person"]
        if not text:
            return None
        person = resolve_person(self.user, self.organization, text)
        if person is None:
            raise forms.ValidationError(
                _("Personne introuvable : choisissez-la dans la liste des suggestions.")
            )
        return person


class AnswerForm(forms.Form):
    refused = forms.BooleanField(label=_("Refuser la demande (motif obligatoire)"), required=False)
    reason = forms.CharField(label=_("Motif"), required=False, max_length=300)


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'effacement"),
        max_length=300,
        help_text=_(
            "Par exemple : « demande d'effacement reçue le 12/03 », « fiche créée par erreur ». "
            "N'écrivez rien sur la personne."
        ),
        error_messages={"required": _("Indiquez le motif de l'effacement.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Je comprends que les noms, coordonnées et textes libres seront effacés définitivement."
        ),
        error_messages={"required": _("Cochez la case pour confirmer l'effacement.")},
    )


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["archive_after_months", "anonymise_after_months"]
