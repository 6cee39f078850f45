from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("Calcul en cours")
    DONE = "done", _("Proposition prête")
    FAILED = "failed", _("Échec")
    ACCEPTED = "accepted", _("Acceptée")


class Engine(models.TextChoices):
    HYBRID = "hybrid", _("Hybride (recommandé)")
    EXACT = "exact", _("Exact (petites résidences)")
    GREEDY = "greedy", _("Glouton (le plus rapide)")
