"""Who sees which figures. Figures are aggregates, but default deny holds for them too.

- A team member of an organization sees that organization's figures (all its programs).
- A member of an organization taking part in a program (operator, partner or funder; a funder's
  staff have the "financeur" role) sees the program's figures at every level: France, régions,
  départements and the organizations in it. Never a name: there are none in the rollup tables.
- Platform operators (``is_staff``) see everything, including the totals of all programs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import organizations_where
from ancrage.accounts.queries import memberships_of
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.indicators.enums import Scope
from ancrage.programs.models import Program, ProgramParticipant


@dataclass(frozen=True)
class Audience:
    organizations: frozenset[int]
    programs: frozenset[int]
    everything: bool

    @classmethod
    def of(cls, user) -> Audience:
        if not user.is_authenticated:
            return cls(frozenset(), frozenset(), False)
        team = frozenset(organizations_where(user, "team.read"))
        viewers = organizations_where(user, "programs.follow")
        programs = frozenset(
            ProgramParticipant.objects.filter(organization_id__in=viewers).values_list(
                "program_id", flat=True
            )
        )
        return cls(team, programs, bool(user.is_staff))


@dataclass(frozen=True)
class Selection:
    """One slice of the figures: an organization, a program, a territory, or France."""

    scope: Scope
    organization: Organization | None = None
    program: Program | None = None
    territory: Territory | None = None

    def allowed_for(self, audience: Audience) -> bool:
        if audience.everything:
            return True
        match self.scope:
            case Scope.ORGANIZATION:
                return self.organization.pk in audience.organizations
            case Scope.ORGANIZATION_PROGRAM:
                return (
                    self.organization.pk in audience.organizations
                    or self.program.pk in audience.programs
                )
            case Scope.PROGRAM | Scope.PROGRAM_TERRITORY:
                return self.program.pk in audience.programs
        return False

    @property
    def title(self) -> str:
        parts = []
        if self.organization:
            parts.append(self.organization.name)
        if self.program:
            parts.append(self.program.name)
        if self.territory:
            parts.append(str(self.territory))
        return " — ".join(parts) or "France entière, tous dispositifs"

    def query(self) -> dict:
        if self.scope == Scope.NATIONAL:
            return {"national": 1}
        return {
            "structure": self.organization.pk if self.organization else None,
            "dispositif": self.program.pk if self.program else None,
            "territoire": self.territory.pk if self.territory else None,
        }


def _int(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def selection_from(params, *, organization=None, program=None, territory=None) -> Selection | None:
    """The slice named by ``structure``, ``dispositif`` and ``territoire`` (ids); None if none named."""
    organization_id = organization or _int(params.get("structure"))
    program_id = program or _int(params.get("dispositif"))
    territory_id = territory or _int(params.get("territoire"))
    try:
        org = (
            Organization.objects.select_related("commune").get(pk=organization_id)
            if organization_id
            else None
        )
        prog = Program.objects.get(pk=program_id) if program_id else None
        terr = (
            Territory.objects.exclude(kind=TerritoryKind.COMMUNE)
            .select_related("region")
            .get(pk=territory_id)
            if territory_id
            else None
        )
    except (Organization.DoesNotExist, Program.DoesNotExist, Territory.DoesNotExist):
        raise Http404 from None
    if org and terr:
        raise Http404
    if org:
        return Selection(Scope.ORGANIZATION_PROGRAM if prog else Scope.ORGANIZATION, org, prog)
    if prog:
        return Selection(Scope.PROGRAM_TERRITORY if terr else Scope.PROGRAM, None, prog, terr)
    if terr:
        return Selection(Scope.TERRITORY, territory=terr)
    if params.get("national"):
        return Selection(Scope.NATIONAL)
    return None


def default_selection(user, current_organization, audience: Audience) -> Selection | None:
    """What the dashboard shows first: the current organization, else a program, else France."""
    if current_organization is not None and current_organization.pk in audience.organizations:
        return Selection(Scope.ORGANIZATION, current_organization)
    if audience.programs:
        program = Program.objects.filter(pk__in=audience.programs).order_by("name").first()
        return Selection(Scope.PROGRAM, program=program)
    if audience.everything:
        return Selection(Scope.NATIONAL)
    return None


def get_selection_for_user(
    user, params, current_organization, audience: Audience | None = None, **ids
) -> Selection | None:
    """The slice asked for, if the user may see it; 404 otherwise (existence is not revealed).
    Nothing asked: the user's default slice, or None when they may see no figures at all.
    ``audience``: the user's, when the caller has it already."""
    audience = audience or Audience.of(user)
    selection = selection_from(params, **ids)
    if selection is None:
        return default_selection(user, current_organization, audience)
    if not selection.allowed_for(audience):
        raise Http404
    return selection


def choices_for(user, audience: Audience) -> dict:
    """What the user may pick on the dashboard: organizations, programs, and France for operators."""
    # The user's own teams, read with their memberships already (no query of their own).
    teams = {m.organization_id: m.organization for m in memberships_of(user)}
    if audience.organizations <= teams.keys():
        organizations = sorted(
            (teams[pk] for pk in audience.organizations), key=lambda o: (o.name, o.pk)
        )
    else:
        organizations = list(
            Organization.objects.filter(pk__in=audience.organizations).order_by("name", "pk")
        )
    return {
        "organizations": organizations,
        "programs": list(Program.objects.filter(pk__in=audience.programs).order_by("name")),
        "everything": audience.everything,
    }
