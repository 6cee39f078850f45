from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    HOUSING_WORKSHOP = "housing_workshop", _("Atelier recherche logement")
    INFO_SESSION = "info_session", _("Information collective")
    HIGHLIGHT = "highlight", _("Temps fort")
    FAIR = "fair", _("Salon / forum")
    RESIDENCE_LIFE = "residence_life", _("Vie de la résidence")
    CITIZEN_PATHWAY = "citizen_pathway", _("Module de parcours citoyen")
