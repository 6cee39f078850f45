from __future__ import annotations

import re
from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.models import Organization
from ancrage.catalogue import hours, vocabulary
from ancrage.catalogue.models import Category, Entitlement, Payer, Period, Service
from ancrage.catalogue.services import ImportMode
from ancrage.core.forms import CommuneField, DateInput, EurosField, ModelMultipleChoiceField
from ancrage.housing.models import Residence
from ancrage.programs.models import Program

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


# --- Packs ---------------------------------------------------------------------------------


class PackForm(forms.Form):
    name = forms.CharField(label=_("Nom du pack"), max_length=150)
    residences = ModelMultipleChoiceField(
        label=_("Résidences couvertes"),
        queryset=Residence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une résidence.")},
    )
    program = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("— aucun —"),
        help_text=_("Pour suivre le pack sur le tableau de bord du dispositif."),
    )
    starts_on = forms.DateField(label=_("À partir du"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("Jusqu'au (exclu)"),
        widget=DateInput,
        required=False,
        help_text=_("Laisser vide pour un pack sans fin prévue."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from ancrage.housing.queries import residences_of
        from ancrage.programs.queries import programs_of

        residences = cast(ModelMultipleChoiceField, self.fields["residences"])
        residences.queryset = residences_of(organization)
        if not residences.queryset.exists():
            residences.help_text = _(
                "%(organization)s n'a aucune résidence : un pack couvre des résidences de la "
                "structure pour laquelle vous travaillez (changez-en en haut de la page)."
            ) % {"organization": organization}
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs_of(organization)

    @staticmethod
    def initial_of(pack) -> dict:
        return {
            "name": pack.name,
            "residences": list(pack.residences.all()),
            "program": pack.program_id,
            "starts_on": pack.starts_on,
            "ends_on": pack.ends_on,
        }


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.organization.name}"


class EntitlementForm(forms.Form):
    label = forms.CharField(
        label=_("Intitulé"), max_length=150, help_text=_("Par exemple : Pass transport, Repas.")
    )
    category = forms.ChoiceField(label=_("Catégorie"), choices=Category.choices)
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=1000)
    period = forms.ChoiceField(
        label=_("Période"),
        choices=Period.choices,
        help_text=_(
            "Par mois et par année : au prorata des jours passés à la résidence ; par semaine "
            "de présence : les semaines où la personne y est hébergée."
        ),
    )
    service = ServiceChoiceField(
        label=_("Service du catalogue"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("— assuré par la résidence —"),
        help_text=_("Le prestataire de ce service enregistre lui-même ses prestations."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["service"])
        field.queryset = (
            Service.objects.visible_to(user)
            .filter(is_active=True)
            .select_related("organization")
            .order_by("organization__name", "name")
        )


class DeliveryForm(forms.Form):
    entitlement = forms.ModelChoiceField(
        label=_("Droit"), queryset=Entitlement.objects.none(), empty_label=None
    )
    delivered_on = forms.DateField(label=_("Date"), widget=DateInput)
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=1000, initial=1)
    unit_cost = EurosField(
        label=_("Coût unitaire (€)"), min_value=Decimal(0), max_value=Decimal(100_000)
    )
    payer = forms.ChoiceField(label=_("Payé par"), choices=Payer.choices, initial=Payer.PACK)
    reason_beyond = forms.CharField(
        label=_("Motif du dépassement"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire quand la prestation dépasse ce qui reste du droit."),
    )

    def __init__(self, *args, entitlements, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["entitlement"])
        field.queryset = Entitlement.objects.filter(pk__in=[e.pk for e in entitlements])

    def delivery_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "entitlement": data["entitlement"],
            "delivered_on": data["delivered_on"],
            "quantity": data["quantity"],
            "unit_cost_cents": data["unit_cost"],
            "payer": data["payer"],
            "reason_beyond": data["reason_beyond"],
        }


class OpeningForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Prestataire"), queryset=Organization.objects.none(), empty_label=None
    )
    consent_on = forms.DateField(
        label=_("Accord de la personne le"),
        widget=DateInput,
        help_text=_(
            "Le prestataire verra son prénom, l'initiale de son nom et ses droits, rien d'autre."
        ),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
