"""Targets are set by the platform's operators (/exploitation/) with the funders; figures are never
typed in (they are computed), so the rollup tables are not in the admin."""

from django import forms
from django.contrib import admin

from ancrage.indicators.definitions import INDICATORS
from ancrage.indicators.models import Target


class TargetForm(forms.ModelForm):
    indicator = forms.ChoiceField(
        label="Indicateur", choices=[(i.code, i.label) for i in INDICATORS.values()]
    )

    class Meta:
        model = Target
        fields = ["indicator", "program", "organization", "year", "value"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetForm
    list_display = ["indicator_label", "program", "organization", "year", "value"]
    list_filter = ["year", "program"]
    raw_id_fields = ["organization"]

    @admin.display(description="Indicateur", ordering="indicator")
    def indicator_label(self, target):
        indicator = INDICATORS.get(target.indicator)
        return indicator.label if indicator else target.indicator
