from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import Module
from ancrage.accounts.forms import OrganizationField
from ancrage.core.forms import (
    PERSON_PICKER_ATTRS,
    CommuneField,
    PeriodFilterForm,
    choices_or_all,
    show_when,
)
from ancrage.people.enums import Situation
from ancrage.people.queries import resolve_person
from ancrage.support.enums import (
    ADAPTATION_PATHWAYS,
    ASSESSMENT_DOMAINS,
    OPEN_STATUSES,
    SHAREABLE_FIELDS,
    AgeBand,
    AppointmentStatus,
    AssessmentKind,
    Channel,
    Direction,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
    HealthNeed,
    JobContract,
    MilestoneKind,
    NoteVisibility,
    Outcome,
    Pathway,
    Priority,
    ReferralStatus,
    StepKind,
    StepStatus,
    Subject,
    WorkKind,
)
from ancrage.support.models import Desk

COUNTERPARTS = [
    ("anonymous", _("Personne anonyme")),
    ("person", _("Personne suivie")),
    ("partner", _("Structure partenaire")),
]


class ContactForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Sens"),
        choices=Direction.choices,
        initial=Direction.INCOMING,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.PHONE)
    desk = forms.ModelChoiceField(
        label=_("Permanence (si permanence délocalisée)"),
        queryset=Desk.objects.none(),
        required=False,
    )
    occurred_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    subjects = forms.MultipleChoiceField(
        label=_("Sujets"),
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un sujet.")},
    )
    counterpart = forms.ChoiceField(
        label=_("Avec qui ?"), choices=COUNTERPARTS, initial="anonymous", widget=forms.RadioSelect
    )
    person = forms.CharField(
        label=_("Personne suivie"),
        required=False,
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_("Tapez le nom ou le téléphone, puis choisissez dans la liste."),
    )
    partner = OrganizationField(label=_("Structure partenaire"), required=False)
    age_band = forms.ChoiceField(
        label=_("Tranche d'âge"), choices=[("", "—"), *AgeBand.choices], required=False
    )
    commune = CommuneField()
    situation = forms.ChoiceField(
        label=_("Situation"), choices=[("", "—"), *Situation.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Suite donnée"), choices=Outcome.choices, initial=Outcome.INFORMATION
    )
    outcome_detail = forms.CharField(
        label=_("Précision"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : orienté·e vers la mission locale."),
    )

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        self.fields["desk"].queryset = Desk.objects.filter(
            organization=organization, is_active=True
        )
        cast(OrganizationField, self.fields["partner"]).offer_to(organization)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

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

    def clean(self):
        data = super().clean()
        kind = data.get("counterpart")
        if kind == "person" and not data.get("person") and "person" not in self.errors:
            self.add_error("person", _("Indiquez la personne suivie."))
        if kind == "partner" and not data.get("partner"):
            self.add_error("partner", _("Indiquez la structure partenaire."))
        if kind != "person":
            data["person"] = None
        if kind != "partner":
            data["partner"] = None
        return data


class ContactFilterForm(PeriodFilterForm):
    channel = forms.ChoiceField(
        label=_("Canal"), choices=choices_or_all(Channel.choices), required=False
    )
    subject = forms.ChoiceField(
        label=_("Sujet"), choices=choices_or_all(Subject.choices), required=False
    )
    field_order = ["channel", "subject", "start", "end"]


class ReferralFilterForm(PeriodFilterForm):
    direction = forms.ChoiceField(
        label=_("Sens"),
        choices=choices_or_all([("received", _("Reçues")), ("sent", _("Envoyées"))], _("Toutes")),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("État"), choices=choices_or_all(ReferralStatus.choices, _("Tous")), required=False
    )
    field_order = ["direction", "status", "start", "end"]


class CaseloadFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Étape"),
        choices=choices_or_all([(s.value, s.label) for s in OPEN_STATUSES], _("Toutes")),
        required=False,
    )


class DeskForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150)
    commune = CommuneField()
    schedule = forms.CharField(label=_("Jours et horaires"), max_length=200, required=False)


ACTION_LABELS = {
    "start_assessment": _("Passer au diagnostic"),
    "start_support": _("Commencer l'accompagnement"),
    "refuse": _("Refuser la demande"),
    "abandon": _("Constater l'abandon"),
    "close": _("Enregistrer la sortie"),
}


class EnrollmentOpenForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=None,
        required=False,
        empty_label=_("— hors dispositif —"),
        help_text=_(
            "Le dispositif dans lequel la personne est accompagnée ; il compte pour ses indicateurs."
        ),
    )
    referent = forms.ModelChoiceField(label=_("Référent·e"), queryset=None)
    requested_on = forms.DateField(
        label=_("Date de la demande"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    pathway = forms.ChoiceField(
        label=_("Parcours"),
        choices=[("", _("— non typé —")), *Pathway.choices],
        required=False,
        help_text=_("Pour un dispositif à parcours individuels (1000 LIANES)."),
    )

    def __init__(self, *args, referents, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents
        self.fields["program"].queryset = programs
        if len(programs) == 1 and not self.is_bound:
            self.initial.setdefault("program", programs[0].pk)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(label=_("Étape suivante"), choices=[])
    on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Motif ou précision"),
        max_length=300,
        required=False,
        help_text=_(
            "Obligatoire pour un refus. Restez factuel : la personne peut demander à lire son dossier."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("Situation à la sortie"), choices=[("", "—"), *ExitOutcome.choices], required=False
    )
    ready_for_housing = forms.BooleanField(
        label=_("Ménage prêt au logement ordinaire"), required=False
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, ACTION_LABELS[a]) for a in actions]
        self.fields["on"].initial = timezone.localdate()
        # Only a closing asks for the situation at the exit (see core/static/ancrage/show-when.js).
        show_when(self.fields["outcome"], "action=close")
        show_when(self.fields["ready_for_housing"], "action=close")

    def clean(self):
        data = super().clean()
        if data.get("action") == "close" and not data.get("outcome"):
            self.add_error("outcome", _("Indiquez la situation à la sortie."))
        if data.get("action") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Indiquez le motif du refus."))
        return data


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Démarche"), choices=StepKind.choices)
    due_on = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    amount = forms.DecimalField(
        label=_("Montant (€)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": _("Le montant ne peut pas être négatif.")},
    )
    reference = forms.CharField(
        label=_("Référence"),
        max_length=40,
        required=False,
        help_text=_(
            "Numéro unique SNE pour une demande de logement social, numéro de dossier sinon."
        ),
    )
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=StepStatus.choices)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Écrivez des faits datés, pas des jugements ni des diagnostics : la personne peut demander "
            "à lire son dossier. Les notes ne sortent jamais dans les exports ni vers un partenaire."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Visible par"), choices=NoteVisibility.choices, initial=NoteVisibility.TEAM
    )


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=AssessmentKind.choices, initial=AssessmentKind.NEEDS
    )
    assessed_on = forms.DateField(
        label=_("Date du diagnostic"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    health_needs = forms.MultipleChoiceField(
        label=_("Besoins de santé (codés, jamais de diagnostic médical)"),
        choices=HealthNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    home_works = forms.MultipleChoiceField(
        label=_("Aménagements préconisés (évaluation de l'autonomie)"),
        choices=WorkKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    housing_cost = forms.DecimalField(
        label=_("Coût du logement (€/mois)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        initial=0,
        help_text=_("Loyer et charges, aides au logement déduites."),
        error_messages={"min_value": _("Le montant ne peut pas être négatif.")},
    )
    fixed_charges = forms.DecimalField(
        label=_("Charges fixes (€/mois)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        initial=0,
        help_text=_("Énergie, assurance, transport, téléphone, remboursements…"),
        error_messages={"min_value": _("Le montant ne peut pas être négatif.")},
    )

    def __init__(self, *args, organization, pathway="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        if pathway not in ADAPTATION_PATHWAYS:
            del self.fields["kind"], self.fields["home_works"]
        else:
            self.fields["kind"].initial = AssessmentKind.AUTONOMY
        joint_with = OrganizationField(
            label=_("Diagnostic conjoint avec"),
            required=False,
            help_text=_(
                "La structure partenaire avec laquelle ce diagnostic est réalisé (vide : notre "
                "seule structure). Tapez une partie du nom, puis choisissez dans la liste."
            ),
        )
        joint_with.offer_to(organization)
        self.fields["joint_with"] = joint_with
        for domain, label in ASSESSMENT_DOMAINS:
            self.fields[f"{domain}_priority"] = forms.ChoiceField(
                label=_("Priorité — %(domain)s") % {"domain": label},
                choices=Priority.choices,
                initial=Priority.NONE,
            )

    def priorities(self) -> dict:
        return {
            domain: self.cleaned_data[f"{domain}_priority"] for domain, _label in ASSESSMENT_DOMAINS
        }


class ReferralForm(forms.Form):
    receiver = OrganizationField(
        label=_("Structure qui reçoit"),
        module=Module.SUPPORT,
        help_text=_(
            "Une structure qui accompagne des personnes (celles de votre département d'abord) : "
            "tapez une partie du nom, puis choisissez dans la liste. L'annuaire des partenaires "
            "dit ce que chacune propose."
        ),
    )
    purpose = forms.CharField(
        label=_("Objet de l'orientation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que vous demandez au partenaire, sans détail sur la vie de la personne."),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Informations transmises (le minimum utile)"),
        choices=SHAREABLE_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        initial=["last_name", "first_name", "phone"],
    )
    consent_on = forms.DateField(
        label=_("La personne a donné son accord le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Le consentement de la personne est obligatoire.")},
    )

    def __init__(self, *args, sender, **kwargs):
        super().__init__(*args, **kwargs)
        cast(OrganizationField, self.fields["receiver"]).offer_to(sender)


class ReferralDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accepter")), ("refuse", _("Refuser"))])
    reason = forms.CharField(label=_("Motif du refus"), max_length=300, required=False)
    joint_assessment = forms.BooleanField(
        label=_("Prévoir un diagnostic conjoint avec la structure qui oriente"), required=False
    )


class AppointmentForm(forms.Form):
    person = forms.CharField(
        label=_("Personne"),
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_("Tapez le nom ou le téléphone, puis choisissez dans la liste."),
        error_messages={"required": _("Indiquez la personne reçue.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=5, max_value=8 * 60, initial=45
    )
    counsellor = forms.ModelChoiceField(label=_("Conseiller·ère"), queryset=None)
    desk = forms.ModelChoiceField(
        label=_("Permanence délocalisée"),
        queryset=None,
        required=False,
        empty_label=_("— aucune (au siège ou ailleurs) —"),
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    purpose = forms.CharField(
        label=_("Objet"),
        max_length=200,
        required=False,
        help_text=_("Visible dans Ancrage seulement, jamais dans l'agenda exporté."),
    )

    def __init__(self, *args, user, organization, counsellors, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        self.fields["counsellor"].queryset = counsellors
        self.fields["desk"].queryset = Desk.objects.filter(
            organization=organization, is_active=True
        )

    def clean_person(self):
        person = resolve_person(self.user, self.organization, self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(
                _("Personne introuvable : choisissez-la dans la liste des suggestions.")
            )
        return person


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=AppointmentStatus.choices)


class FollowUpForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("La personne a-t-elle été jointe ?"),
        choices=[("yes", _("Oui")), ("no", _("Non, pas de nouvelles"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si la personne a été jointe.")},
    )
    housing = forms.ChoiceField(
        label=_("Où vit-elle aujourd'hui ?"),
        choices=[("", "—"), *FollowUpHousing.choices],
        required=False,
    )
    activity = forms.ChoiceField(
        label=_("Emploi ou formation aujourd'hui"),
        choices=[("", "—"), *FollowUpActivity.choices],
        required=False,
    )
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)


class ContactPersonForm(forms.Form):
    """Who an anonymous contact was: someone already followed, or a new file."""

    choice = forms.ChoiceField(
        label=_("La personne"),
        choices=[
            ("existing", _("est déjà suivie : choisir sa fiche")),
            ("new", _("n'a pas encore de fiche : la créer")),
        ],
        widget=forms.RadioSelect,
        initial="existing",
    )
    person = forms.CharField(
        label=_("Personne"),
        required=False,
        widget=forms.TextInput(attrs=PERSON_PICKER_ATTRS),
        help_text=_("Tapez le nom ou le téléphone, puis choisissez dans la liste."),
    )
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)
    confirmed_not_duplicate = forms.BooleanField(
        label=_("Ce n'est aucune des personnes ci-dessus : créer quand même la fiche"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        show_when(self.fields["person"], "choice=existing")
        for name in ("last_name", "first_name", "birth_date", "phone"):
            show_when(self.fields[name], "choice=new")

    def clean(self):
        data = super().clean() or {}
        if data.get("choice") == "existing":
            person = resolve_person(self.user, self.organization, data.get("person", ""))
            if person is None:
                self.add_error(
                    "person",
                    _("Personne introuvable : choisissez-la dans la liste des suggestions."),
                )
            data["person"] = person
        elif data.get("choice") == "new":
            for name, message in (
                ("last_name", _("Indiquez le nom.")),
                ("first_name", _("Indiquez le prénom.")),
            ):
                if not (data.get(name) or "").strip():
                    self.add_error(name, message)
        return data


class StepsUpdateForm(forms.Form):
    """The status given to the steps checked in the caseload (their ids are read by the view,
    among those of the organization the user may see)."""

    status = forms.ChoiceField(
        label=_("Nouvel état"),
        choices=StepStatus.choices,
        error_messages={"invalid_choice": _("État inconnu : choisissez un état dans la liste.")},
    )


# --- Typed pathways (1000 LIANES) ----------------------------------------------------------------


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _euros_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": _("Le montant ne peut pas être négatif.")},
        **kwargs,
    )


class PathwayForm(forms.Form):
    prefix = "parcours"
    pathway = forms.ChoiceField(
        label=_("Parcours"), choices=[("", _("— non typé —")), *Pathway.choices], required=False
    )


class WorkPlanForm(forms.Form):
    prefix = "travaux"
    kind = forms.ChoiceField(label=_("Travaux"), choices=WorkKind.choices)
    planned_on = _date_field(_("Prévus le"))
    cost = _euros_field(_("Coût estimé (€)"), help_text=_("Le montant du devis."))
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)


class WorkDoneForm(forms.Form):
    done_on = _date_field(_("Réalisés le"))
    cost = _euros_field(_("Coût réel (€)"), required=False, help_text=_("Vide : le coût estimé."))
    home_adapted = forms.BooleanField(
        label=_("Avec ces travaux, le logement est adapté à cette date"), required=False
    )


class HomeAdaptedForm(forms.Form):
    prefix = "logement"
    home_adapted_on = _date_field(
        _("Logement adapté le"),
        required=False,
        help_text=_("Vide : le logement n'est plus compté comme adapté (erreur de saisie)."),
    )


class MilestoneForm(forms.Form):
    prefix = "insertion"
    kind = forms.ChoiceField(label=_("Étape"), choices=MilestoneKind.choices)
    on = _date_field(_("Date"))
    detail = forms.CharField(
        label=_("Organisme, formation ou employeur"),
        max_length=120,
        required=False,
        help_text=_("Par exemple « France Travail Lens » ou « CAP cuisine — AFPA »."),
    )
    contract = forms.ChoiceField(
        label=_("Contrat (reprise d'emploi)"),
        choices=[("", _("— sans objet —")), *JobContract.choices],
        required=False,
    )
