"""Partnerships around the people followed: first, an apprentice's contract — the school (CFA)
and the employer, which may have no account on Ancrage, the diploma, the dates, the rhythm.
Charters, agreements between partners and committees build on it (issue 22)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref


class Apprenticeship(TimeStampedModel):
    """A person's apprenticeship contract, as the organization that follows them records it."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="apprenticeships",
        verbose_name=_("apprenti·e"),
    )
    school = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("école (CFA)")
    )
    employer = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("employeur")
    )
    diploma = models.CharField(_("diplôme préparé"), max_length=150)
    starts_on = models.DateField(_("début du contrat"))
    ends_on = models.DateField(_("fin du contrat"))
    rhythm = models.ForeignKey(
        "housing.Rhythm",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rythme d'alternance"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("contrat d'apprentissage")
        verbose_name_plural = _("contrats d'apprentissage")
        ordering = ["-starts_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="partnerships_apprenticeship_ends_after_start",
                violation_error_message=_("Le contrat finit après son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.diploma} — {self.employer}"


class CharterTemplate(TimeStampedModel):
    """The wording of a program's tripartite charter. A new wording is a new version, never an
    edit: a charter keeps the version it was prepared with."""

    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(
        _("texte"),
        max_length=20000,
        help_text=_(
            "Une ligne qui commence par « ## » est un titre d'article ; les autres, des "
            "paragraphes. Champs remplis : {apprenti}, {ecole}, {employeur}, {diplome}, {debut}, "
            "{fin}, {structure}, {dispositif}."
        ),
    )
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("modèle de charte")
        verbose_name_plural = _("modèles de charte")
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "version"], name="partnerships_template_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class SignatoryRole(models.TextChoices):
    APPRENTICE = "apprentice", _("Apprenti·e")
    GUARDIAN = "guardian", _("Représentant·e légal·e")
    SCHOOL = "school", _("École (CFA)")
    EMPLOYER = "employer", _("Employeur")


class Charter(TimeStampedModel):
    """The tripartite charter of an apprentice, their school and their employer: a PDF frozen
    when prepared (its SHA-256 is what each party signs), the signed PDF once every party has
    signed. A change of wording or of party is a new charter (the previous one revoked)."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    apprenticeship = models.ForeignKey(
        Apprenticeship, models.PROTECT, related_name="charters", verbose_name=_("contrat")
    )
    template = models.ForeignKey(
        CharterTemplate, models.PROTECT, related_name="charters", verbose_name=_("modèle")
    )
    consent_on = models.DateField(
        _("accord de l'apprenti·e le"),
        help_text=_(
            "Date à laquelle l'apprenti·e a accepté que l'école et l'employeur voient la charte."
        ),
    )
    document = models.CharField(max_length=200, editable=False)
    document_sha256 = models.CharField(_("empreinte du document"), max_length=64, editable=False)
    signed_document = models.CharField(max_length=200, blank=True, editable=False)
    signed_sha256 = models.CharField(
        _("empreinte du document signé"), max_length=64, blank=True, db_index=True, editable=False
    )
    completed_at = models.DateTimeField(_("complète le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("charte tripartite")
        verbose_name_plural = _("chartes tripartites")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["apprenticeship"],
                condition=Q(revoked_at__isnull=True),
                name="partnerships_charter_one_live_per_contract",
                violation_error_message=_("Ce contrat a déjà une charte en cours."),
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"CH-{self.created_at:%Y}-{self.pk:05d}" if self.pk else "CH-…"

    @property
    def status(self) -> str:
        """« à signer », « signée par 1 sur 3 », « complète », « révoquée » (signatories are read:
        prefetch them for a list)."""
        if self.revoked_at is not None:
            return str(_("révoquée"))
        if self.completed_at is not None:
            return str(_("complète"))
        parties = list(self.signatories.all())
        signed = sum(1 for s in parties if s.signed_at is not None)
        if signed == 0:
            return str(_("à signer"))
        return str(_("signée par %(signed)d sur %(total)d")) % {
            "signed": signed,
            "total": len(parties),
        }


class Signatory(models.Model):
    """A party to a charter and their personal signing link: the link's token and the one-time
    code are stored hashed; the signature keeps when, from where and which document's hash."""

    charter = models.ForeignKey(Charter, models.CASCADE, related_name="signatories")
    role = models.CharField(_("partie"), max_length=10, choices=SignatoryRole.choices)
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    link_sent_at = models.DateTimeField(_("lien envoyé le"))
    expires_at = models.DateTimeField(_("lien valable jusqu'au"))
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    codes_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_at = models.DateTimeField(_("bloqué le"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["charter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "role"], name="partnerships_signatory_one_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.charter}"


class CommitteeKind(models.TextChoices):
    STEERING = "steering", _("Comité de pilotage")
    TECHNICAL = "technical", _("Comité technique")
    FOLLOW_UP = "follow_up", _("Comité de suivi")


class Committee(TimeStampedModel):
    """A program's steering (or technical, or follow-up) committee, convened by one of its
    organizations; members hold an account or not."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=CommitteeKind.choices)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("comité")
        verbose_name_plural = _("comités")
        ordering = ["program", "name", "id"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A seat: a user of Ancrage, or someone without an account (name, structure, e-mail)."""

    committee = models.ForeignKey(Committee, models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "accounts.User", models.CASCADE, null=True, blank=True, related_name="committee_seats"
    )
    name = models.CharField(_("nom"), max_length=150, blank=True)
    represents = models.CharField(_("structure représentée"), max_length=200, blank=True)
    email = models.EmailField(_("adresse e-mail"), max_length=254, blank=True)
    joined_on = models.DateField(_("membre depuis"))
    left_on = models.DateField(_("membre jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre d'un comité")
        verbose_name_plural = _("membres d'un comité")
        ordering = ["committee", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=Q(user__isnull=False),
                name="partnerships_member_one_seat_per_user",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="partnerships_member_user_or_name",
            ),
        ]

    def __str__(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.email
        return self.name


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Réunion")
    ANNUAL_EVALUATION = "evaluation", _("Évaluation annuelle")


class Meeting(TimeStampedModel):
    committee = models.ForeignKey(Committee, models.CASCADE, related_name="meetings")
    kind = models.CharField(
        _("type"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    held_on = models.DateField(_("date"))
    evaluated_year = models.PositiveSmallIntegerField(
        _("année évaluée"), null=True, blank=True, help_text=_("Pour une évaluation annuelle.")
    )
    agenda = models.TextField(_("ordre du jour"), max_length=5000, blank=True)
    minutes = models.TextField(_("compte rendu"), max_length=50000, blank=True)
    present = models.ManyToManyField(
        CommitteeMember, related_name="meetings_attended", blank=True, verbose_name=_("présents")
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.held_on:%d/%m/%Y}"


class Decision(TimeStampedModel):
    """What a meeting decided, who carries it and by when, followed to done."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions")
    text = models.CharField(_("décision"), max_length=500)
    owner = models.ForeignKey(
        CommitteeMember, models.PROTECT, related_name="decisions", verbose_name=_("porteur")
    )
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("faite le"), null=True, blank=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["done_on", "due_on", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class PartnerAgreement(TimeStampedModel):
    """An agreement between partners (seed 002: a landlord, an association and an employer for
    three years; seed 004: a framework with roles). Its PDF is drawn from a versioned template;
    the signed copy is attached. Grants stay in funding agreements (one source for amounts paid
    by a funder), tied to this one from there and read through ``partnerships.grants``; a
    party's own commitment here may carry an amount."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    program = models.ForeignKey(
        "programs.Program",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispositif"),
    )
    title = models.CharField(_("intitulé"), max_length=200)
    purpose = models.TextField(_("objet"), max_length=5000)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("alerte de renouvellement (jours avant la fin)"), default=90
    )
    template_version = models.CharField(max_length=20, default="2026-1", editable=False)
    signed_document = models.CharField(max_length=200, blank=True, editable=False)
    signed_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("convention de partenariat")
        verbose_name_plural = _("conventions de partenariat")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="partnerships_agreement_ends_after_start",
                violation_error_message=_("La convention finit après son début."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    agreement = models.ForeignKey(PartnerAgreement, models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    role = models.CharField(_("rôle"), max_length=10)
    commitment = models.CharField(_("engagement"), max_length=1000, blank=True)
    amount_cents = models.BigIntegerField(_("montant (centimes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("partie d'une convention")
        verbose_name_plural = _("parties d'une convention")
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="partnerships_party_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)


# --- The citizen pathway (CLEA): modules delivered by schools and partners -------------------


class PathwayTheme(models.TextChoices):
    FIRST_AID = "first_aid", _("Premiers secours")
    POSTURE = "posture", _("Posture professionnelle")
    RIGHTS = "rights", _("Droits et devoirs")
    PREVENTION = "prevention", _("Prévention")
    ENGAGEMENT = "engagement", _("Engagement")
    OTHER = "other", _("Autre")


class PresenceBasis(models.TextChoices):
    """Which weeks a pathway's sessions may fall on for an apprentice."""

    RESIDENCE = "residence", _("Semaines où l'alternant·e loge à la résidence")
    SCHOOL = "school", _("Semaines où l'alternant·e est à l'école")


class PathwayTemplate(TimeStampedModel):
    """A program's citizen pathway as an organization runs it: its modules, who delivers each, the
    hours expected, and which weeks its sessions may fall on."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    title = models.CharField(_("intitulé"), max_length=150)
    presence = models.CharField(
        _("séances proposées"),
        max_length=10,
        choices=PresenceBasis.choices,
        default=PresenceBasis.RESIDENCE,
    )
    residence = models.ForeignKey(
        "housing.Residence",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("résidence"),
        help_text=_("Vide : n'importe quelle résidence de la structure."),
    )
    is_active = models.BooleanField(_("en cours"), default=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("modèle de parcours")
        verbose_name_plural = _("modèles de parcours")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "title"],
                name="partnerships_pathwaytemplate_unique_title",
                violation_error_message=_("Un parcours porte déjà cet intitulé."),
            ),
            models.CheckConstraint(
                condition=Q(presence__in=PresenceBasis.values),
                name="partnerships_pathwaytemplate_presence_valid",
                violation_error_message=_("Règle de présence inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PathwayModule(models.Model):
    """One module of a pathway: a theme, the organization that delivers it (a school, a partner),
    the hours expected; its sessions are those of its activity."""

    template = models.ForeignKey(
        PathwayTemplate, models.CASCADE, related_name="modules", verbose_name=_("parcours")
    )
    theme = models.CharField(_("thème"), max_length=12, choices=PathwayTheme.choices)
    title = models.CharField(_("intitulé"), max_length=150)
    delivered_by = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("intervenant (école, partenaire)"),
    )
    expected_hours = models.PositiveSmallIntegerField(_("heures prévues"), default=2)
    is_required = models.BooleanField(_("obligatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    activity = models.OneToOneField(
        "activities.Activity",
        models.PROTECT,
        related_name="pathway_module",
        verbose_name=_("action collective"),
    )

    class Meta:
        verbose_name = _("module de parcours")
        verbose_name_plural = _("modules de parcours")
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "title"],
                name="partnerships_pathwaymodule_unique_title",
                violation_error_message=_("Ce parcours a déjà un module de cet intitulé."),
            ),
            models.CheckConstraint(
                condition=Q(theme__in=PathwayTheme.values),
                name="partnerships_pathwaymodule_theme_valid",
                violation_error_message=_("Thème inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(expected_hours__gte=1) & Q(expected_hours__lte=200),
                name="partnerships_pathwaymodule_hours_plausible",
                violation_error_message=_("Les heures prévues vont de 1 à 200."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Pathway(TimeStampedModel):
    """An apprentice's pathway: opened on a day, closed when they leave the program."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    template = models.ForeignKey(
        PathwayTemplate, models.PROTECT, related_name="pathways", verbose_name=_("parcours")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="pathways", verbose_name=_("alternant·e")
    )
    opened_on = models.DateField(_("ouvert le"))
    closed_on = models.DateField(_("clos le"), null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("parcours citoyen")
        verbose_name_plural = _("parcours citoyens")
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "person"],
                name="partnerships_pathway_once_per_person",
                violation_error_message=_("Cette personne a déjà ce parcours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} — {self.person}"


class PathwayOpening(TimeStampedModel):
    """An apprentice opened to a school or partner that delivers modules of their pathway, with
    their consent: its members see the first name, the initial and the sessions, and note who
    came."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    pathway = models.ForeignKey(
        Pathway, models.CASCADE, related_name="openings", verbose_name=_("parcours")
    )
    partner = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("école ou partenaire"),
    )
    consent_on = models.DateField(_("accord de la personne le"))
    opened_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ouverture à une école ou un partenaire")
        verbose_name_plural = _("ouvertures aux écoles et partenaires")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "partner"],
                condition=Q(closed_at__isnull=True),
                name="partnerships_pathwayopening_one_open",
                violation_error_message=_("Ce parcours est déjà ouvert à cette structure."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathway} → {self.partner}"
