from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Entrant")
    OUTGOING = "outgoing", _("Sortant")


class Channel(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Accueil physique au siège")
    OUTREACH_DESK = "outreach_desk", _("Permanence délocalisée")
    WORKSHOP = "workshop", _("Atelier")
    ONLINE_FORM = "online_form", _("Formulaire en ligne")
    MAIL = "mail", _("Courrier")


class Subject(models.TextChoices):
    HOUSING = "housing", _("Logement")
    ADMIN_HELP = "admin_help", _("Aide administrative")
    SOLVENCY = "solvency", _("Solvabilisation")
    MOBILITY = "mobility", _("Mobilité")
    HEALTH = "health", _("Santé")
    EMPLOYMENT = "employment", _("Emploi / formation")
    OTHER = "other", _("Autre")


class Outcome(models.TextChoices):
    INFORMATION = "information", _("Information")
    REFERRAL = "referral", _("Orientation")
    APPOINTMENT = "appointment", _("Rendez-vous fixé")
    ENROLLMENT = "enrollment", _("Ouverture d'accompagnement")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Moins de 18 ans")
    FROM_18_TO_20 = "18_20", _("18–20 ans")
    FROM_21_TO_25 = "21_25", _("21–25 ans")
    FROM_26_TO_30 = "26_30", _("26–30 ans")
    OVER_30 = "over_30", _("Plus de 30 ans")


class EnrollmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Demande")
    ASSESSMENT = "assessment", _("Diagnostic")
    SUPPORT = "support", _("Accompagnement")
    EXITED = "exited", _("Sorti·e")
    REFUSED = "refused", _("Refusé")
    DROPPED = "dropped", _("Abandon")


OPEN_STATUSES = (EnrollmentStatus.REQUESTED, EnrollmentStatus.ASSESSMENT, EnrollmentStatus.SUPPORT)
CLOSED_STATUSES = (EnrollmentStatus.EXITED, EnrollmentStatus.REFUSED, EnrollmentStatus.DROPPED)


class Pathway(models.TextChoices):
    """The kind of individual pathway an enrollment is (1000 LIANES); blank for the others."""

    HOME_ADAPTATION = "adaptation", _("Adaptation du logement")
    INSERTION = "insertion", _("Insertion professionnelle")
    STAYING_HOME = "staying_home", _("Maintien à domicile")


ADAPTATION_PATHWAYS = (Pathway.HOME_ADAPTATION, Pathway.STAYING_HOME)


class AssessmentKind(models.TextChoices):
    NEEDS = "needs", _("Diagnostic des besoins")
    AUTONOMY = "autonomy", _("Évaluation de l'autonomie dans le logement")


class WorkKind(models.TextChoices):
    """Home adaptation works, coded (what is done to the home, never why: no diagnosis)."""

    BATHROOM = "bathroom", _("Salle de bains (douche de plain-pied)")
    TOILET = "toilet", _("WC rehaussé ou adapté")
    GRAB_BARS = "grab_bars", _("Barres d'appui")
    STAIRS = "stairs", _("Monte-escalier ou rampe")
    DOORS = "doors", _("Élargissement des portes")
    FLOORING = "flooring", _("Sols antidérapants")
    LIGHTING = "lighting", _("Éclairage, détecteurs, domotique")
    KITCHEN = "kitchen", _("Cuisine adaptée")
    ACCESS = "access", _("Accès au logement (seuils, rampe extérieure)")
    OTHER = "other", _("Autre aménagement")


class MilestoneKind(models.TextChoices):
    """The steps of an insertion pathway, in their usual order."""

    ORIENTATION = "orientation", _("Orientation")
    TRAINING = "training", _("Entrée en formation")
    JOB = "job", _("Reprise d'emploi")


class JobContract(models.TextChoices):
    PERMANENT = "permanent", _("CDI")
    FIXED_TERM = "fixed_term", _("CDD de 6 mois ou plus")
    SHORT = "short", _("CDD de moins de 6 mois ou intérim")
    INCLUSION = "inclusion", _("Structure d'insertion (IAE)")
    APPRENTICESHIP = "apprenticeship", _("Alternance")
    SELF_EMPLOYED = "self_employed", _("Création d'activité")


class ExitOutcome(models.TextChoices):
    SOCIAL_HOUSING = "social_housing", _("Logement autonome — parc social")
    PRIVATE_HOUSING = "private_housing", _("Logement autonome — parc privé")
    RESIDENCE = "residence", _("Logement autonome — résidence")
    TEMPORARY = "temporary", _("Hébergement ou logement temporaire")
    KEPT_HOME = "kept_home", _("Maintien dans le logement")
    EMPLOYMENT = "employment", _("Emploi ou formation")
    DROPPED = "dropped", _("Abandon")
    MOVED_AWAY = "moved_away", _("Départ du territoire")
    OTHER = "other", _("Autre")


class StepKind(models.TextChoices):
    SOCIAL_HOUSING_REQUEST = "social_housing_request", _("Demande de logement social (SNE)")
    HOUSING_ALLOWANCE = "housing_allowance", _("Dossier APL / CAF")
    FSL = "fsl", _("FSL")
    VISALE = "visale", _("Visale")
    LOCA_PASS = "loca_pass", _("Loca-Pass")
    MOBILI_JEUNE = "mobili_jeune", _("Mobili-Jeune")
    DEPOSIT = "deposit", _("Dépôt de garantie")
    LEASE_EXPLANATION = "lease_explanation", _("Explication du bail")
    INVENTORY = "inventory", _("État des lieux")
    HEALTH_RIGHTS = "health_rights", _("Ouverture de droits santé")
    PARTNER_REFERRAL = "partner_referral", _("Orientation vers un partenaire")
    OTHER = "other", _("Autre")


class StepStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    OBTAINED = "obtained", _("Obtenu")
    REFUSED = "refused", _("Refusé")


PENDING_STEP_STATUSES = (StepStatus.TODO, StepStatus.IN_PROGRESS)
DONE_STEP_STATUSES = (StepStatus.OBTAINED, StepStatus.REFUSED)


class NoteVisibility(models.TextChoices):
    TEAM = "team", _("Équipe")
    REFERENT = "referent", _("Référent·e seul·e")


class Priority(models.TextChoices):
    NONE = "none", _("Pas de besoin")
    LOW = "low", _("Faible")
    MEDIUM = "medium", _("Moyenne")
    HIGH = "high", _("Forte")


class HealthNeed(models.TextChoices):
    """Coded needs only: never a diagnosis."""

    NO_HEALTH_INSURANCE = "no_insurance", _("Pas de couverture maladie")
    NO_COMPLEMENTARY = "no_complementary", _("Pas de complémentaire santé")
    NO_DOCTOR = "no_doctor", _("Pas de médecin traitant")
    CARE_ACCESS = "care_access", _("Besoin d'accès aux soins")
    HOUSING_ADAPTATION = "housing_adaptation", _("Besoin d'adaptation du logement")
    PSYCHOSOCIAL_SUPPORT = "psychosocial", _("Besoin d'un soutien psychosocial")


ASSESSMENT_DOMAINS = (
    ("housing", _("Logement")),
    ("budget", _("Ressources et budget")),
    ("mobility", _("Mobilité")),
    ("health", _("Santé")),
    ("employment", _("Emploi / formation")),
    ("rights", _("Accès aux droits")),
    ("daily_life", _("Vie quotidienne")),
)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Envoyée")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")


# What a sender may choose to share: the minimum for the receiver to act, nothing more.
SHAREABLE_FIELDS = (
    ("last_name", _("Nom")),
    ("first_name", _("Prénom")),
    ("birth_date", _("Date de naissance")),
    ("phone", _("Téléphone")),
    ("email", _("Adresse e-mail")),
    ("commune", _("Commune")),
    ("situation", _("Situation")),
    ("housing_situation", _("Situation de logement")),
    ("monthly_resources", _("Total des ressources mensuelles")),
)


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    HONOURED = "honoured", _("Honoré")
    MISSED = "missed", _("Non honoré")
    CANCELLED = "cancelled", _("Annulé")


class FollowUpKind(models.TextChoices):
    SIX_MONTHS = "6m", _("6 mois après la sortie")
    TWELVE_MONTHS = "12m", _("12 mois après la sortie")


FOLLOW_UP_MONTHS = {FollowUpKind.SIX_MONTHS: 6, FollowUpKind.TWELVE_MONTHS: 12}


class FollowUpHousing(models.TextChoices):
    """Where the person lives at the time of the check."""

    SAME_HOME = "same_home", _("Toujours dans le logement obtenu à la sortie")
    OTHER_AUTONOMOUS = "other_autonomous", _("Dans un autre logement autonome")
    TEMPORARY = "temporary", _("Hébergement ou logement temporaire")
    WITHOUT_HOME = "without_home", _("Sans logement ou hébergé·e chez des tiers")
    UNKNOWN = "unknown", _("Ne sait pas")


class FollowUpActivity(models.TextChoices):
    EMPLOYMENT = "employment", _("En emploi")
    TRAINING = "training", _("En formation ou en apprentissage")
    JOB_SEEKING = "job_seeking", _("En recherche d'emploi")
    OTHER = "other", _("Autre situation")
    UNKNOWN = "unknown", _("Ne sait pas")
