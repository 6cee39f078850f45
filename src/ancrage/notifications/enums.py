from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("Orientation reçue")
    REFERRAL_ACCEPTED = "referral_accepted", _("Orientation acceptée")
    REFERRAL_REFUSED = "referral_refused", _("Orientation refusée")
    APPLICATION_RECEIVED = "application_received", _("Demande de logement reçue")
    STEP_DUE = "step_due", _("Démarche à échéance")
    FOLLOW_UP_DUE = "follow_up_due", _("Nouvelles à prendre après une sortie")
    APPOINTMENT_TOMORROW = "appointment_tomorrow", _("Rendez-vous demain")
    REPORT_TO_VALIDATE = "report_to_validate", _("Bilan à valider")
    REPORT_DECIDED = "report_decided", _("Bilan approuvé ou renvoyé")
    CALL_ACCESS_REQUESTED = "call_access", _("Demande d'accès à un appel à projets")
    APPLICATION_SUBMITTED = "application_submitted", _("Candidature déposée")
    APPLICATION_DECIDED = "application_decided", _("Candidature décidée")
    AGREEMENT_ENDING = "agreement_ending", _("Convention à renouveler")
    REPORT_DUE = "report_due", _("Bilan à remettre")
    PATHWAY_MODULES = "pathway_modules", _("Modules du parcours citoyen à programmer")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Tout de suite, une par une")
    DAILY = "daily", _("Un résumé par jour")
    NEVER = "never", _("Jamais (seulement dans Ancrage)")
