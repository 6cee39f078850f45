from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.forms import OrganizationField
from ancrage.accounts.models import Organization, User
from ancrage.core.forms import DateInput, EurosField, ModelMultipleChoiceField
from ancrage.housing.forms import PersonPickerMixin, person_field
from ancrage.housing.models import Residence, Rhythm
from ancrage.partnerships.models import (
    CharterTemplate,
    CommitteeKind,
    CommitteeMember,
    MeetingKind,
    PathwayTemplate,
    PathwayTheme,
    PresenceBasis,
    SignatoryRole,
)
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import Program


class ApprenticeshipForm(PersonPickerMixin, forms.Form):
    person = person_field(_("Apprenti·e"))
    school = OrganizationField(label=_("École (CFA)"), kind=OrganizationKind.SCHOOL)
    employer = OrganizationField(label=_("Employeur"))
    diploma = forms.CharField(
        label=_("Diplôme préparé"),
        max_length=150,
        help_text=_("Par exemple : CAP Cuisine, BTS Management commercial opérationnel."),
    )
    starts_on = forms.DateField(label=_("Début du contrat"), widget=DateInput)
    ends_on = forms.DateField(label=_("Fin du contrat"), widget=DateInput)
    rhythm = forms.ModelChoiceField(
        label=_("Rythme d'alternance"),
        queryset=Rhythm.objects.none(),
        required=False,
        empty_label=_("— aucun —"),
    )

    def __init__(self, *args, user, organization, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        for name in ("school", "employer"):
            cast(OrganizationField, self.fields[name]).offer_to(organization)
        if person is not None:
            # Changing a contract: the apprentice stays; their rhythms are offered.
            del self.fields["person"]
            cast(forms.ModelChoiceField, self.fields["rhythm"]).queryset = Rhythm.objects.filter(
                person=person
            )
        else:
            del self.fields["rhythm"]

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("person", None)
        return data


class CharterTemplateForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Dispositif"), queryset=Program.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("Texte de la charte"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Une ligne qui commence par « ## » est un titre d'article ; une ligne vide sépare "
            "les paragraphes. Champs remplis pour chaque apprenti·e : {apprenti}, {ecole}, "
            "{employeur}, {diplome}, {debut}, {fin}, {structure}, {dispositif}."
        ),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = Program.objects.filter(
            pk__in=[p.pk for p in programs]
        ).order_by("name")


class CharterForm(forms.Form):
    """The charter of an apprenticeship: the wording, the apprentice's consent, who signs."""

    template = forms.ModelChoiceField(
        label=_("Modèle de charte"), queryset=CharterTemplate.objects.none(), empty_label=None
    )
    consent_on = forms.DateField(
        label=_("Accord de l'apprenti·e le"),
        widget=DateInput,
        help_text=_(
            "Date à laquelle l'apprenti·e a accepté que l'école et l'employeur voient la charte "
            "(son nom, son diplôme, les dates de son contrat)."
        ),
    )
    apprentice_name = forms.CharField(label=_("Nom de l'apprenti·e"), max_length=150)
    apprentice_email = forms.EmailField(label=_("E-mail de l'apprenti·e"), max_length=254)
    school_name = forms.CharField(label=_("Qui signe pour l'école"), max_length=150)
    school_email = forms.EmailField(label=_("E-mail de l'école"), max_length=254)
    employer_name = forms.CharField(label=_("Qui signe pour l'employeur"), max_length=150)
    employer_email = forms.EmailField(label=_("E-mail de l'employeur"), max_length=254)
    guardian_name = forms.CharField(
        label=_("Représentant·e légal·e"),
        max_length=150,
        required=False,
        help_text=_("Obligatoire si l'apprenti·e est mineur·e : il ou elle signe aussi."),
    )
    guardian_email = forms.EmailField(
        label=_("E-mail du ou de la représentant·e légal·e"), max_length=254, required=False
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["template"])
        field.queryset = templates
        field.label_from_instance = lambda t: (  # type: ignore[method-assign,assignment]
            f"{t.program.name} — {t.title} (version {t.version})"
        )

    def parties(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            role: (data.get(f"{role}_name") or "", data.get(f"{role}_email") or "")
            for role in SignatoryRole.values
        }


class SignForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par e-mail"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    accept = forms.BooleanField(label=_("J'ai lu la charte et je m'engage à la respecter."))


class VerifyForm(forms.Form):
    document = forms.FileField(label=_("Exemplaire PDF à vérifier"))


class CommitteeForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Dispositif"), queryset=Program.objects.none())
    name = forms.CharField(label=_("Nom"), max_length=150)
    kind = forms.ChoiceField(label=_("Type"), choices=CommitteeKind.choices)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs


class MemberForm(forms.Form):
    """A member with an account (chosen among the program's organizations) or without one."""

    user = forms.ModelChoiceField(
        label=_("Compte Ancrage"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— sans compte : nom ci-dessous —"),
    )
    name = forms.CharField(label=_("Nom (sans compte)"), max_length=150, required=False)
    represents = forms.CharField(label=_("Structure représentée"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail (sans compte)"), max_length=254, required=False)
    joined_on = forms.DateField(label=_("Membre depuis"), widget=DateInput)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = (
            User.objects.filter(
                is_active=True,
                memberships__is_active=True,
                memberships__organization__program_participations__program=committee.program,
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.email} — {u.email}"  # type: ignore[method-assign,assignment]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    evaluated_year = forms.IntegerField(
        label=_("Année évaluée"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Pour une évaluation annuelle : son bilan et ses indicateurs s'y ouvrent."),
    )
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def seat_label(member: CommitteeMember) -> str:
    return f"{member} ({member.represents})" if member.represents else str(member)


class MinutesForm(forms.Form):
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.CharField(
        label=_("Compte rendu"),
        max_length=50000,
        required=False,
        help_text=_(
            "Ce qui a été dit et décidé sur le dispositif : rien de nominatif sur les personnes "
            "accompagnées."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    present = ModelMultipleChoiceField(
        label=_("Présents"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["present"])
        field.queryset = CommitteeMember.objects.filter(committee=committee).select_related("user")
        field.label_from_instance = seat_label  # type: ignore[method-assign,assignment]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Porteur"), queryset=CommitteeMember.objects.none())
    due_on = forms.DateField(label=_("Échéance"), widget=DateInput)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["owner"])
        field.queryset = CommitteeMember.objects.filter(
            committee=committee, left_on__isnull=True
        ).select_related("user")
        field.label_from_instance = seat_label  # type: ignore[method-assign,assignment]


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Faite le"), widget=DateInput, required=False)


ROLE_CHOICES = [("", _("— rôle —")), *ParticipantRole.choices]
OTHER_PARTIES = 3


class AgreementForm(forms.Form):
    """The agreement, your organization's part, and up to three other parties."""

    title = forms.CharField(label=_("Intitulé"), max_length=200)
    purpose = forms.CharField(
        label=_("Objet"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    program = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("— aucun —"),
    )
    starts_on = forms.DateField(label=_("Début"), widget=DateInput)
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput)
    renewal_notice_days = forms.IntegerField(
        label=_("Alerte de renouvellement (jours avant la fin)"),
        min_value=0,
        max_value=365,
        initial=90,
    )
    own_role = forms.ChoiceField(label=_("Votre rôle"), choices=ParticipantRole.choices)
    own_commitment = forms.CharField(label=_("Votre engagement"), max_length=1000, required=False)
    own_amount = EurosField(label=_("Votre montant (€)"), required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from ancrage.programs.queries import programs_of

        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs_of(organization)
        for n in range(2, OTHER_PARTIES + 2):
            field = OrganizationField(label=_("Partie %(n)d") % {"n": n}, required=False)
            field.offer_to(organization)
            self.fields[f"party_{n}"] = field
            self.fields[f"party_{n}_role"] = forms.ChoiceField(
                label=_("Rôle de la partie %(n)d") % {"n": n}, choices=ROLE_CHOICES, required=False
            )
            self.fields[f"party_{n}_commitment"] = forms.CharField(
                label=_("Engagement de la partie %(n)d") % {"n": n}, max_length=1000, required=False
            )
            self.fields[f"party_{n}_amount"] = EurosField(
                label=_("Montant de la partie %(n)d (€)") % {"n": n}, required=False
            )

    def clean(self):
        data = super().clean() or {}
        for n in range(2, OTHER_PARTIES + 2):
            if data.get(f"party_{n}") and not data.get(f"party_{n}_role"):
                self.add_error(f"party_{n}_role", _("Indiquez le rôle de cette structure."))
        return data

    def parties(self, organization):
        from ancrage.partnerships.services.agreements import Party

        data = self.cleaned_data
        rows = [
            Party(
                organization,
                data["own_role"],
                data.get("own_commitment") or "",
                data.get("own_amount"),
            )
        ]
        for n in range(2, OTHER_PARTIES + 2):
            if data.get(f"party_{n}"):
                rows.append(
                    Party(
                        data[f"party_{n}"],
                        data[f"party_{n}_role"],
                        data.get(f"party_{n}_commitment") or "",
                        data.get(f"party_{n}_amount"),
                    )
                )
        return rows

    def agreement_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in (
                "title",
                "purpose",
                "program",
                "starts_on",
                "ends_on",
                "renewal_notice_days",
            )
        }


class SignedAgreementForm(forms.Form):
    file = forms.FileField(label=_("Convention signée (PDF)"))
    signed_on = forms.DateField(label=_("Signée le"), widget=DateInput)


# --- The citizen pathway -------------------------------------------------------------------------


class PathwayTemplateForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Dispositif"), queryset=Program.objects.none())
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=150,
        help_text=_("Par exemple : Parcours citoyen CLEA 2026-2027."),
    )
    presence = forms.ChoiceField(label=_("Séances proposées"), choices=PresenceBasis.choices)
    residence = forms.ModelChoiceField(
        label=_("Résidence"),
        queryset=Residence.objects.none(),
        required=False,
        empty_label=_("— n'importe laquelle de la structure —"),
    )
    clea_partner = OrganizationField(
        label=_("Créer les cinq modules CLEA, animés par"),
        required=False,
        help_text=_(
            "Premiers secours, posture professionnelle, droits et devoirs, prévention, "
            "engagement : 2 heures chacun, obligatoires, à ajuster ensuite. Laissez vide pour "
            "composer les modules vous-même."
        ),
    )

    def __init__(self, *args, programs, residences, organization, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs
        cast(forms.ModelChoiceField, self.fields["residence"]).queryset = residences
        cast(OrganizationField, self.fields["clea_partner"]).offer_to(organization)
        if editing:
            del self.fields["program"], self.fields["clea_partner"]
            self.fields["is_active"] = forms.BooleanField(
                label=_("Parcours proposé (décochez pour ne plus en ouvrir)"), required=False
            )


class PathwayModuleForm(forms.Form):
    theme = forms.ChoiceField(label=_("Thème"), choices=PathwayTheme.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=150)
    delivered_by = OrganizationField(label=_("Animé par (école, partenaire)"))
    expected_hours = forms.IntegerField(label=_("Heures prévues"), min_value=1, max_value=200)
    is_required = forms.BooleanField(label=_("Obligatoire"), required=False, initial=True)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        cast(OrganizationField, self.fields["delivered_by"]).offer_to(organization)


class PathwayForm(PersonPickerMixin, forms.Form):
    person = person_field(_("Alternant·e"))
    template = forms.ModelChoiceField(
        label=_("Parcours"), queryset=PathwayTemplate.objects.none(), empty_label=None
    )
    opened_on = forms.DateField(label=_("Ouvert le"), widget=DateInput)

    def __init__(self, *args, user, organization, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = templates


class PathwayOpeningForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("École ou partenaire"), queryset=Organization.objects.none(), empty_label=None
    )
    consent_on = forms.DateField(
        label=_("Accord de la personne le"),
        widget=DateInput,
        help_text=_(
            "La structure verra son prénom, l'initiale de son nom et ses séances, rien d'autre."
        ),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["partner"])
        field.queryset = Organization.objects.filter(pk__in=[p.pk for p in partners]).order_by(
            "name"
        )


class SessionChoiceForm(forms.Form):
    session = forms.IntegerField(min_value=1, max_value=2**62)
