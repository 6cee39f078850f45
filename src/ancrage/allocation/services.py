"""Allocation runs on the Django side: build the engine's input from a residence, run it in the
background, and turn an accepted proposal into bookings through ``housing.services`` (so a double
booking stays impossible)."""

from __future__ import annotations

import datetime
import logging
import traceback
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.allocation.engine import Apprentice, Instance, Unit
from ancrage.allocation.enums import Engine, RunStatus
from ancrage.allocation.models import AllocationPart, AllocationRun
from ancrage.audit import recorder as audit
from ancrage.core.actor import acting_as
from ancrage.core.money import format_euros
from ancrage.housing import services as housing
from ancrage.housing.enums import (
    Accessibility,
    ApplicationStatus,
    BookingStatus,
    Granularity,
    RhythmTemplate,
    UnitStatus,
)
from ancrage.housing.models import (
    Bed,
    Booking,
    HousingApplication,
    Residence,
    iso_week_label,
    monday_of,
)
from ancrage.housing.models import Unit as HousingUnit
from ancrage.housing.queries import booked_bed_weeks, occupancy_between, waiting_list_for
from ancrage.people.models import Person

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.core.models import Territory
    from ancrage.housing.models import Rhythm


MAX_DAYS = 400


logger = logging.getLogger(__name__)


def start_run(
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor: User,
    residence: Residence | None = None,
    territory: Territory | None = None,
    organization: Organization | None = None,
    engine: str = Engine.HYBRID,
    time_limit: float = 20,
    ignore_priorities: bool = False,
) -> AllocationRun:
    """Queue a run (``run_allocation`` task) for one residence, or for every residence of
    ``organization`` in ``territory``; with the immediate backend it is done on return.
    ``ignore_priorities``: a simulation where the waiting list's ranking does not decide who is
    housed when not everyone fits."""
    # The task module imports this one (the task runs execute_run): imported when queuing.
    from ancrage.allocation.tasks import run_allocation

    if (residence is None) == (territory is None):
        raise ValueError("A residence or a territory, not both.")
    if residence is not None:
        organization_id = residence.organization_id
    elif organization is not None:
        organization_id = organization.pk
    else:
        raise ValueError("A run over a territory needs the organization whose residences it packs.")
    require(actor, "allocation.run", organization_id)
    errors = {}
    if territory is not None and not (
        Residence.objects.filter(organization_id=organization_id).in_territory(territory).exists()
    ):
        errors["territory"] = _("Aucune de vos résidences n'est sur ce territoire.")
    if ends_on <= starts_on:
        errors["ends_on"] = _("La fin doit suivre le début.")
    elif (ends_on - starts_on).days > MAX_DAYS:
        errors["ends_on"] = _("Une période de 400 jours au plus.")
    if engine not in Engine.values:
        errors["engine"] = _("Moteur inconnu.")
    if not 1 <= time_limit <= 300:
        errors["time_limit"] = _("De 1 à 300 secondes.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        run = AllocationRun.objects.create(
            organization_id=organization_id,
            residence=residence,
            territory=territory,
            starts_on=starts_on,
            ends_on=ends_on,
            engine=engine,
            time_limit=time_limit,
            ignore_priorities=ignore_priorities,
            created_by=actor,
        )
    transaction.on_commit(lambda: run_allocation.enqueue(run.pk))
    return run


def _week_index(first_monday: datetime.date, monday: datetime.date) -> int:
    return (monday - first_monday).days // 7


def _rhythm_label(rhythm: Rhythm) -> str:
    """How the explanations name a rhythm: "2/2", or the school calendar it follows."""
    if rhythm.template == RhythmTemplate.CALENDAR and rhythm.calendar is not None:
        return f"calendrier « {rhythm.calendar.name} »"
    if rhythm.template == RhythmTemplate.CUSTOM:
        return _("calendrier personnalisé")
    return rhythm.template


def _waiting_list_places(residences: list[Residence]) -> dict[int, int]:
    """Person → their best place on the waiting lists of ``residences`` (the ranking the waiting
    list page shows: points, then application date); those a mandatory condition leaves out come
    after every eligible applicant."""
    places: dict[int, int] = {}
    for residence in residences:
        waiting = waiting_list_for(residence)
        for ranked in waiting.eligible:
            person_id = ranked.application.person_id
            places[person_id] = min(places.get(person_id, ranked.rank), ranked.rank)
        after = len(waiting.eligible)
        for position, ranked in enumerate(waiting.ineligible, start=after + 1):
            person_id = ranked.application.person_id
            places[person_id] = min(places.get(person_id, position), position)
    return places


def build_instance(run: AllocationRun) -> tuple[Instance, dict[int, dict[str, Any]]]:
    """The engine's input: apprentices with a rhythm already booked in the run's residences over the
    period (their unit as current placement) and pending applications with a rhythm; the lettable
    units. Each apprentice may be placed in the residences they applied to or live in; one who asked
    not to share has a unit alone, one who needs an accessible unit gets a wheelchair-accessible
    one."""
    residences = {r.pk: r for r in run.residences()}
    first = monday_of(run.starts_on)
    people: dict[int, dict[str, Any]] = {}
    bookings = (
        Booking.objects.filter(
            bed__unit__residence__in=list(residences),
            status=BookingStatus.ACTIVE,
            granularity=Granularity.WEEKS,
            rhythm__isnull=False,
            starts_on__lt=run.ends_on,
            ends_on__gt=run.starts_on,
        )
        .select_related("person", "rhythm__calendar", "bed__unit")
        .order_by("starts_on", "id")
    )
    for booking in bookings:
        people[booking.person_id] = {
            "person": booking.person,
            "rhythm": booking.rhythm,
            "current": str(booking.bed.unit_id),
            "applications": {},
            "places": {str(booking.bed.unit.residence_id)},
            "shares": True,
            "needs_accessible": False,
        }
    applications = (
        HousingApplication.objects.filter(
            residence__in=list(residences), status=ApplicationStatus.PENDING, rhythm__isnull=False
        )
        .select_related("person", "rhythm__calendar")
        .order_by("submitted_on", "id")
    )
    for application in applications:
        data = people.setdefault(
            application.person_id,
            {
                "person": application.person,
                "rhythm": application.rhythm,
                "current": None,
                "applications": {},
                "places": set(),
                "shares": True,
                "needs_accessible": False,
            },
        )
        data["applications"][application.residence_id] = application.pk
        data["places"].add(str(application.residence_id))
        # What any of their applications asks for holds everywhere.
        data["shares"] = data["shares"] and application.shares_unit
        data["needs_accessible"] = data["needs_accessible"] or application.needs_accessible
    places = _waiting_list_places(list(residences.values()))
    apprentices = []
    for person_id, data in people.items():
        weeks = data["rhythm"].school_weeks(run.starts_on, run.ends_on)
        # Residents keep their place (0); applicants come by their best place on a waiting list.
        priority = 0 if data["current"] else places.get(person_id, len(places) + 1)
        data["rank"] = None if data["current"] else priority
        if not weeks:
            continue
        apprentices.append(
            Apprentice(
                id=str(person_id),
                weeks=frozenset(_week_index(first, w) for w in weeks),
                max_km=1.0,  # no distances: the residences they asked for decide
                current_unit=data["current"],
                places=frozenset(data["places"]),
                rhythm=_rhythm_label(data["rhythm"]),
                shares=data["shares"],
                needs_accessible=data["needs_accessible"],
                priority=0 if run.ignore_priorities else priority,
            )
        )
    period = [
        first + datetime.timedelta(weeks=i)
        for i in range(len(list(_mondays(run.starts_on, run.ends_on))))
    ]
    units = []
    for u in HousingUnit.objects.filter(
        residence__in=list(residences),
        status=UnitStatus.AVAILABLE,
        weekly_price__isnull=False,
    ).order_by("residence_id", "reference", "id"):
        in_service = frozenset(i for i, monday in enumerate(period) if u.in_service(monday))
        if not in_service:
            continue
        units.append(
            Unit(
                id=str(u.pk),
                beds=u.beds.count(),
                weekly_rent=float(u.weekly_price or 0),
                place=str(u.residence_id),
                accessible=Accessibility.WHEELCHAIR in u.accessibility,
                # Only the weeks the unit is in service, when not all of them.
                weeks=None if len(in_service) == len(period) else in_service,
            )
        )
    return Instance(apprentices=apprentices, units=units), people


def _empty_bed_weeks_after(run: AllocationRun, instance: Instance, solution: Any) -> int:
    """Empty bed-weeks of the run's residences over its period once the proposal is accepted,
    counted as the occupancy grid, the residence page and the indicators count them: bed-weeks of
    lettable units in service (a week by its Monday), less the weeks the proposal books and the
    bookings it leaves in place (everyone it does not house)."""
    residences = run.residences()
    # The engine's weeks: from the Monday of the first day, every Monday before the end.
    first = monday_of(run.starts_on)
    capacity = sum(occupancy_between(r, first, run.ends_on).bed_weeks for r in residences)
    units = {str(u.pk): u for u in HousingUnit.objects.filter(residence__in=residences)}
    weeks_of = {a.id: a.weeks for a in instance.apprentices}
    booked = 0
    for apprentice_id, (unit_id, _bed) in solution.assignment.items():
        unit = units[unit_id]
        booked += sum(
            1
            for w in weeks_of[apprentice_id]
            if unit.in_service(first + datetime.timedelta(weeks=w))
        )
    booked += booked_bed_weeks(
        residences, first, run.ends_on, except_people=[int(a) for a in solution.assignment]
    )
    return capacity - booked


def solve(instance: Instance, **options: Any) -> Any:
    """The engine's ``solve``. The engine (OR-Tools, SciPy: ≈ 100 MB) is imported by the task that
    allocates, on its first run, not when a web process or a worker starts."""
    from ancrage.allocation.engine import solve as engine_solve

    return engine_solve(instance, **options)


def execute_run(run_id: int) -> AllocationRun:
    """The task's body: solve, explain, store the proposal. Failures are recorded, never lost. A
    large run made of independent clusters is split into parts (``AllocationPart``) that the
    workers solve side by side; the last one solved stores the proposal (``solve_part``)."""
    run = AllocationRun.objects.select_related("residence", "territory").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    audit.bulk_update(
        "allocation.run_status",
        AllocationRun.objects.filter(pk=run.pk),
        on=run,
        status=RunStatus.RUNNING,
        progress=10,
    )
    try:
        instance, people = build_instance(run)
        AllocationRun.objects.filter(pk=run.pk).update(progress=30)
        if _split(run, instance, people):
            run.refresh_from_db()
            return run

        def advance(share: float) -> None:
            # 30 % once the data is read, 95 % when the time limit is spent, 100 % when stored.
            AllocationRun.objects.filter(pk=run.pk).update(progress=30 + int(65 * share))

        solution = solve(instance, engine=run.engine, time_limit=run.time_limit, progress=advance)
        _store_proposal(run, instance, people, solution)
    except Exception as exc:  # noqa: BLE001 — any failure is shown on the run's page
        _record_failure(run, exc)
    run.refresh_from_db()
    return run


def _people_json(people: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """What the proposal needs of each person, as JSON: name, applications, rank."""
    return {
        str(person_id): {
            "person": str(data["person"]),
            "applications": {str(r): a for r, a in data["applications"].items()},
            "rank": data.get("rank"),
        }
        for person_id, data in people.items()
    }


def _people_from_json(data: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {
        int(person_id): {
            "person": values["person"],
            "applications": {int(r): a for r, a in values["applications"].items()},
            "rank": values["rank"],
        }
        for person_id, values in data.items()
    }


def _split(run: AllocationRun, instance: Instance, people: dict[int, dict[str, Any]]) -> bool:
    """Split a large hybrid run into its independent clusters, each queued as a part for any
    worker (each with its share of the time limit, as the one-process search gives it); False
    when the run is solved at once (another engine, a small run, a single cluster)."""
    from ancrage.allocation.engine.common import clusters, eligibility
    from ancrage.allocation.tasks import solve_allocation_part

    if run.engine != Engine.HYBRID or len(instance.apprentices) < settings.ANCRAGE_ALLOCATION_SPLIT:
        return False
    parts = [p for p in clusters(instance, eligibility(instance)) if p.apprentices and p.units]
    if len(parts) < 2:
        return False
    total = sum(len(p.apprentices) for p in parts)
    budget = run.time_limit * 0.95
    with transaction.atomic():
        audit.bulk_update(
            "allocation.run_status",
            AllocationRun.objects.filter(pk=run.pk),
            on=run,
            pending={"instance": instance.to_json(), "people": _people_json(people)},
        )
        created = AllocationPart.objects.bulk_create(
            AllocationPart(
                run=run,
                position=position,
                instance=part.to_json(),
                time_limit=max(0.5, budget * len(part.apprentices) / total),
            )
            # The largest first: the workers finish together.
            for position, part in enumerate(
                sorted(parts, key=lambda p: len(p.apprentices), reverse=True), start=1
            )
        )
        ids = [part.pk for part in created]
        transaction.on_commit(lambda: [solve_allocation_part.enqueue(pk) for pk in ids])
    logger.info("allocation run split", extra={"run_id": run.pk, "parts": len(ids)})
    return True


def solve_part(part_id: int) -> None:
    """A worker's share of a split run: solve one cluster, keep its assignment; the worker that
    solves the last part stores the run's proposal and deletes the parts."""
    part = AllocationPart.objects.select_related("run").filter(pk=part_id).first()
    if part is None or part.run.status != RunStatus.RUNNING or part.assignment is not None:
        return
    run = part.run
    try:
        solution = solve(
            Instance.from_json(part.instance), engine=Engine.HYBRID, time_limit=part.time_limit
        )
        with transaction.atomic():
            # The run's row is the lock: two workers finishing together assemble it once.
            run = AllocationRun.objects.select_for_update().get(pk=run.pk)
            if run.status != RunStatus.RUNNING:
                return
            AllocationPart.objects.filter(pk=part.pk).update(
                assignment={a: list(bed) for a, bed in solution.assignment.items()},
                optimal=solution.optimal,
            )
            parts = list(AllocationPart.objects.filter(run=run))
            solved = sum(1 for p in parts if p.assignment is not None)
            AllocationRun.objects.filter(pk=run.pk).update(
                progress=30 + int(65 * solved / len(parts))
            )
            if solved < len(parts):
                return
            _assemble(run, parts)
    except Exception as exc:  # noqa: BLE001 — any failure is shown on the run's page
        _record_failure(run, exc)


def _assemble(run: AllocationRun, parts: list[AllocationPart]) -> None:
    """The proposal of a split run from its solved parts (clusters share nobody: their
    assignments add up), as the one-process search scores and explains it."""
    from ancrage.allocation.engine.bound import LowerBound
    from ancrage.allocation.engine.common import clusters, eligibility, honour_priorities, score

    pending = run.pending or {}
    instance = Instance.from_json(pending["instance"])
    people = _people_from_json(pending["people"])
    assignment = {
        apprentice: (bed[0], bed[1])
        for part in parts
        for apprentice, bed in (part.assignment or {}).items()
    }
    eligible = eligibility(instance)
    assignment = honour_priorities(instance, eligible, assignment)
    solution = score(
        instance,
        Engine.HYBRID,
        assignment,
        lower=LowerBound(clusters(instance, eligible), eligible).units_for(assignment),
        seconds=(timezone.now() - run.created_at).total_seconds(),  # queued to assembled
        optimal=all(part.optimal for part in parts),
    )
    _store_proposal(run, instance, people, solution)
    AllocationPart.objects.filter(run=run).delete()
    audit.bulk_update(
        "allocation.run_status", AllocationRun.objects.filter(pk=run.pk), on=run, pending=None
    )


def _record_failure(run: AllocationRun, exc: Exception) -> None:
    audit.bulk_update(
        "allocation.run_status",
        AllocationRun.objects.filter(pk=run.pk),
        on=run,
        status=RunStatus.FAILED,
        progress=100,
        error=f"{type(exc).__name__}: {exc}"[:500],
        finished_at=timezone.now(),
        pending=None,
    )
    # The exception's text may quote the data (a name, a date): the log keeps its type and
    # where it happened; the run's page shows the message to those allowed to see the run.
    logger.error(
        "allocation run failed\n%s",
        "".join(traceback.format_tb(exc.__traceback__)),
        extra={"run_id": run.pk, "engine": run.engine, "error": type(exc).__name__},
    )
    AllocationPart.objects.filter(run=run).delete()


def _store_proposal(
    run: AllocationRun, instance: Instance, people: dict[int, dict[str, Any]], solution: Any
) -> None:
    """Explain the solution and store it as the run's proposal."""
    from ancrage.allocation.engine.common import eligibility
    from ancrage.allocation.engine.explain import explain

    units = {
        str(u.pk): u
        for u in HousingUnit.objects.filter(residence__in=run.residences()).select_related(
            "residence"
        )
    }
    several = run.residence_id is None

    def unit_name(unit_id: str) -> str:
        unit = units[unit_id]
        return f"{unit.residence.name} — {unit.reference}" if several else unit.reference

    first = monday_of(run.starts_on)
    reasons = explain(
        instance,
        solution,
        name=lambda person_id: str(people[int(person_id)]["person"]),
        unit_name=unit_name,
        week_label=lambda w: iso_week_label(first + datetime.timedelta(weeks=w)),
        distances=False,
    )
    by_id = {a.id: a for a in instance.apprentices}
    eligible = eligibility(instance)
    cheapest = {u.id: u.weekly_rent for u in instance.units}
    # The weeks the engine plans: every week whose Monday falls in the period.
    weeks_in_period = len(list(_mondays(run.starts_on, run.ends_on)))
    status_quo = sum(cheapest[eligible[a][0]] for a in solution.assignment)
    savings = round((status_quo - solution.rent) * weeks_in_period, 2)
    baseline = _(
        "Sans partage : chaque personne logée seule dans le logement le moins cher qu'elle "
        "peut occuper, %(rent)s par semaine pour %(people)s personnes, sur les "
        "%(weeks)s semaines de la période (chaque semaine dont le lundi tombe dans la "
        "période) ; avec le partage proposé : %(shared)s par semaine."
    ) % {
        "rent": format_euros(status_quo),
        "people": len(solution.assignment),
        "weeks": weeks_in_period,
        "shared": format_euros(solution.rent),
    }
    result = {
        "assignments": [
            {
                "person_id": int(apprentice_id),
                "person": str(people[int(apprentice_id)]["person"]),
                "application_id": people[int(apprentice_id)]["applications"].get(
                    units[unit_id].residence_id
                ),
                "unit_id": int(unit_id),
                "unit": unit_name(unit_id),
                "residence_id": units[unit_id].residence_id,
                "bed": bed,
                "current_unit": unit_name(c) if (c := by_id[apprentice_id].current_unit) else "",
                "weeks": [
                    (first + datetime.timedelta(weeks=w)).isoformat()
                    for w in sorted(by_id[apprentice_id].weeks)
                ],
                "reason": reasons[apprentice_id],
                "rank": people[int(apprentice_id)].get("rank"),
            }
            for apprentice_id, (unit_id, bed) in sorted(
                solution.assignment.items(),
                key=lambda item: (unit_name(item[1][0]), item[0]),
            )
        ],
        "unhoused": [
            {
                "person_id": int(a),
                "person": str(people[int(a)]["person"]),
                "reason": reasons[a],
                "rank": people[int(a)].get("rank"),
            }
            for a in sorted(solution.unhoused, key=lambda a: (by_id[a].priority, a))
        ],
        "metrics": {
            "apprentices": len(instance.apprentices),
            "units_used": solution.units_used,
            "units_status_quo": len(solution.assignment),
            "lower_bound": solution.lower_bound,
            "gap": round(solution.gap, 4),
            "empty_bed_weeks": _empty_bed_weeks_after(run, instance, solution),
            "savings": savings,
            "weeks": weeks_in_period,
            "baseline_rent": round(status_quo, 2),
            "baseline": baseline,
            "priorities": not run.ignore_priorities,
            "moves": solution.moves,
            "seconds": round(solution.seconds, 2),
            "optimal": solution.optimal,
        },
    }
    audit.bulk_update(
        "allocation.run_status",
        AllocationRun.objects.filter(pk=run.pk),
        on=run,
        status=RunStatus.DONE,
        progress=100,
        result=result,
        finished_at=timezone.now(),
    )
    logger.info(
        "allocation run done",
        extra={
            "run_id": run.pk,
            "engine": run.engine,
            "apprentices": len(instance.apprentices),
            "units_used": solution.units_used,
            "seconds": round(solution.seconds, 2),
        },
    )


def _mondays(start: datetime.date, end: datetime.date | None) -> Iterator[datetime.date]:
    monday = monday_of(start)
    while end is not None and monday < end:
        yield monday
        monday += datetime.timedelta(weeks=1)


def accept_run(*, run: AllocationRun, person_ids: Iterable[int], actor: User) -> list[Booking]:
    """Book the chosen people's school weeks in their proposed unit, all or nothing. A person who
    moves has their previous weekly bookings of the run's residences in the period cancelled first;
    their pending application to the residence they are placed in is closed as housed, those to the
    run's other residences as withdrawn (housed elsewhere)."""
    require(actor, "allocation.run", run.organization_id)
    if run.status != RunStatus.DONE:
        raise ValidationError(_("Cette proposition n'est pas (ou plus) à accepter."))
    chosen = [a for a in run.result.get("assignments", []) if a["person_id"] in set(person_ids)]
    if not chosen:
        raise ValidationError(_("Cochez au moins une personne."))
    created = []
    residences = list(run.residences())
    with acting_as(actor), transaction.atomic():
        for item in chosen:
            person = Person.objects.get(pk=item["person_id"], organization_id=run.organization_id)
            weeks = [datetime.date.fromisoformat(w) for w in item["weeks"]]
            previous = list(
                Booking.objects.filter(
                    person=person,
                    bed__unit__residence__in=residences,
                    status=BookingStatus.ACTIVE,
                    granularity=Granularity.WEEKS,
                    starts_on__lt=run.ends_on,
                    ends_on__gt=run.starts_on,
                ).prefetch_related("periods")
            )
            booked = {
                monday
                for booking in previous
                for period in booking.periods.all()
                for monday in _mondays(period.starts_on, period.ends_on)
                if run.starts_on <= monday < run.ends_on
            }
            if item["current_unit"] == item["unit"] and booked == set(weeks):
                continue  # stays, same weeks: nothing to change
            for booking in previous:
                housing.cancel_booking(booking=booking, actor=actor)
            beds = list(Bed.objects.filter(unit_id=item["unit_id"]).order_by("label", "id"))
            bed = beds[min(item["bed"], len(beds) - 1)]
            rhythm = person.rhythms.order_by("-first_school_week").first()
            application = None
            if item.get("application_id"):
                application = HousingApplication.objects.filter(
                    pk=item["application_id"], status=ApplicationStatus.PENDING
                ).first()
            try:
                booking = housing.book_weeks(
                    person=person,
                    bed=bed,
                    weeks=weeks,
                    rhythm=rhythm,
                    actor=actor,
                    note=_("Proposé par le calcul d'allocation du %(date)s.")
                    % {"date": f"{run.created_at:%d/%m/%Y}"},
                    application=application,
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("%(person)s : %(error)s Relancez le calcul : la situation a changé.")
                    % {"person": person, "error": " ".join(exc.messages)}
                ) from None
            created.append(booking)
            elsewhere = HousingApplication.objects.filter(
                person=person, residence__in=residences, status=ApplicationStatus.PENDING
            ).exclude(residence_id=item["residence_id"])
            for application in elsewhere:
                housing.close_application(
                    application=application,
                    status=ApplicationStatus.WITHDRAWN,
                    actor=actor,
                    note=_("Logé·e à %(residence)s par le calcul d'allocation du %(date)s.")
                    % {"residence": bed.unit.residence.name, "date": f"{run.created_at:%d/%m/%Y}"},
                )
        run.status = RunStatus.ACCEPTED
        run.save(update_fields=["status", "updated_at"])
    return created
