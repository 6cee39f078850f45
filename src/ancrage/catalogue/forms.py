from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.catalogue import hours, vocabulary
from ancrage.catalogue.services import ImportMode
from ancrage.core.forms import CommuneField

CODES = re.compile(r"[\s,;]+")


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ServiceForm(forms.Form):
    """A service as the data·inclusion schema describes it (the choices are its vocabularies)."""

    name = forms.CharField(label=_("Nom du service"), min_length=3, max_length=150)
    description = forms.CharField(
        label=_("Description"),
        min_length=5,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Idéalement 200 à 2 000 caractères, en phrases courtes."),
    )
    kind = forms.ChoiceField(label=_("Type de service"), required=False)
    themes = forms.MultipleChoiceField(
        label=_("Thématiques"), required=False, widget=forms.CheckboxSelectMultiple
    )
    publics = forms.MultipleChoiceField(
        label=_("Publics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("« Tous publics » ne se combine avec aucun autre."),
    )
    publics_details = forms.CharField(
        label=_("Précisions sur les publics"), required=False, max_length=2000
    )
    access_conditions = forms.CharField(
        label=_("Conditions d'accès"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fees = forms.ChoiceField(label=_("Frais"), required=False)
    fees_details = forms.CharField(
        label=_("Précisions sur les frais"), required=False, max_length=2000
    )
    reception_modes = forms.MultipleChoiceField(
        label=_("Modes d'accueil"), required=False, widget=forms.CheckboxSelectMultiple
    )
    eligibility_zone = forms.CharField(
        label=_("Zone d'éligibilité"),
        required=False,
        max_length=2000,
        help_text=_(
            "Codes du Code officiel géographique séparés par des virgules : commune (62041), EPCI "
            "(200033579), département (62) ou « france »."
        ),
    )
    commune = CommuneField(label=_("Commune du lieu d'accueil"))
    address = forms.CharField(label=_("Adresse"), required=False, max_length=300)
    address_complement = forms.CharField(
        label=_("Complément d'adresse"), required=False, max_length=300
    )
    opening_hours = forms.CharField(
        label=_("Horaires d'accueil"),
        required=False,
        max_length=hours.MAX_LENGTH,
        help_text=_(
            "Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »."
        ),
    )
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=40)
    email = forms.EmailField(label=_("Courriel"), required=False)
    contact_name = forms.CharField(
        label=_("Contact (nom et prénom)"), required=False, max_length=150
    )
    mobilisation_modes = forms.MultipleChoiceField(
        label=_("Modes de mobilisation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    mobilisable_by = forms.MultipleChoiceField(
        label=_("Mobilisable par"), required=False, widget=forms.CheckboxSelectMultiple
    )
    mobilisation_url = forms.URLField(
        label=_("Lien de mobilisation"), required=False, max_length=500, assume_scheme="https"
    )
    mobilisation_details = forms.CharField(
        label=_("Précisions sur la mobilisation"), required=False, max_length=2000
    )
    weekly_hours = forms.FloatField(
        label=_("Volume horaire hebdomadaire"), required=False, min_value=0, max_value=168
    )
    weeks = forms.IntegerField(
        label=_("Nombre de semaines"), required=False, min_value=1, max_value=520
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "fees"):
            _choice(self, name).choices = [("", "—"), *vocabulary.choices(name)]
        for name in (
            "themes",
            "publics",
            "reception_modes",
            "mobilisation_modes",
            "mobilisable_by",
        ):
            _choice(self, name).choices = vocabulary.choices(name)

    def theme_groups(self) -> list[dict]:
        """The thématiques' checkboxes by category, each group open when one of its boxes is
        ticked (69 boxes in one list are not readable)."""
        group_of = {term.code: term.group for term in vocabulary.terms("themes")}
        groups: dict[str, dict] = {}
        for choice in self["themes"]:
            label = group_of.get(str(choice.data["value"]), "")
            group = groups.setdefault(label, {"label": label, "choices": [], "ticked": 0})
            group["choices"].append(choice)
            group["ticked"] += bool(choice.data["selected"])
        return list(groups.values())

    def clean_eligibility_zone(self) -> list[str]:
        text = self.cleaned_data["eligibility_zone"]
        return [code for code in CODES.split(text.strip()) if code]

    def service_fields(self) -> dict:
        """The service's fields from the cleaned form (the commune gives its name, code and
        postal code)."""
        data = dict(self.cleaned_data)
        commune = data.pop("commune", None)
        data["commune_name"] = commune.name if commune else ""
        data["insee_code"] = commune.code if commune else ""
        postal = (commune.postal_codes.split(",")[0].strip() if commune else "") or ""
        data["postal_code"] = postal if len(postal) == 5 else ""
        return data

    @classmethod
    def initial_of(cls, service) -> dict:
        from ancrage.core.models import Territory

        initial = {name: getattr(service, name) for name in cls.base_fields if name != "commune"}
        initial["eligibility_zone"] = ", ".join(service.eligibility_zone)
        if service.insee_code:
            initial["commune"] = (
                Territory.objects.communes().filter(code=service.insee_code).first()
            )
        return initial


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Mots"), required=False, max_length=200)
    commune = CommuneField(
        label=_("Commune de la personne"),
        help_text=_("Les services dont la zone d'éligibilité couvre cette commune."),
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    public = forms.ChoiceField(label=_("Public"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "theme").choices = [
            ("", _("Tous les thèmes")),
            *vocabulary.categories(),
        ]
        _choice(self, "public").choices = [
            ("", _("Tous les publics")),
            *vocabulary.choices("publics"),
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier data·inclusion (JSON ou CSV)"),
        help_text=_(
            "10 Mo au plus. Le JSON est une liste de services ; le CSV a une ligne d'en-têtes."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Enregistrement"),
        choices=ImportMode.CHOICES,
        initial=ImportMode.DRY_RUN,
        widget=forms.RadioSelect,
    )


class OrientForm(forms.Form):
    consent_on = forms.DateField(
        label=_("La personne a donné son accord le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Le consentement de la personne est obligatoire.")},
    )
    shared_fields = forms.MultipleChoiceField(
        label=_(
            "Informations transmises, si la structure accompagne sur Ancrage (le minimum utile)"
        ),
        widget=forms.CheckboxSelectMultiple,
        initial=["last_name", "first_name", "phone"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ancrage.support.enums import SHAREABLE_FIELDS

        _choice(self, "shared_fields").choices = list(SHAREABLE_FIELDS)
