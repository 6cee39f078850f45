from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity
from ancrage.core.forms import PERSON_PICKER_ATTRS
from ancrage.housing.models import Residence
from ancrage.housing.queries import bookable_spaces_of, residences_of
from ancrage.people.queries import resolve_person
from ancrage.support.queries import active_desks


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "description", "residence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"kind": _("Type d'action"), "residence": _("Vie d'une résidence")}
        help_texts = {
            "residence": _("Une activité proposée aux résident·es, dans ses espaces communs.")
        }

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
        residence = cast(forms.ModelChoiceField, self.fields["residence"])
        residence.queryset = (
            residences_of(organization) if organization else Residence.objects.none()
        )
        residence.empty_label = _("— aucune —")
        if not residence.queryset.exists():
            del self.fields["residence"]

    def validate_unique(self):
        """Uniqueness is checked by the service, which knows the organization."""


class SpaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.residence.name}"


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=1, max_value=24 * 60, initial=120
    )
    desk = forms.ModelChoiceField(
        label=_("Permanence délocalisée"),
        queryset=None,
        required=False,
        empty_label=_("— aucune (au siège ou ailleurs) —"),
    )
    space = SpaceChoiceField(
        label=_("Espace commun d'une résidence"),
        queryset=None,
        required=False,
        empty_label=_("— aucun —"),
        help_text=_("Le créneau y est réservé avec la séance ; refusé s'il est déjà pris."),
    )
    place = forms.CharField(
        label=_("Lieu"),
        max_length=200,
        required=False,
        help_text=_(
            "Salle, adresse ou établissement. Facultatif si une permanence ou un espace commun "
            "est choisi."
        ),
    )
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = active_desks(organization)
        spaces = bookable_spaces_of(organization)
        if spaces.exists():
            cast(SpaceChoiceField, self.fields["space"]).queryset = spaces
        else:
            del self.fields["space"]
        self.fields["starts_at"].initial = timezone.localtime().replace(
            minute=0, second=0, microsecond=0
        )

    def clean(self):
        data = super().clean() or {}
        if (
            not data.get("place")
            and not data.get("desk")
            and not data.get("space")
            and "place" not in self.errors
        ):
            self.add_error("place", _("Indiquez le lieu ou choisissez une permanence."))
        return data


class AttendanceForm(forms.Form):
    person = forms.CharField(
        label=_("Personne présente"),
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_("Tapez le nom ou le téléphone, puis choisissez dans la liste."),
        error_messages={"required": _("Indiquez la personne présente.")},
    )

    def __init__(self, *args, user, organization, registering=False, **kwargs):
        if registering:
            kwargs["prefix"] = "inscription"
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        if registering:
            self.fields["person"].label = _("Personne à inscrire")
            self.fields["person"].error_messages["required"] = _("Indiquez la personne à inscrire.")

    def clean_person(self):
        person = resolve_person(self.user, self.organization, self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(
                _("Personne introuvable : choisissez-la dans la liste des suggestions.")
            )
        return person


class HeadCountForm(forms.Form):
    anonymous_count = forms.IntegerField(
        label=_("Participant·es non nommé·es"),
        min_value=0,
        max_value=10000,
        error_messages={
            "required": _("Indiquez un nombre (0 si tout le monde est nommé)."),
            "min_value": _("Le nombre ne peut pas être négatif."),
        },
    )
