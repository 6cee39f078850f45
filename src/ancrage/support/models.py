"""Contacts (someone called, wrote or came in) and the desks where people are received."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet, team_organization_ids
from ancrage.core.models import TimeStampedModel
from ancrage.core.money import format_euros
from ancrage.core.phone import display as display_phone
from ancrage.people.enums import HousingSituation, Situation
from ancrage.support.enums import (
    ASSESSMENT_DOMAINS,
    CLOSED_STATUSES,
    DONE_STEP_STATUSES,
    FOLLOW_UP_MONTHS,
    OPEN_STATUSES,
    PENDING_STEP_STATUSES,
    SHAREABLE_FIELDS,
    AgeBand,
    AppointmentStatus,
    Channel,
    Direction,
    EnrollmentStatus,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
    FollowUpKind,
    HealthNeed,
    NoteVisibility,
    Outcome,
    Priority,
    ReferralStatus,
    StepKind,
    StepStatus,
    Subject,
)


class Desk(TimeStampedModel):
    """A place where an organization receives people away from its main office (permanence délocalisée)."""

    organization = models.ForeignKey(
        "accounts.Organization", models.CASCADE, related_name="desks", verbose_name=_("structure")
    )
    name = models.CharField(_("nom"), max_length=150)
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    schedule = models.CharField(_("jours et horaires"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("permanence délocalisée")
        verbose_name_plural = _("permanences délocalisées")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Une permanence porte déjà ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """One contact: a call, an e-mail, a visit… with a known person, an anonymous one or a partner."""

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="contacts",
        verbose_name=_("structure"),
    )
    direction = models.CharField(
        _("sens"), max_length=8, choices=Direction.choices, default=Direction.INCOMING
    )
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    desk = models.ForeignKey(
        Desk,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("permanence"),
    )
    occurred_at = models.DateTimeField(_("date et heure"), default=timezone.now, db_index=True)
    subjects = models.JSONField(_("sujets"), default=list)
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("personne"),
    )
    partner = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure partenaire"),
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=8, choices=AgeBand.choices, blank=True
    )
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    situation = models.CharField(
        _("situation"), max_length=24, choices=Situation.choices, blank=True
    )
    outcome = models.CharField(_("suite donnée"), max_length=12, choices=Outcome.choices)
    outcome_detail = models.CharField(
        _("précision"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : orienté·e vers la mission locale."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-occurred_at"], name="support_contact_org_date")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel=Channel.OUTREACH_DESK, desk__isnull=False)
                | (~Q(channel=Channel.OUTREACH_DESK) & Q(desk__isnull=True)),
                name="%(app_label)s_%(class)s_desk_iff_outreach",
                violation_error_message=_(
                    "Une permanence n'est indiquée que pour un contact en permanence délocalisée."
                ),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(partner__isnull=True),
                name="%(app_label)s_%(class)s_one_counterpart",
                violation_error_message=_(
                    "Un contact est avec une personne ou avec un partenaire, pas les deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="%(app_label)s_%(class)s_channel_valid",
                violation_error_message=_("Canal inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
                violation_error_message=_("Suite donnée inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} du {timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M}"
        )

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None and self.partner_id is None

    def subject_labels(self) -> list[str]:
        return [Subject(value).label for value in self.subjects if value in Subject.values]


def with_subject(queryset, subject: str):
    """Contacts about ``subject``: a text match on the JSON list (portable to SQLite, codes are quoted)."""
    return queryset.filter(subjects__icontains=f'"{subject}"')


class EnrollmentQuerySet(TeamScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Enrollment(TimeStampedModel):
    """A person followed by one organization, from the request to the exit.

    The status changes only through ``support.services`` (one function per transition, see
    ``docs/lifecycles.md``); each change is kept in ``EnrollmentEvent``.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="enrollments",
        verbose_name=_("structure"),
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="enrollments", verbose_name=_("personne")
    )
    program = models.ForeignKey(
        "programs.Program",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("dispositif"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("référent·e")
    )
    status = models.CharField(
        _("étape"),
        max_length=12,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.REQUESTED,
    )
    requested_on = models.DateField(_("demande le"))
    started_on = models.DateField(_("accompagnement depuis le"), null=True, blank=True)
    ended_on = models.DateField(_("terminé le"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Étape inconnue."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED_STATUSES) & Q(ended_on__isnull=False))
                | (Q(status__in=OPEN_STATUSES) & Q(ended_on__isnull=True)),
                name="%(app_label)s_%(class)s_ended_iff_closed",
                violation_error_message=_(
                    "Un accompagnement terminé a une date de fin, et seulement lui."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("requested_on")),
                name="%(app_label)s_%(class)s_ends_after_request",
                violation_error_message=_("La fin ne peut pas précéder la demande."),
            ),
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=Q(status__in=OPEN_STATUSES),
                name="%(app_label)s_%(class)s_one_open_per_person",
                violation_error_message=_(
                    "Cette personne a déjà un accompagnement en cours dans la structure."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Accompagnement de {self.person} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EnrollmentEvent(models.Model):
    """One status change of an enrollment: who, when, from what to what, why."""

    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="events", verbose_name=_("accompagnement")
    )
    from_status = models.CharField(
        _("de"), max_length=12, choices=EnrollmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=12, choices=EnrollmentStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("motif ou précision"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class Exit(models.Model):
    """How an enrollment ended: the outcome, and whether the household is ready for ordinary housing."""

    enrollment = models.OneToOneField(
        Enrollment, models.CASCADE, related_name="exit", verbose_name=_("accompagnement")
    )
    outcome = models.CharField(
        _("situation à la sortie"), max_length=16, choices=ExitOutcome.choices
    )
    exited_on = models.DateField(_("date de sortie"))
    ready_for_housing = models.BooleanField(
        _("prêt au logement"),
        default=False,
        help_text=_("Ménage prêt à accéder à un logement ordinaire."),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sortie")
        verbose_name_plural = _("sorties")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ExitOutcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
                violation_error_message=_("Situation de sortie inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return f"Sortie le {self.exited_on:%d/%m/%Y} : {self.get_outcome_display()}"


class Step(TimeStampedModel):
    """One administrative or practical action (démarche) within an enrollment."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="steps", verbose_name=_("accompagnement")
    )
    kind = models.CharField(_("démarche"), max_length=24, choices=StepKind.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=StepStatus.choices, default=StepStatus.TODO
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("obtenu ou refusé le"), null=True, blank=True)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    reference = models.CharField(
        _("référence"),
        max_length=40,
        blank=True,
        help_text=_(
            "Numéro unique SNE pour une demande de logement social, numéro de dossier sinon."
        ),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créée par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de démarche inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=DONE_STEP_STATUSES) & Q(done_on__isnull=False))
                | (Q(status__in=PENDING_STEP_STATUSES) & Q(done_on__isnull=True)),
                name="%(app_label)s_%(class)s_done_on_iff_done",
                violation_error_message=_("Une démarche terminée a une date, et seulement elle."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("Le montant ne peut pas être négatif."),
            ),
            models.UniqueConstraint(
                fields=["organization", "reference"],
                condition=Q(kind="social_housing_request") & ~Q(reference=""),
                name="%(app_label)s_%(class)s_unique_sne_number",
                violation_error_message=_(
                    "Ce numéro unique SNE est déjà enregistré pour une autre demande."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in PENDING_STEP_STATUSES
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class NoteQuerySet(models.QuerySet):
    def readable_by(self, user, enrollment):
        """Team notes for the team; "référent seul" notes for their author and the referent only."""
        return self.filter(enrollment=enrollment).filter(
            Q(visibility=NoteVisibility.TEAM) | Q(author=user) | Q(enrollment__referent=user)
        )


class Note(models.Model):
    """A dated, factual note in an enrollment. Never exported; never shared with another organization."""

    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="notes", verbose_name=_("accompagnement")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("auteur·rice")
    )
    visibility = models.CharField(
        _("visible par"), max_length=8, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=NoteVisibility.values),
                name="%(app_label)s_%(class)s_visibility_valid",
                violation_error_message=_("Visibilité inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return f"Note du {timezone.localtime(self.created_at):%d/%m/%Y}"


def _priority_field(label):
    return models.CharField(label, max_length=6, choices=Priority.choices, default=Priority.NONE)


class Assessment(models.Model):
    """A dated needs assessment (diagnostic) within an enrollment; repeatable."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="assessments", verbose_name=_("accompagnement")
    )
    assessed_on = models.DateField(_("date du diagnostic"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("réalisé par")
    )
    joint_with = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diagnostic conjoint avec"),
    )
    housing_priority = _priority_field(_("logement"))
    budget_priority = _priority_field(_("ressources et budget"))
    mobility_priority = _priority_field(_("mobilité"))
    health_priority = _priority_field(_("santé"))
    employment_priority = _priority_field(_("emploi / formation"))
    rights_priority = _priority_field(_("accès aux droits"))
    daily_life_priority = _priority_field(_("vie quotidienne"))
    health_needs = models.JSONField(_("besoins de santé (codés)"), default=list, blank=True)
    monthly_resources = models.DecimalField(
        _("ressources mensuelles (€)"), max_digits=9, decimal_places=2
    )
    housing_cost = models.DecimalField(
        _("coût du logement (€/mois)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_("Loyer et charges, aides au logement déduites."),
    )
    fixed_charges = models.DecimalField(
        _("charges fixes (€/mois)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_("Énergie, assurance, transport, téléphone, remboursements…"),
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_resources__gte=0)
                & Q(housing_cost__gte=0)
                & Q(fixed_charges__gte=0),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message=_("Les montants ne peuvent pas être négatifs."),
            ),
        ]

    def __str__(self) -> str:
        return f"Diagnostic du {self.assessed_on:%d/%m/%Y}"

    @property
    def disposable_income(self):
        """Reste à vivre: resources minus housing cost and fixed charges, per month."""
        return self.monthly_resources - self.housing_cost - self.fixed_charges

    def priorities(self) -> list[tuple[str, str, str]]:
        """(domain, label, priority label) for each domain of the grid."""
        return [
            (domain, label, getattr(self, f"get_{domain}_priority_display")())
            for domain, label in ASSESSMENT_DOMAINS
        ]

    def health_need_labels(self) -> list[str]:
        return [HealthNeed(code).label for code in self.health_needs if code in HealthNeed.values]


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Referrals sent or received by an organization where the user is in the team."""
        if not user.is_authenticated:
            return self.none()
        orgs = team_organization_ids(user)
        return self.filter(Q(sender_id__in=orgs) | Q(receiver_id__in=orgs))


class Referral(TimeStampedModel):
    """One organization hands a person to another, with the person's consent.

    The receiver sees only ``shared_data`` (what the sender chose to share), never the sender's file;
    the sender sees the status, never the receiver's notes or enrollment.
    """

    sender = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("structure qui oriente"),
    )
    receiver = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("structure qui reçoit"),
    )
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("personne (côté émetteur)"),
    )
    purpose = models.CharField(_("objet de l'orientation"), max_length=500)
    shared_data = models.JSONField(_("informations transmises"), default=dict)
    consent_on = models.DateField(_("consentement recueilli le"))
    status = models.CharField(
        _("état"), max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    refusal_reason = models.CharField(_("motif du refus"), max_length=300, blank=True)
    decided_on = models.DateField(_("décision le"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("envoyée par")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    joint_assessment = models.BooleanField(
        _("diagnostic conjoint prévu"),
        default=False,
        help_text=_("La structure qui reçoit fait le diagnostic avec la structure qui oriente."),
    )
    receiver_enrollment = models.OneToOneField(
        Enrollment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("accompagnement ouvert par la structure qui reçoit"),
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")),
                name="%(app_label)s_%(class)s_not_to_itself",
                violation_error_message=_(
                    "Une structure ne s'oriente pas une personne à elle-même."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(status=ReferralStatus.SENT) & Q(decided_on__isnull=True))
                | (~Q(status=ReferralStatus.SENT) & Q(decided_on__isnull=False)),
                name="%(app_label)s_%(class)s_decided_iff_not_sent",
                violation_error_message=_(
                    "Une orientation décidée a une date de décision, et seulement elle."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.REFUSED) | ~Q(refusal_reason=""),
                name="%(app_label)s_%(class)s_refusal_has_reason",
                violation_error_message=_("Un refus est motivé."),
            ),
        ]

    def __str__(self) -> str:
        return f"Orientation vers {self.receiver} ({self.get_status_display()})"

    def shared_items(self) -> list[tuple[str, str]]:
        """(label, readable value) of what was shared, in the order of ``SHAREABLE_FIELDS``."""
        readable = {
            "birth_date": lambda v: datetime.date.fromisoformat(v).strftime("%d/%m/%Y"),
            "phone": display_phone,
            "commune": lambda v: v.get("name", ""),
            "situation": lambda v: Situation(v).label if v in Situation.values else "",
            "housing_situation": lambda v: (
                HousingSituation(v).label if v in HousingSituation.values else ""
            ),
            "monthly_resources": lambda v: format_euros(Decimal(v)),
        }
        return [
            (str(label), readable.get(key, str)(self.shared_data[key]))
            for key, label in SHAREABLE_FIELDS
            if self.shared_data.get(key) not in (None, "")
        ]


class Appointment(TimeStampedModel):
    """A meeting between a counsellor and a person, in the counsellor's calendar."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="appointments", verbose_name=_("personne")
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="appointments",
        verbose_name=_("conseiller·ère"),
    )
    starts_at = models.DateTimeField(_("date et heure"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=45)
    desk = models.ForeignKey(
        Desk,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("permanence délocalisée"),
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    purpose = models.CharField(
        _("objet"),
        max_length=200,
        blank=True,
        help_text=_("Visible dans l'application seulement, jamais dans l'agenda exporté."),
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("fixé par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"], name="support_appt_counsellor_date")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=8 * 60),
                name="%(app_label)s_%(class)s_duration_plausible",
                violation_error_message=_("La durée va d'une minute à 8 heures."),
            ),
        ]

    def __str__(self) -> str:
        return f"Rendez-vous du {timezone.localtime(self.starts_at):%d/%m/%Y à %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        if self.desk_id and self.place:
            return f"{self.desk.name} — {self.place}"
        return self.desk.name if self.desk_id else self.place


class CalendarFeed(models.Model):
    """A private address where a counsellor's calendar app reads their appointments (iCal).

    Calendar apps cannot log in, so the address itself is the secret: only its SHA-256 is kept,
    the address is shown once, and generating a new one revokes the old.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("titulaire"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien d'agenda")
        verbose_name_plural = _("liens d'agenda")

    def __str__(self) -> str:
        return f"Agenda de {self.user}"


FOLLOW_UP_EARLY_DAYS = 30


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(exit__enrollment__in=Enrollment.objects.visible_to(user).values("pk"))

    def pending(self):
        return self.filter(done_on__isnull=True)


class FollowUp(models.Model):
    """A check on the person's situation 6 or 12 months after the exit, so outcomes hold over time."""

    exit = models.ForeignKey(
        Exit, models.CASCADE, related_name="follow_ups", verbose_name=_("sortie")
    )
    kind = models.CharField(_("échéance"), max_length=4, choices=FollowUpKind.choices)
    due_on = models.DateField(_("à faire le"))
    done_on = models.DateField(_("fait le"), null=True, blank=True)
    reached = models.BooleanField(
        _("personne jointe"),
        null=True,
        blank=True,
        help_text=_("Non : la personne n'a pas pu être jointe, sa situation reste inconnue."),
    )
    housing = models.CharField(
        _("logement"), max_length=20, choices=FollowUpHousing.choices, blank=True
    )
    activity = models.CharField(
        _("emploi ou formation"), max_length=12, choices=FollowUpActivity.choices, blank=True
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("suivi après la sortie")
        verbose_name_plural = _("suivis après la sortie")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exit", "kind"],
                name="%(app_label)s_%(class)s_once_per_kind",
                violation_error_message=_("Ce suivi existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FollowUpKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Échéance inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, reached__isnull=True)
                | Q(done_on__isnull=False, reached__isnull=False),
                name="%(app_label)s_%(class)s_done_iff_answered",
                violation_error_message=_("Un suivi fait dit si la personne a été jointe."),
            ),
        ]

    def __str__(self) -> str:
        return f"Suivi {self.get_kind_display()}"

    @property
    def months(self) -> int:
        return FOLLOW_UP_MONTHS[FollowUpKind(self.kind)]

    @property
    def is_late(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()

    @property
    def opens_on(self):
        """News may be taken a little before the due date, not months ahead."""
        return self.due_on - datetime.timedelta(days=FOLLOW_UP_EARLY_DAYS)

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.opens_on <= timezone.localdate()

    @property
    def still_housed(self) -> bool | None:
        """Housed autonomously at the check (None when unknown)."""
        if not self.reached or self.housing in ("", FollowUpHousing.UNKNOWN):
            return None
        return self.housing in (FollowUpHousing.SAME_HOME, FollowUpHousing.OTHER_AUTONOMOUS)

    @property
    def in_work_or_training(self) -> bool | None:
        if not self.reached or self.activity in ("", FollowUpActivity.UNKNOWN):
            return None
        return self.activity in (FollowUpActivity.EMPLOYMENT, FollowUpActivity.TRAINING)
