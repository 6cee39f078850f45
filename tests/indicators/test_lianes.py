"""The four 1000 LIANES indicators (seed 004) on a hand-built set of pathways, every figure written
by hand, with the traps: a person with two pathways, works planned but never done, someone kept at
home at 6 months but not at 12, a follow-up where the person could not be reached.

Who (LIANES program, CLLAJ = Arras, association = Lens; all through the services):
- Paulette (CLLAJ, adaptation): grab bars done 05/03/2026, bathroom planned never done; home
  adapted 05/03/2026; exit « maintien » 15/04/2026, 6-month follow-up 20/10/2026 still at home.
- Marcel (CLLAJ, adaptation): works planned 01/04/2026, never done → not an adapted home.
- Yvette: two pathways — insertion at the association (started 04/05/2026) and adaptation at the
  CLLAJ (home adapted 10/06/2026).
- Karim: insertion at the CLLAJ (started 02/02/2026, exit to a job 01/09/2026) and again at the
  association (started 01/07/2026): one person for the program and France.
- Georges (CLLAJ, staying at home): exit « maintien » 10/05/2025, at home at 6 months
  (12/11/2025), in temporary housing at 12 (12/05/2026).
- Huguette (association, staying at home): exit 01/02/2026 to temporary housing; 6-month
  follow-up 05/08/2026 not reached (says nothing).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ancrage.accounts.enums import Role
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate
from ancrage.indicators.rollup import refresh_year
from ancrage.programs.enums import ParticipantRole, ProgramKind
from ancrage.support import services
from ancrage.support.enums import ExitOutcome, FollowUpActivity, FollowUpHousing, FollowUpKind
from ancrage.support.models import FollowUp
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.indicators.conftest import D, _person, shared_year_refreshed
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

# The tests here start from the figures of 2026: computed once for the module.
_shared_year = shared_year_refreshed(2026)


def figure(code, *, year=2026, category="", month=None, **cell):
    cell.setdefault("scope", Scope.ORGANIZATION)
    for key in ("organization", "program", "territory"):
        cell.setdefault(key, None)
    row = Aggregate.objects.filter(
        indicator=code,
        grain=Grain.MONTH if month else Grain.YEAR,
        period=month or D(year, 1, 1),
        category=category,
        **cell,
    ).first()
    if row is None:
        return None
    if row.denominator is not None:
        return round(100 * row.value / row.denominator, 2)
    return row.value


class Lianes:
    def __init__(self, y):
        self.y = y
        self.program = ProgramFactory(
            name="1000 LIANES Artois", kind=ProgramKind.SENIORS_AND_INSERTION
        )
        ParticipantFactory(
            program=self.program, organization=y.cllaj, role=ParticipantRole.TERRITORIAL_OPERATOR
        )
        ParticipantFactory(
            program=self.program, organization=y.association, role=ParticipantRole.RELAY
        )
        self.actor = UserFactory(with_mfa=True)
        for organization in (y.cllaj, y.association):
            MembershipFactory(user=self.actor, organization=organization, role=Role.COUNSELLOR)

    def pathway(self, organization, person, pathway, *, requested, started=None):
        enrollment = services.open_enrollment(
            person=person,
            referent=self.actor,
            requested_on=requested,
            program=self.program,
            pathway=pathway,
            actor=self.actor,
        )
        if started:
            services.start_support(enrollment=enrollment, on=started, actor=self.actor)
        return enrollment

    def work(self, enrollment, kind, planned, done=None, *, adapted=False):
        work = services.plan_work(
            enrollment=enrollment,
            kind=kind,
            planned_on=planned,
            cost=Decimal("1200.00"),
            actor=self.actor,
        )
        if done:
            services.record_work_done(
                work=work, done_on=done, home_adapted=adapted, actor=self.actor
            )
        return work

    def close(self, enrollment, outcome, on):
        services.close_enrollment(
            enrollment=enrollment, outcome=outcome, on=on, note="", actor=self.actor
        )

    def follow_up(self, enrollment, kind, on, housing=None):
        follow_up = FollowUp.objects.get(exit__enrollment=enrollment, kind=kind)
        services.record_follow_up(
            follow_up=follow_up,
            reached=housing is not None,
            housing=housing or "",
            activity=FollowUpActivity.OTHER if housing else "",
            on=on,
            actor=self.actor,
        )


@pytest.fixture
def lianes(year):
    y = year
    april = Aggregate.objects.filter(
        indicator="taux_sorties_emploi",
        scope=Scope.ORGANIZATION,
        organization=y.cllaj,
        grain=Grain.MONTH,
        period=D(2026, 4, 1),
        category="",
    ).values_list("value", "denominator")
    baseline = {"cllaj_exits": figure("sorties", organization=y.cllaj), "april": list(april)}
    s = Lianes(y)
    cllaj, association = y.cllaj, y.association

    paulette = _person(cllaj, "Durand", "Paulette", D(1944, 3, 2))
    e = s.pathway(cllaj, paulette, "adaptation", requested=D(2026, 1, 12), started=D(2026, 1, 20))
    services.record_assessment(
        enrollment=e,
        assessed_on=D(2026, 1, 26),
        priorities={"housing": "high"},
        kind="autonomy",
        home_works=["grab_bars", "bathroom"],
        actor=s.actor,
    )
    s.work(e, "grab_bars", D(2026, 2, 10), D(2026, 3, 5), adapted=True)
    s.work(e, "bathroom", D(2026, 3, 1))
    s.close(e, ExitOutcome.KEPT_HOME, D(2026, 4, 15))
    s.follow_up(e, FollowUpKind.SIX_MONTHS, D(2026, 10, 20), FollowUpHousing.SAME_HOME)

    marcel = _person(cllaj, "Petit", "Marcel", D(1941, 7, 9))
    e = s.pathway(cllaj, marcel, "adaptation", requested=D(2026, 3, 2), started=D(2026, 3, 9))
    s.marcel_work = s.work(e, "stairs", D(2026, 4, 1))
    s.marcel = e

    yvette_cllaj = _person(cllaj, "Leroy", "Yvette", D(1962, 1, 15))
    yvette_assoc = _person(association, "Leroy", "Yvette", D(1962, 1, 15))
    s.pathway(
        association, yvette_assoc, "insertion", requested=D(2026, 4, 20), started=D(2026, 5, 4)
    )
    e = s.pathway(cllaj, yvette_cllaj, "adaptation", requested=D(2026, 5, 2), started=D(2026, 5, 5))
    s.work(e, "flooring", D(2026, 5, 20), D(2026, 6, 10), adapted=True)

    karim_cllaj = _person(cllaj, "Benali", "Karim", D(1980, 6, 1))
    karim_assoc = _person(association, "Benali", "Karim", D(1980, 6, 1))
    e = s.pathway(cllaj, karim_cllaj, "insertion", requested=D(2026, 1, 26), started=D(2026, 2, 2))
    services.add_milestone(
        enrollment=e, kind="training", on=D(2026, 3, 2), detail="CACES — AFPA", actor=s.actor
    )
    services.add_milestone(
        enrollment=e, kind="job", on=D(2026, 8, 31), contract="permanent", actor=s.actor
    )
    s.close(e, ExitOutcome.EMPLOYMENT, D(2026, 9, 1))
    s.pathway(
        association, karim_assoc, "insertion", requested=D(2026, 6, 20), started=D(2026, 7, 1)
    )

    georges = _person(cllaj, "Moreau", "Georges", D(1938, 11, 30))
    e = s.pathway(cllaj, georges, "staying_home", requested=D(2025, 2, 3), started=D(2025, 2, 10))
    s.close(e, ExitOutcome.KEPT_HOME, D(2025, 5, 10))
    s.follow_up(e, FollowUpKind.SIX_MONTHS, D(2025, 11, 12), FollowUpHousing.SAME_HOME)
    s.follow_up(e, FollowUpKind.TWELVE_MONTHS, D(2026, 5, 12), FollowUpHousing.TEMPORARY)

    huguette = _person(association, "Roux", "Huguette", D(1936, 4, 4))
    e = s.pathway(
        association, huguette, "staying_home", requested=D(2025, 12, 1), started=D(2025, 12, 8)
    )
    s.close(e, ExitOutcome.TEMPORARY, D(2026, 2, 1))
    s.follow_up(e, FollowUpKind.SIX_MONTHS, D(2026, 8, 5))  # not reached

    refresh_year(2025)
    refresh_year(2026)
    s.baseline = baseline
    return s


def test_adapted_homes_count_works_done_once_per_home(lianes):
    y = lianes.y
    assert figure("logements_adaptes", organization=y.cllaj) == 2  # Paulette, Yvette; not Marcel
    assert figure("logements_adaptes", organization=y.association) is None
    assert figure("logements_adaptes", scope=Scope.PROGRAM, program=lianes.program) == 2
    assert figure("logements_adaptes", scope=Scope.NATIONAL) == 2
    assert figure("logements_adaptes", organization=y.cllaj, month=D(2026, 3, 1)) == 1
    assert figure("logements_adaptes", organization=y.cllaj, month=D(2026, 4, 1)) is None


def test_works_planned_but_not_done_do_not_adapt_a_home(lianes):
    with pytest.raises(ValidationError, match="pas quand ils sont prévus"):
        services.record_home_adapted(
            enrollment=lianes.marcel, on=D(2026, 11, 2), actor=lianes.actor
        )
    lianes.marcel.refresh_from_db()
    assert lianes.marcel.home_adapted_on is None


def test_insertion_pathways_count_people_once_across_organizations(lianes):
    y = lianes.y
    assert figure("parcours_insertion", organization=y.cllaj) == 1  # Karim
    assert figure("parcours_insertion", organization=y.association) == 2  # Yvette, Karim
    assert figure("parcours_insertion", scope=Scope.PROGRAM, program=lianes.program) == 2
    assert figure("parcours_insertion", scope=Scope.NATIONAL) == 2


def test_the_employment_rate_leaves_adaptation_exits_out_of_the_base(lianes, year):
    y = year
    # Before: the CLLAJ's year (conftest) had its exits; Karim adds one exit to a job, Paulette's
    # « maintien » exit is not in the base.
    exits = figure("sorties", organization=y.cllaj)
    assert exits == lianes.baseline["cllaj_exits"] + 2  # the page's exits count both
    row = Aggregate.objects.get(
        indicator="taux_sorties_emploi",
        scope=Scope.ORGANIZATION,
        organization=y.cllaj,
        grain=Grain.MONTH,
        period=D(2026, 9, 1),
        category="",
    )
    assert (row.value, row.denominator) == (1, 1)
    april = Aggregate.objects.filter(
        indicator="taux_sorties_emploi",
        scope=Scope.ORGANIZATION,
        organization=y.cllaj,
        grain=Grain.MONTH,
        period=D(2026, 4, 1),
        category="",
    ).values_list("value", "denominator")
    assert list(april) == lianes.baseline["april"]  # Paulette's exit left out


def test_kept_at_home_rate_takes_each_persons_latest_news(lianes):
    y = lianes.y
    # 2026: Paulette kept (6 months), Georges not (12 months), Huguette not (exit; the
    # unreached follow-up says nothing).
    assert figure("taux_maintien_domicile", scope=Scope.NATIONAL) == 33.33
    assert figure("taux_maintien_domicile", organization=y.cllaj) == 50.0
    assert figure("taux_maintien_domicile", organization=y.association) == 0.0
    assert figure("taux_maintien_domicile", organization=y.cllaj, category="moment:12m") == 0.0
    assert figure("taux_maintien_domicile", organization=y.cllaj, category="moment:6m") == 100.0
    # 2025: Georges's latest news was the 6-month follow-up, still at home.
    assert figure("taux_maintien_domicile", organization=y.cllaj, year=2025) == 100.0
    # May 2026 alone: Georges's 12-month follow-up.
    assert figure("taux_maintien_domicile", organization=y.cllaj, month=D(2026, 5, 1)) == 0.0


def test_the_program_dashboard_leads_with_the_four_lianes_indicators(lianes, client):
    from django.urls import reverse

    from ancrage.indicators.queries import KEY_INDICATORS

    assert KEY_INDICATORS[ProgramKind.SENIORS_AND_INSERTION][:4] == (
        "logements_adaptes",
        "parcours_insertion",
        "taux_sorties_emploi",
        "taux_maintien_domicile",
    )
    client.force_login(lianes.actor)
    page = client.get(
        reverse("indicators:dashboard"),
        {"structure": lianes.y.cllaj.pk, "dispositif": lianes.program.pk, "annee": 2026},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Logements adaptés" in text and "Taux de maintien à domicile" in text
    assert "Parcours d&#x27;insertion lancés" in text
