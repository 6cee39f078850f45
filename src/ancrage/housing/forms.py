import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.forms import OrganizationField
from ancrage.accounts.models import Organization
from ancrage.core.forms import (
    PERSON_PICKER_ATTRS,
    CommuneField,
    DateInput,
    PeriodFilterForm,
    choices_or_all,
    rows_formset,
    show_when,
)
from ancrage.housing.enums import (
    Accessibility,
    AllowanceSource,
    CommonSpaceKind,
    Granularity,
    ItemCondition,
    LeaseKind,
    PaymentMethod,
    ResidenceKind,
    RhythmTemplate,
    Typology,
)
from ancrage.housing.models import (
    MAX_INSPECTION_ITEMS,
    SCALE_LABELS,
    QuestionKind,
    RequestKind,
    Weekday,
)
from ancrage.people.queries import resolve_person


class PersonPickerMixin:
    def clean_person(self):
        person = resolve_person(self.user, self.organization, self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(
                _("Personne introuvable : choisissez-la dans la liste des suggestions.")
            )
        return person


def person_field(label):
    return forms.CharField(
        label=label,
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_("Tapez le nom ou le téléphone, puis choisissez dans la liste."),
        error_messages={"required": _("Indiquez la personne.")},
    )


class ResidenceForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150)
    kind = forms.ChoiceField(label=_("Type de résidence"), choices=ResidenceKind.choices)
    landlord = OrganizationField(label=_("Bailleur propriétaire"), required=False)
    address = forms.CharField(label=_("Adresse"), max_length=250, required=False)
    commune = CommuneField()
    common_spaces = forms.MultipleChoiceField(
        label=_("Espaces communs"),
        choices=CommonSpaceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff_presence = forms.CharField(
        label=_("Présence du personnel sur place"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : mardi et jeudi, 9 h – 17 h."),
    )
    house_rules = forms.CharField(
        label=_("Règlement intérieur"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        cast(OrganizationField, self.fields["landlord"]).offer_to(organization)


class UnitForm(forms.Form):
    reference = forms.CharField(label=_("Référence"), max_length=30)
    typology = forms.ChoiceField(label=_("Typologie"), choices=Typology.choices)
    beds = forms.IntegerField(label=_("Nombre de lits"), min_value=1, max_value=12, initial=1)
    surface = forms.DecimalField(
        label=_("Surface (m²)"), min_value=0, max_digits=6, decimal_places=2, required=False
    )
    floor = forms.IntegerField(label=_("Étage"), min_value=-5, max_value=60, initial=0)
    furnished = forms.BooleanField(label=_("Meublé"), required=False, initial=True)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibilité"),
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    monthly_rent = forms.DecimalField(
        label=_("Loyer mensuel (€)"), min_value=0, max_digits=8, decimal_places=2
    )
    monthly_charges = forms.DecimalField(
        label=_("Charges mensuelles (€)"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    weekly_price = forms.DecimalField(
        label=_("Prix à la semaine (€)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("Laisser vide si le logement ne se loue pas à la semaine."),
    )
    deposit = forms.DecimalField(
        label=_("Dépôt de garantie (€)"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    in_service_on = forms.DateField(
        label=_("En service depuis le"),
        widget=DateInput(),
        required=False,
        help_text=_("Vide : déjà en service. Les taux d'occupation ne comptent que ses semaines."),
    )


class RhythmForm(PersonPickerMixin, forms.Form):
    person = person_field(_("Alternant·e"))
    name = forms.CharField(
        label=_("Nom"), max_length=100, help_text=_("Par exemple : BTS MCO 2026-2027.")
    )
    template = forms.ChoiceField(label=_("Rythme"), choices=RhythmTemplate.choices)
    first_school_week = forms.DateField(
        label=_("Première semaine à l'école"),
        widget=DateInput(),
        help_text=_("Un jour de cette semaine ; elle commence le lundi."),
    )
    ends_on = forms.DateField(label=_("Fin du contrat ou de l'année"), widget=DateInput())
    custom_weeks = forms.CharField(
        label=_("Semaines à l'école (calendrier personnalisé)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Dates de lundi séparées par des virgules, par exemple 2026-09-07, 2026-09-21."
        ),
    )

    calendar: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Calendrier d'école importé"),
        queryset=None,
        required=False,
        help_text=_("Pour le rythme « Calendrier d'école importé »."),
    )

    def __init__(self, *args, user, organization, calendars, person=None, school=None, **kwargs):
        """``person``: the rhythm's person, fixed (no picker). ``school``: the apprentice's school,
        whose calendars come first in the list, under its name."""
        super().__init__(*args, **kwargs)
        self.user, self.organization, self.fixed_person = user, organization, person
        if person is not None:
            del self.fields["person"]
        show_when(self.fields["custom_weeks"], "template=custom")
        show_when(self.fields["calendar"], "template=calendar")
        field = cast(forms.ModelChoiceField, self.fields["calendar"])
        field.queryset = calendars
        if school is not None:
            own = [c for c in calendars if c.school_id == school.pk]
            others = [c for c in calendars if c.school_id != school.pk]
            if own:
                choices: list = [("", "---------")]
                choices.append((school.name, [(c.pk, c.name) for c in own]))
                if others:
                    choices.append((_("Autres calendriers"), [(c.pk, c.name) for c in others]))
                field.choices = choices
                field.help_text = _("Les calendriers de %(school)s viennent en premier.") % {
                    "school": school.name
                }

    def clean(self):
        data = super().clean() or {}
        if self.fixed_person is not None:
            data["person"] = self.fixed_person
        return data

    def clean_custom_weeks(self):
        import datetime

        days = []
        for raw in self.cleaned_data["custom_weeks"].replace(";", ",").split(","):
            raw = raw.strip()
            if not raw:
                continue
            try:
                days.append(datetime.date.fromisoformat(raw))
            except ValueError:
                raise forms.ValidationError(
                    _("« %(value)s » n'est pas une date (AAAA-MM-JJ).") % {"value": raw}
                ) from None
        return days


MODES = [
    ("rhythm", _("Les semaines à l'école d'un rythme d'alternance")),
    ("weeks", _("Des semaines consécutives")),
    ("months", _("Des mois entiers")),
    ("open", _("Sans date de fin")),
]


class BookingForm(PersonPickerMixin, forms.Form):
    person = person_field(_("Occupant·e"))
    bed = forms.ModelChoiceField(label=_("Logement"), queryset=None)
    mode = forms.ChoiceField(
        label=_("Que réserver ?"), choices=MODES, initial="rhythm", widget=forms.RadioSelect
    )
    rhythm = forms.ModelChoiceField(label=_("Rythme d'alternance"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("À partir du"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Jusqu'au"),
        widget=DateInput(),
        required=False,
        help_text=_("Pour un rythme ou des semaines : la dernière semaine comprise."),
    )
    months = forms.IntegerField(
        label=_("Nombre de mois"), min_value=1, max_value=36, required=False
    )
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)

    def __init__(self, *args, user, organization, beds, rhythms, busy=(set(), None), **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        taken, day = busy
        self.fields["bed"].queryset = beds

        def bed_label(bed) -> str:
            label = (
                f"{bed.unit.reference}{f' ({bed.label})' if bed.label else ''} — "
                f"{bed.unit.get_typology_display()}"
            )
            if day is None:
                return label
            state = _("occupé") if bed.pk in taken else _("libre")
            return f"{label} — {state} le {day:%d/%m/%Y}"

        self.fields["bed"].label_from_instance = bed_label
        self.fields["rhythm"].queryset = rhythms
        self.fields["rhythm"].label_from_instance = lambda r: (
            f"{r.person} — {r.name} ({r.template})"
        )
        self.fields["starts_on"].initial = timezone.localdate()
        # Each way of booking asks for its own fields (see core/static/ancrage/show-when.js).
        show_when(self.fields["rhythm"], "mode=rhythm")
        show_when(self.fields["ends_on"], "mode=rhythm|weeks")
        show_when(self.fields["months"], "mode=months")

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == "rhythm" and not data.get("rhythm"):
            self.add_error("rhythm", _("Choisissez le rythme d'alternance."))
        if mode in ("rhythm", "weeks") and not data.get("ends_on") and "ends_on" not in self.errors:
            self.add_error("ends_on", _("Indiquez la dernière semaine."))
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin ne peut pas précéder le début."))
        if mode == "months" and not data.get("months"):
            self.add_error("months", _("Indiquez le nombre de mois."))
        return data


class ChargesForm(forms.Form):
    through = forms.DateField(
        label=_("Émettre les échéances jusqu'au mois de"),
        widget=DateInput(),
        help_text=_("Les mois déjà émis ne changent pas."),
    )


class AllowanceForm(forms.Form):
    source = forms.ChoiceField(label=_("Tiers payant"), choices=AllowanceSource.choices)
    month = forms.DateField(label=_("Mois concerné"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("Montant (€)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": _("Le montant doit être positif.")},
    )


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Montant (€)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": _("Le montant doit être positif.")},
    )
    paid_on = forms.DateField(label=_("Payé le"), widget=DateInput())
    method = forms.ChoiceField(label=_("Moyen de paiement"), choices=PaymentMethod.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class LeaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de bail"), choices=LeaseKind.choices)
    starts_on = forms.DateField(label=_("Prise d'effet"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Fin"),
        widget=DateInput(),
        required=False,
        help_text=_("Obligatoire pour un bail mobilité (un à dix mois)."),
    )
    is_sliding = forms.BooleanField(
        label=_("Bail glissant (sous-location destinée à passer au nom de l'occupant·e)"),
        required=False,
    )
    planned_slide_on = forms.DateField(
        label=_("Glissement prévu le"), widget=DateInput(), required=False
    )


class DateActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("sign", "sign"), ("end", "end"), ("slide", "slide")], widget=forms.HiddenInput
    )
    on = forms.DateField(
        label=_("Date"), widget=DateInput(), error_messages={"required": _("Indiquez la date.")}
    )


class InspectionItemForm(forms.Form):
    room = forms.CharField(label=_("Pièce"), max_length=80, required=False)
    element = forms.CharField(label=_("Élément"), max_length=80, required=False)
    condition = forms.ChoiceField(
        label=_("État"), choices=[("", "—"), *ItemCondition.choices], required=False
    )
    comment = forms.CharField(label=_("Commentaire"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("room") or data.get("element")) and not data.get("condition"):
            self.add_error("condition", _("Choisissez l'état."))
        return data


InspectionItemFormSet = rows_formset(
    InspectionItemForm,
    extra=3,
    most=MAX_INSPECTION_ITEMS,
    too_many=_("%(max)s éléments au plus.") % {"max": MAX_INSPECTION_ITEMS},
)


class InspectionForm(forms.Form):
    done_on = forms.DateField(label=_("Réalisé le"), widget=DateInput())
    note = forms.CharField(
        label=_("Observations"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class ApplicationForm(PersonPickerMixin, forms.Form):
    person = person_field(_("Demandeur·se"))
    wished_from = forms.DateField(label=_("Souhaité à partir du"), widget=DateInput())
    wished_until = forms.DateField(label=_("Jusqu'au"), widget=DateInput(), required=False)
    granularity = forms.ChoiceField(
        label=_("Durée souhaitée"), choices=Granularity.choices, initial=Granularity.MONTHS
    )
    rhythm = forms.ModelChoiceField(label=_("Rythme d'alternance"), queryset=None, required=False)
    shares_unit = forms.BooleanField(
        label=_("Accepte de partager son logement"),
        help_text=_(
            "Avec d'autres alternant·es présent·es les autres semaines, pour ne payer qu'un loyer."
        ),
        required=False,
        initial=True,
    )
    needs_accessible = forms.BooleanField(
        label=_("A besoin d'un logement accessible PMR"), required=False
    )
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)

    def __init__(self, *args, user, organization, rhythms, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        self.fields["rhythm"].queryset = rhythms
        self.fields["rhythm"].label_from_instance = lambda r: (
            f"{r.person} — {r.name} ({r.template})"
        )


class SchoolCalendarForm(forms.Form):
    name = forms.CharField(
        label=_("Nom"), max_length=150, help_text=_("Par exemple : BTS MCO 1re année 2026-2027.")
    )
    school = forms.ModelChoiceField(
        label=_("École ou CFA"), queryset=Organization.objects.none(), required=False
    )
    file = forms.FileField(
        label=_("Fichier (.csv ou .ics)"),
        help_text=_(
            "CSV : une ligne par période à l'école, « début;fin » (AAAA-MM-JJ ou JJ/MM/AAAA). "
            "iCal : un événement par période."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Organization.objects.filter(
            is_active=True, kind="school"
        ).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 512 * 1024:
            raise forms.ValidationError(_("Fichier trop volumineux (512 Ko au plus)."))
        return upload


class HousingListFilterForm(PeriodFilterForm):
    """Filters of the bookings, leases and applications lists: a person (name), a residence of the
    organization, a state and a period."""

    q = forms.CharField(label=_("Personne"), required=False, max_length=100)
    residence: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Résidence"), queryset=None, required=False, empty_label=_("Toutes")
    )
    status = forms.ChoiceField(label=_("État"), required=False)
    field_order = ["q", "residence", "status", "start", "end"]

    def __init__(self, data, *, residences, statuses):
        super().__init__(data)
        residence_field = cast(forms.ModelChoiceField, self.fields["residence"])
        residence_field.queryset = residences
        status_field = cast(forms.ChoiceField, self.fields["status"])
        status_field.choices = choices_or_all(statuses)


class UnitServiceForm(forms.Form):
    """The weeks a unit counts in the residence's capacity."""

    in_service_on = forms.DateField(
        label=_("En service depuis le"), widget=DateInput(), required=False
    )
    out_of_service_on = forms.DateField(
        label=_("Hors service à partir du"), widget=DateInput(), required=False
    )


class OccupancyPeriodForm(forms.Form):
    du = forms.DateField(label=_("Du"), widget=DateInput())
    au = forms.DateField(label=_("Au (exclu)"), widget=DateInput())

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("du"), data.get("au")
        if start and end:
            if end <= start:
                self.add_error("au", _("La fin doit suivre le début."))
            elif (end - start).days > 3 * 366:
                self.add_error("au", _("Une période de trois ans au plus."))
        return data


class SpaceForm(forms.Form):
    """A common space of a residence (added, or changed when ``editing``)."""

    kind = forms.ChoiceField(label=_("Type d'espace"), choices=CommonSpaceKind.choices)
    name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        required=False,
        help_text=_("Par défaut, le type d'espace."),
    )
    capacity = forms.IntegerField(
        label=_("Capacité (personnes)"), min_value=1, max_value=1000, required=False
    )
    bookable = forms.BooleanField(label=_("Se réserve par créneaux"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Ouvert"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            self.fields["name"].required = True
            self.fields["name"].help_text = ""
        else:
            del self.fields["is_active"]


class SpaceBookingForm(PersonPickerMixin, forms.Form):
    """A slot in a common space, on one day."""

    day = forms.DateField(label=_("Jour"), widget=DateInput())
    starts = forms.TimeField(
        label=_("De"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("À"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    purpose = forms.CharField(
        label=_("Objet"), max_length=150, help_text=_("Par exemple : atelier cuisine, réunion.")
    )
    person = forms.CharField(
        label=_("Pour un·e résident·e (facultatif)"),
        required=False,
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_("Tapez le nom, puis choisissez dans la liste."),
    )

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organization = organization

    def clean_person(self):
        if not (self.cleaned_data.get("person") or "").strip():
            return None
        return super().clean_person()

    def clean(self):
        data = super().clean() or {}
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("La fin doit suivre le début."))
            else:
                zone = timezone.get_current_timezone()
                data["starts_at"] = datetime.datetime.combine(day, starts, tzinfo=zone)
                data["ends_at"] = datetime.datetime.combine(day, ends, tzinfo=zone)
        return data


YES_NO_SUFFIX = "(oui/non)"


def questions_text(questions) -> str:
    """The survey's questions as the form edits them: one a line, « (oui/non) » at the end of a
    yes/no question."""
    return "\n".join(
        f"{q.text} {YES_NO_SUFFIX}" if q.kind == QuestionKind.YES_NO else q.text for q in questions
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=150, required=False)
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Ouverte du"), widget=DateInput())
    closes_on = forms.DateField(label=_("Au (inclus)"), widget=DateInput())
    questions = forms.CharField(
        label=_("Questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Une question par ligne, dix au plus. Réponse sur une échelle de 1 à 4 ; terminez la "
            "ligne par « (oui/non) » pour une réponse oui ou non. Vide : les questions habituelles."
        ),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]

    def clean_questions(self):
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        questions = []
        for line in lines:
            if not line:
                continue
            if line.lower().endswith(YES_NO_SUFFIX):
                questions.append((line[: -len(YES_NO_SUFFIX)].strip(), QuestionKind.YES_NO))
            else:
                questions.append((line, QuestionKind.SCALE))
        return questions or None


class SurveyAnswerForm(forms.Form):
    """The survey as a resident answers it: one group of radio buttons a question, none required."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            choices: list[tuple[str, Any]]
            if question.kind == QuestionKind.SCALE:
                choices = [(str(v), f"{v} — {label}") for v, label in SCALE_LABELS.items()]
            else:
                choices = [("1", _("Oui")), ("0", _("Non"))]
            self.fields[f"q{question.position}"] = forms.TypedChoiceField(
                label=f"{question.position}. {question.text}",
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def answers(self) -> dict[int, int]:
        return {
            q.pk: self.cleaned_data[f"q{q.position}"]
            for q in self.questions
            if self.cleaned_data.get(f"q{q.position}") not in (None, "")
        }


class StaffSlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(
        label=_("De"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("À"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    who = forms.CharField(label=_("Qui"), max_length=120, help_text=_("Nom ou fonction."))


class ResidenceRequestForm(PersonPickerMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=RequestKind.choices)
    occurred_on = forms.DateField(label=_("Le"), widget=DateInput())
    summary = forms.CharField(
        label=_("Objet"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Des faits, sans diagnostic ni jugement : ce qui est demandé ou arrivé."),
    )
    person = forms.CharField(
        label=_("Résident·e concerné·e (facultatif)"),
        required=False,
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
    )

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_person(self):
        if not (self.cleaned_data.get("person") or "").strip():
            return None
        return super().clean_person()


class PairingForm(forms.Form):
    senior = forms.CharField(label=_("Aîné·e"), widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS))
    junior = forms.CharField(label=_("Jeune"), widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS))
    started_on = forms.DateField(label=_("Depuis le"), widget=DateInput())
    commitments = forms.CharField(
        label=_("Engagements"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que chacun·e s'engage à partager : repas, courses, compagnie, numérique…"),
    )

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        self.fields["started_on"].initial = timezone.localdate()

    def _person(self, field: str):
        person = resolve_person(self.user, self.organization, self.cleaned_data[field])
        if person is None:
            raise forms.ValidationError(
                _("Personne introuvable : choisissez-la dans la liste des suggestions.")
            )
        return person

    def clean_senior(self):
        return self._person("senior")

    def clean_junior(self):
        return self._person("junior")


class PairingEndForm(forms.Form):
    on = forms.DateField(label=_("Fin le"), widget=DateInput())
