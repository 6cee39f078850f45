"""The waiting list of a residence: documented criteria, weights and mandatory conditions that an
organization admin sets without a developer, a score per applicant and the reason behind each rank.

Each criterion is computed from the data (never typed): it gives a number (1/0 for yes/no, months
for seniority). Score = Σ weight × value. An applicant failing a mandatory criterion is not ranked.
Ties are broken by the date of the application, then its number.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ancrage.people.enums import HousingSituation, Situation
from ancrage.people.models import age_on

WITHOUT_HOME = {
    HousingSituation.NO_HOUSING,
    HousingSituation.HOSTED_BY_THIRD_PARTY,
    HousingSituation.EMERGENCY_SHELTER,
}


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    definition: str
    compute: Callable  # (application, person, today, resources) -> number
    unit: str = ""


def _age(person, today):

    return age_on(person.birth_date, today)


CRITERIA = [
    Criterion(
        "apprentice",
        _("Alternant·e"),
        _("La situation de la personne est « apprenti·e »."),
        lambda a, p, today, r: int(p.situation == Situation.APPRENTICE),
    ),
    Criterion(
        "under_30",
        _("Moins de 30 ans"),
        _("La personne a moins de 30 ans à la date du classement."),
        lambda a, p, today, r: int((_age(p, today) or 99) < 30),
    ),
    Criterion(
        "senior",
        _("60 ans et plus"),
        _("La personne a 60 ans ou plus à la date du classement."),
        lambda a, p, today, r: int((_age(p, today) or 0) >= 60),
    ),
    Criterion(
        "without_home",
        _("Sans logement stable"),
        _("Sans logement, hébergé·e chez des tiers ou en hébergement d'urgence."),
        lambda a, p, today, r: int(p.housing_situation in WITHOUT_HOME),
    ),
    Criterion(
        "disability",
        _("Handicap reconnu"),
        _("La fiche indique un handicap reconnu (oui / non seulement)."),
        lambda a, p, today, r: int(bool(p.disability_recognised)),
    ),
    Criterion(
        "low_resources",
        _("Ressources inférieures à 1 000 € par mois"),
        _("Le total des ressources mensuelles déclarées est inférieur à 1 000 €."),
        lambda a, p, today, r: int(r < Decimal(1000)),
    ),
    Criterion(
        "has_resources",
        _("Ressources déclarées"),
        _("Au moins une ressource mensuelle est déclarée (condition de solvabilité)."),
        lambda a, p, today, r: int(r > 0),
    ),
    Criterion(
        "seniority",
        _("Ancienneté de la demande"),
        _("Mois entiers écoulés depuis le dépôt de la demande."),
        lambda a, p, today, r: max(0, (today - a.submitted_on).days // 30),
        unit=_("mois"),
    ),
]
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


@dataclass
class Ranked:
    application: object
    score: int = 0
    rank: int | None = None
    parts: list[tuple[str, int]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.failed

    def explanation(self, total: int) -> str:
        if self.failed:
            return str(_("Non classé·e : condition obligatoire non remplie — %(list)s.")) % {
                "list": ", ".join(self.failed)
            }
        detail = ", ".join(f"{label} +{points}" for label, points in self.parts if points) or str(
            _("aucun critère pondéré")
        )
        return str(_("Rang %(rank)s sur %(total)s, score %(score)s (%(detail)s).")) % {
            "rank": self.rank,
            "total": total,
            "score": self.score,
            "detail": detail,
        }


def rank(applications, rules, *, today: datetime.date, resources: dict[int, Decimal]):
    """``rules``: {code: (weight, mandatory)}. Returns (ranked eligible, ineligible)."""
    results = []
    for application in applications:
        person = application.person
        ranked = Ranked(application)
        for code, (weight, mandatory) in rules.items():
            criterion = BY_CODE.get(code)
            if criterion is None:
                continue
            value = criterion.compute(application, person, today, resources.get(person.pk, 0))
            if mandatory and not value:
                ranked.failed.append(str(criterion.label))
            if weight and value:
                points = weight * value
                label = str(criterion.label)
                if criterion.unit:
                    label = f"{label} ({value} {criterion.unit})"
                ranked.parts.append((label, points))
                ranked.score += points
        results.append(ranked)
    eligible = sorted(
        (r for r in results if r.eligible),
        key=lambda r: (-r.score, r.application.submitted_on, r.application.pk),
    )
    for position, ranked in enumerate(eligible, start=1):
        ranked.rank = position
    return eligible, [r for r in results if not r.eligible]
