from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.notifications.enums import EmailMode
from ancrage.notifications.services import email_modes


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Recevoir les notifications par e-mail"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Les e-mails ne contiennent qu'un lien : aucun nom, aucune situation."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["email_mode"] = email_modes([user])[user.pk]
