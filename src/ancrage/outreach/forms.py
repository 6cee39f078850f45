from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.models import Organization
from ancrage.core.enums import ImportMode
from ancrage.core.forms import DateInput
from ancrage.core.models import Territory
from ancrage.outreach.columns import COLUMNS
from ancrage.outreach.enums import (
    ATTEMPT_OUTCOMES,
    NUMERIC_FIELDS,
    AttemptChannel,
    ProspectStatus,
    RuleField,
    RuleOperator,
)
from ancrage.outreach.models import Campaign, OutreachList, Segment
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import Program
from ancrage.support.enums import Pathway


def landlords():
    return Organization.objects.filter(
        kind=OrganizationKind.SOCIAL_LANDLORD, is_active=True
    ).order_by("name")


class ListForm(forms.Form):
    name = forms.CharField(label=_("Nom de la liste"), max_length=120)
    program = forms.ModelChoiceField(label=_("Dispositif"), queryset=Program.objects.none())

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs


class UploadForm(forms.Form):
    landlord = forms.ModelChoiceField(
        label=_("Bailleur"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("Choisissez le bailleur dont c'est le fichier.")},
    )
    file = forms.FileField(
        label=_("Extrait du fichier des locataires"),
        help_text=_(
            "CSV (UTF-8 ou Windows-1252, séparateur ; ou ,) ou classeur Excel (.xlsx) ; la "
            "première ligne nomme les colonnes. Seules les colonnes utiles au repérage sont "
            "gardées."
        ),
        error_messages={"required": _("Choisissez le fichier à importer.")},
    )
    mode = forms.ChoiceField(
        label=_("Si des lignes sont refusées"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement (rien n'est écrit ; vous pourrez importer ensuite)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["landlord"]).queryset = landlords()


class MappingForm(forms.Form):
    """One box per column: the header this landlord's files use for it."""

    def __init__(self, *args, initial_columns: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS:
            self.fields[column.key] = forms.CharField(
                label=f"{column.key} — {column.label}",
                required=False,
                max_length=100,
                initial=initial_columns.get(column.key, ""),
                help_text=_("Obligatoire dans le fichier.") if column.required else column.help,
            )


CONDITION_ROWS = 4


class RuleForm(forms.Form):
    """A rule: up to four conditions (all must hold) and the points they give."""

    name = forms.CharField(label=_("Nom de la règle"), max_length=120)
    weight = forms.IntegerField(label=_("Points"), min_value=-1000, max_value=1000, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [("", _("—")), *RuleField.choices]
        for row in range(1, CONDITION_ROWS + 1):
            self.fields[f"field_{row}"] = forms.ChoiceField(
                label=_("Condition %(n)s : champ") % {"n": row}, choices=fields, required=False
            )
            self.fields[f"operator_{row}"] = forms.ChoiceField(
                label=_("Condition %(n)s : comparaison") % {"n": row},
                choices=[
                    (RuleOperator.AT_LEAST, _("au moins (nombres)")),
                    (RuleOperator.AT_MOST, _("au plus (nombres)")),
                    (RuleOperator.IS_TRUE, _("oui")),
                ],
                required=False,
            )
            self.fields[f"value_{row}"] = forms.DecimalField(
                label=_("Condition %(n)s : valeur") % {"n": row},
                required=False,
                max_digits=9,
                decimal_places=2,
                min_value=-99,
                max_value=9_999_999,
            )

    def conditions(self) -> list[dict]:
        found = []
        for row in range(1, CONDITION_ROWS + 1):
            field = self.cleaned_data.get(f"field_{row}")
            if not field:
                continue
            operator = self.cleaned_data.get(f"operator_{row}") or RuleOperator.IS_TRUE
            value = self.cleaned_data.get(f"value_{row}")
            if field in NUMERIC_FIELDS:
                found.append(
                    {
                        "field": field,
                        "operator": operator,
                        "value": "" if value is None else str(value.normalize()),
                    }
                )
            else:
                found.append({"field": field, "operator": RuleOperator.IS_TRUE})
        return found

    def condition_rows(self):
        return [
            (self[f"field_{row}"], self[f"operator_{row}"], self[f"value_{row}"], row)
            for row in range(1, CONDITION_ROWS + 1)
        ]


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Nom du segment"), max_length=80)
    min_score = forms.IntegerField(label=_("Score minimal"), min_value=-100_000, max_value=100_000)


class TerritoryCodeField(forms.CharField):
    """A commune (INSEE code), an EPCI (SIREN) or a département, by its official code."""

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        found = Territory.objects.by_code(value)
        if found is not None:
            return found
        raise forms.ValidationError(
            _(
                "Territoire inconnu : code INSEE d'une commune, SIREN d'un EPCI ou numéro de département."
            )
        )


class AssignmentForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.none())
    territory = TerritoryCodeField(
        label=_("Territoire"),
        required=False,
        max_length=12,
        help_text=_(
            "Code INSEE d'une commune, SIREN d'un EPCI ou numéro de département ; vide : tout "
            "le segment."
        ),
    )
    assignee = forms.ModelChoiceField(
        label=_("Confié à"),
        queryset=Organization.objects.none(),
        help_text=_("Une structure qui prend part au dispositif."),
    )

    def __init__(self, *args, outreach_list: OutreachList, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["segment"]).queryset = outreach_list.segments.all()
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = (
            Organization.objects.filter(
                is_active=True,
                program_participations__program=outreach_list.program,
            )
            .exclude(program_participations__role=ParticipantRole.FUNDER)
            .distinct()
            .order_by("name")
        )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nom de la campagne"), max_length=120)
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=_("Toute la liste"),
    )
    starts_on = forms.DateField(label=_("Début"), widget=DateInput)
    letter = forms.CharField(
        label=_("Texte du courrier"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=Campaign._meta.get_field("letter").help_text,
    )

    def __init__(self, *args, outreach_list: OutreachList, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["segment"]).queryset = outreach_list.segments.all()
        self.fields["starts_on"].initial = timezone.localdate()


class LettersSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Courriers postés le"), widget=DateInput)


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("Moyen"), choices=AttemptChannel.choices)
    outcome = forms.ChoiceField(
        label=_("Résultat"),
        choices=[(s.value, s.label) for s in ATTEMPT_OUTCOMES if s != ProspectStatus.TO_CONTACT],
    )
    occurred_on = forms.DateField(label=_("Le"), widget=DateInput)
    campaign = forms.ModelChoiceField(
        label=_("Campagne"), queryset=Campaign.objects.none(), required=False
    )

    def __init__(self, *args, outreach_list: OutreachList, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["campaign"]
        ).queryset = outreach_list.campaigns.all()
        self.fields["occurred_on"].initial = timezone.localdate()


class ConsentForm(forms.Form):
    on = forms.DateField(label=_("Accord recueilli le"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ConvertForm(forms.Form):
    pathway = forms.ChoiceField(label=_("Parcours"), choices=Pathway.choices)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=DateInput,
        help_text=_("Si la personne la donne : le fichier n'en garde que l'année."),
    )
    confirmed_not_duplicate = forms.BooleanField(
        label=_("Ce n'est aucune des fiches existantes qui lui ressemblent"), required=False
    )


class ProspectFilterForm(forms.Form):
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *ProspectStatus.choices], required=False
    )

    def __init__(self, *args, outreach_list: OutreachList, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["segment"]).queryset = outreach_list.segments.all()
