"""ISO weeks, school calendars and apprentices' rhythms (the weeks at school)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    TEMPLATE_CYCLES,
    RhythmTemplate,
)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def iso_week_label(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"S{week:02d} {year}"


class Rhythm(TimeStampedModel):
    """An apprentice's alternation: school weeks and employer weeks, from a template or custom."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        "people.Person", models.CASCADE, related_name="rhythms", verbose_name=_("alternant·e")
    )
    name = models.CharField(
        _("nom"), max_length=100, help_text=_("Par exemple : BTS MCO 2026-2027.")
    )
    template = models.CharField(_("rythme"), max_length=8, choices=RhythmTemplate.choices)
    first_school_week = models.DateField(
        _("première semaine à l'école"), help_text=_("Le lundi de la première semaine à l'école.")
    )
    ends_on = models.DateField(_("fin du contrat ou de l'année"))
    custom_school_weeks = models.JSONField(
        _("semaines à l'école (calendrier personnalisé)"), default=list, blank=True
    )
    calendar = models.ForeignKey(
        "SchoolCalendar",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rhythms",
        verbose_name=_("calendrier d'école"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("rythme d'alternance")
        verbose_name_plural = _("rythmes d'alternance")
        ordering = ["-first_school_week", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(template__in=RhythmTemplate.values),
                name="%(app_label)s_%(class)s_template_valid",
                violation_error_message=_("Rythme inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(template="calendar") & Q(calendar__isnull=False))
                | (~Q(template="calendar") & Q(calendar__isnull=True)),
                name="%(app_label)s_%(class)s_calendar_iff_imported",
                violation_error_message=_(
                    "Un rythme importé renvoie à son calendrier d'école, et seulement lui."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("first_school_week")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre la première semaine à l'école."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.template})"

    def school_weeks(self, start=None, end=None) -> list[datetime.date]:
        """Mondays of the school weeks within [start, end) (the whole rhythm by default)."""
        start = monday_of(start) if start else self.first_school_week
        end = min(end, self.ends_on) if end else self.ends_on
        if self.template == RhythmTemplate.CALENDAR:
            weeks = sorted(datetime.date.fromisoformat(w) for w in self.calendar.weeks)
        elif self.template == RhythmTemplate.CUSTOM:
            weeks = sorted(datetime.date.fromisoformat(w) for w in self.custom_school_weeks)
        else:
            school, company = TEMPLATE_CYCLES[RhythmTemplate(self.template)]
            cycle = school + company
            weeks = []
            monday = self.first_school_week
            index = 0
            while monday < self.ends_on:
                if index % cycle < school:
                    weeks.append(monday)
                monday += datetime.timedelta(weeks=1)
                index += 1
        return [w for w in weeks if start <= w < end and w >= self.first_school_week]


class SchoolCalendar(TimeStampedModel):
    """The school weeks of one school's class for a year, imported from CSV or iCal, shared by the
    rhythms of its apprentices."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    school = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("école ou CFA"),
    )
    name = models.CharField(
        _("nom"), max_length=150, help_text=_("Par exemple : BTS MCO 1re année 2026-2027.")
    )
    weeks = models.JSONField(_("semaines à l'école"), default=list)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendrier d'école")
        verbose_name_plural = _("calendriers d'école")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Un calendrier porte déjà ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
