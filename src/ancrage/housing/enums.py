from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceKind(models.TextChoices):
    APPRENTICES = "apprentices", _("Résidence pour alternant·es")
    INTERGENERATIONAL = "intergenerational", _("Résidence intergénérationnelle")
    SOCIAL = "social", _("Résidence sociale")
    BOARDING_HOUSE = "boarding_house", _("Pension de famille")
    YOUNG_WORKERS = "young_workers", _("Foyer de jeunes travailleurs")
    CHRS = "chrs", _("CHRS")
    SCATTERED = "scattered", _("Logement diffus")


class CommonSpaceKind(models.TextChoices):
    COMMON_ROOM = "common_room", _("Salle commune")
    SHARED_GARDEN = "shared_garden", _("Jardin partagé")
    LAUNDRY = "laundry", _("Laverie")
    SHARED_KITCHEN = "shared_kitchen", _("Cuisine partagée")
    BIKE_STORAGE = "bike_storage", _("Local vélos")
    STUDY_ROOM = "study_room", _("Salle de travail")


class Typology(models.TextChoices):
    ROOM = "room", _("Chambre")
    T1 = "t1", _("T1")
    T1_BIS = "t1_bis", _("T1 bis")
    T2 = "t2", _("T2")
    T3 = "t3", _("T3")
    T4 = "t4", _("T4 et plus")


class Accessibility(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Accessible PMR")
    LEVEL_SHOWER = "level_shower", _("Douche de plain-pied")
    SENIOR = "senior", _("Adapté senior")


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Disponible")
    WORKS = "works", _("En travaux")
    OUT_OF_SERVICE = "out_of_service", _("Hors service")


class Granularity(models.TextChoices):
    WEEKS = "weeks", _("À la semaine")
    MONTHS = "months", _("Au mois")
    OPEN = "open", _("Sans date de fin")


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Annulée")


class RhythmTemplate(models.TextChoices):
    """School weeks / employer weeks, repeated from the start week."""

    ONE_ONE = "1/1", _("1 semaine à l'école, 1 en entreprise")
    TWO_TWO = "2/2", _("2 semaines à l'école, 2 en entreprise")
    ONE_THREE = "1/3", _("1 semaine à l'école, 3 en entreprise")
    THREE_ONE = "3/1", _("3 semaines à l'école, 1 en entreprise")
    TWO_FOUR = "2/4", _("2 semaines à l'école, 4 en entreprise")
    CUSTOM = "custom", _("Calendrier personnalisé")
    CALENDAR = "calendar", _("Calendrier d'école importé")


TEMPLATE_CYCLES = {
    RhythmTemplate.ONE_ONE: (1, 1),
    RhythmTemplate.TWO_TWO: (2, 2),
    RhythmTemplate.ONE_THREE: (1, 3),
    RhythmTemplate.THREE_ONE: (3, 1),
    RhythmTemplate.TWO_FOUR: (2, 4),
}


class AllowanceSource(models.TextChoices):
    """Paid to the manager by a third party on the occupant's behalf."""

    APL = "apl", _("APL / ALS (CAF)")
    MOBILI_JEUNE = "mobili_jeune", _("Mobili-Jeune (Action Logement)")
    FSL = "fsl", _("FSL")
    OTHER = "other", _("Autre tiers payant")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Virement")
    DIRECT_DEBIT = "direct_debit", _("Prélèvement")
    CARD = "card", _("Carte")
    CHEQUE = "cheque", _("Chèque")
    CASH = "cash", _("Espèces")


class LeaseKind(models.TextChoices):
    FURNISHED = "furnished", _("Bail meublé")
    MOBILITY = "mobility", _("Bail mobilité")
    UNFURNISHED = "unfurnished", _("Bail nu")
    TEMPORARY_OCCUPANCY = "temporary_occupancy", _("Convention d'occupation temporaire")
    SUBLET = "sublet", _("Sous-location")


class LeaseStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    ACTIVE = "active", _("En cours")
    ENDED = "ended", _("Terminé")
    SLID = "slid", _("Glissé")


DEFAULT_SLIDE_CONDITIONS = (
    _("Paiement régulier du loyer depuis six mois"),
    _("Entretien courant du logement assuré"),
    _("Ressources stables permettant de payer le loyer"),
    _("Accord du bailleur pour le glissement"),
)


class InspectionKind(models.TextChoices):
    ENTRY = "entry", _("État des lieux d'entrée")
    EXIT = "exit", _("État des lieux de sortie")


class ItemCondition(models.TextChoices):
    """Ordered from best to worst: a difference at exit is a move down this list."""

    NEW = "new", _("Neuf")
    GOOD = "good", _("Bon état")
    FAIR = "fair", _("État d'usage")
    POOR = "poor", _("Mauvais état")


CONDITION_RANK = {value: rank for rank, value in enumerate(ItemCondition.values)}

DEFAULT_ROOMS = (
    _("Entrée"),
    _("Pièce principale"),
    _("Cuisine ou coin cuisine"),
    _("Salle d'eau et WC"),
)
DEFAULT_ELEMENTS = (_("Murs et plafond"), _("Sol"), _("Fenêtres et volets"), _("Équipements"))


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    HOUSED = "housed", _("Logé·e")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.PENDING,)


class ApplicationClosing(models.TextChoices):
    """How a pending application closes without a place (the manager refuses, the person withdraws)."""

    REFUSED = ApplicationStatus.REFUSED.value, ApplicationStatus.REFUSED.label
    WITHDRAWN = ApplicationStatus.WITHDRAWN.value, ApplicationStatus.WITHDRAWN.label
