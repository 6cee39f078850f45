from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.forms import OrganizationField
from ancrage.core.forms import DateInput
from ancrage.housing.forms import PersonPickerMixin, person_field
from ancrage.housing.models import Rhythm


class ApprenticeshipForm(PersonPickerMixin, forms.Form):
    person = person_field(_("Apprenti·e"))
    school = OrganizationField(label=_("École (CFA)"), kind=OrganizationKind.SCHOOL)
    employer = OrganizationField(label=_("Employeur"))
    diploma = forms.CharField(
        label=_("Diplôme préparé"),
        max_length=150,
        help_text=_("Par exemple : CAP Cuisine, BTS Management commercial opérationnel."),
    )
    starts_on = forms.DateField(label=_("Début du contrat"), widget=DateInput)
    ends_on = forms.DateField(label=_("Fin du contrat"), widget=DateInput)
    rhythm = forms.ModelChoiceField(
        label=_("Rythme d'alternance"),
        queryset=Rhythm.objects.none(),
        required=False,
        empty_label=_("— aucun —"),
    )

    def __init__(self, *args, user, organization, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organization = user, organization
        for name in ("school", "employer"):
            cast(OrganizationField, self.fields[name]).offer_to(organization)
        if person is not None:
            # Changing a contract: the apprentice stays; their rhythms are offered.
            del self.fields["person"]
            cast(forms.ModelChoiceField, self.fields["rhythm"]).queryset = Rhythm.objects.filter(
                person=person
            )
        else:
            del self.fields["rhythm"]

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("person", None)
        return data
