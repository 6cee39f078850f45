"""The citizen pathway: templates and their modules, an apprentice's pathway, the weeks its
sessions may fall on, and the schools and partners opened to it with the apprentice's consent.

Registrations and attendances stay written by ``activities.services``: the rules below are
registered into ``activities.rules`` (ADR 0020) so that every way of signing someone up or noting
them present — the pathway page, the session page, the API — obeys them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.activities import services as activities_services
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Registration
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.validation import check_day
from ancrage.housing import queries as housing_queries
from ancrage.housing.models.calendars import iso_week_label, monday_of
from ancrage.partnerships.models import (
    Pathway,
    PathwayModule,
    PathwayOpening,
    PathwayTemplate,
    PathwayTheme,
    PresenceBasis,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.activities.models import Session
    from ancrage.housing.models import Residence
    from ancrage.people.models import Person
    from ancrage.programs.models import Program

# The five CLEA themes, offered as a new template's modules.
CLEA_THEMES = [
    PathwayTheme.FIRST_AID,
    PathwayTheme.POSTURE,
    PathwayTheme.RIGHTS,
    PathwayTheme.PREVENTION,
    PathwayTheme.ENGAGEMENT,
]


# --- Templates and modules ---------------------------------------------------------------------


def _check_template(template: PathwayTemplate) -> None:
    from ancrage.programs.queries import programs_of

    template.title = (template.title or "").strip()
    if not template.title:
        raise ValidationError({"title": _("Indiquez l'intitulé du parcours.")})
    if not programs_of(template.organization).filter(pk=template.program_id).exists():
        raise ValidationError({"program": _("Votre structure ne participe pas à ce dispositif.")})
    if template.presence not in PresenceBasis.values:
        raise ValidationError({"presence": _("Règle de présence inconnue.")})
    if template.residence is not None and (
        template.residence.organization_id != template.organization_id
    ):
        raise ValidationError(
            {"residence": _("Cette résidence n'est pas gérée par votre structure.")}
        )
    template.full_clean()


def create_template(
    *,
    organization: Organization,
    program: Program,
    title: str,
    actor: User,
    presence: str = PresenceBasis.RESIDENCE,
    residence: Residence | None = None,
    clea_partner: Organization | None = None,
) -> PathwayTemplate:
    """A pathway; with ``clea_partner``, the five CLEA modules delivered by it (2 hours each,
    required), to adjust afterwards."""
    require(actor, "partnerships.pathways", organization.pk)
    template = PathwayTemplate(
        organization=organization,
        program=program,
        title=title,
        presence=presence,
        residence=residence,
    )
    _check_template(template)
    with acting_as(actor), transaction.atomic():
        template.save()
        if clea_partner is not None:
            for theme in CLEA_THEMES:
                add_module(
                    template=template,
                    theme=theme,
                    title=str(theme.label),
                    delivered_by=clea_partner,
                    actor=actor,
                )
    return template


def update_template(
    *,
    template: PathwayTemplate,
    actor: User,
    title: Maybe[str] = UNSET,
    presence: Maybe[str] = UNSET,
    residence: Maybe[Residence | None] = UNSET,
    is_active: Maybe[bool] = UNSET,
) -> PathwayTemplate:
    """Change what is given (``residence=None``: any residence)."""
    require(actor, "partnerships.pathways", template.organization_id)
    assign(template, title=title, presence=presence, residence=residence, is_active=is_active)
    _check_template(template)
    with acting_as(actor), transaction.atomic():
        template.save()
    return template


def _activity_title(template: PathwayTemplate, title: str) -> str:
    return f"{template.title} — {title}"[:150]


def _check_module(module: PathwayModule) -> None:
    module.title = (module.title or "").strip()
    if not module.title:
        raise ValidationError({"title": _("Indiquez l'intitulé du module.")})
    if module.delivered_by_id is None:
        raise ValidationError({"delivered_by": _("Indiquez qui anime le module.")})
    if module.expected_hours is None or not 1 <= module.expected_hours <= 200:
        raise ValidationError({"expected_hours": _("Les heures prévues vont de 1 à 200.")})
    if module.theme not in PathwayTheme.values:
        raise ValidationError({"theme": _("Thème inconnu.")})


def add_module(
    *,
    template: PathwayTemplate,
    theme: str,
    title: str,
    delivered_by: Organization,
    actor: User,
    expected_hours: int = 2,
    is_required: bool = True,
) -> PathwayModule:
    """A module and the collective action that holds its sessions."""
    require(actor, "partnerships.pathways", template.organization_id)
    module = PathwayModule(
        template=template,
        theme=theme,
        title=title,
        delivered_by=delivered_by,
        expected_hours=expected_hours,
        is_required=is_required,
        position=template.modules.count() + 1,
    )
    _check_module(module)
    if template.modules.filter(title=module.title).exists():
        raise ValidationError({"title": _("Ce parcours a déjà un module de cet intitulé.")})
    with acting_as(actor), transaction.atomic():
        module.activity = activities_services.create_activity(
            organization=template.organization,
            kind=ActivityKind.CITIZEN_PATHWAY,
            title=_activity_title(template, module.title),
            description=_("Module du parcours « %(pathway)s », animé par %(partner)s.")
            % {"pathway": template.title, "partner": delivered_by},
            actor=actor,
        )
        module.full_clean()
        module.save()
    return module


def update_module(
    *,
    module: PathwayModule,
    actor: User,
    theme: Maybe[str] = UNSET,
    title: Maybe[str] = UNSET,
    delivered_by: Maybe[Organization] = UNSET,
    expected_hours: Maybe[int] = UNSET,
    is_required: Maybe[bool] = UNSET,
) -> PathwayModule:
    require(actor, "partnerships.pathways", module.template.organization_id)
    assign(
        module,
        theme=theme,
        title=title,
        delivered_by=delivered_by,
        expected_hours=expected_hours,
        is_required=is_required,
    )
    _check_module(module)
    if module.template.modules.filter(title=module.title).exclude(pk=module.pk).exists():
        raise ValidationError({"title": _("Ce parcours a déjà un module de cet intitulé.")})
    with acting_as(actor), transaction.atomic():
        module.full_clean()
        module.save()
        activities_services.update_activity(
            activity=module.activity,
            actor=actor,
            title=_activity_title(module.template, module.title),
        )
    return module


def delete_module(*, module: PathwayModule, actor: User) -> None:
    """Remove a module added by mistake: only before any of its sessions is scheduled."""
    require(actor, "partnerships.pathways", module.template.organization_id)
    if module.activity.sessions.exists():
        raise ValidationError(_("Des séances de ce module sont programmées : annulez-les d'abord."))
    with acting_as(actor), transaction.atomic():
        activity = module.activity
        module.delete()
        activity.delete()


# --- An apprentice's pathway -------------------------------------------------------------------


def open_pathway(
    *,
    template: PathwayTemplate,
    person: Person,
    actor: User,
    opened_on: datetime.date | None = None,
) -> Pathway:
    require(actor, "people.change", template.organization_id)
    if person.organization_id != template.organization_id:
        raise ValidationError({"person": _("Cette personne n'est pas suivie par votre structure.")})
    if not template.is_active:
        raise ValidationError({"template": _("Ce parcours n'est plus proposé.")})
    opened_on = opened_on or timezone.localdate()
    check_day(opened_on, field="opened_on", label=_("Ouvert le"), future_years=1)
    if Pathway.objects.filter(template=template, person=person).exists():
        raise ValidationError({"person": _("%(person)s a déjà ce parcours.") % {"person": person}})
    pathway = Pathway(
        organization_id=template.organization_id,
        template=template,
        person=person,
        opened_on=opened_on,
    )
    try:
        with acting_as(actor), transaction.atomic():
            pathway.save()
    except IntegrityError:
        raise ValidationError(
            {"person": _("%(person)s a déjà ce parcours.") % {"person": person}}
        ) from None
    return pathway


def close_pathway(
    *, pathway: Pathway, actor: User, closed_on: datetime.date | None = None
) -> Pathway:
    """The apprentice leaves the program: the pathway stays (its certificate too), no new
    session, the partners opened to it no longer see it."""
    require(actor, "people.change", pathway.organization_id)
    closed_on = closed_on or timezone.localdate()
    check_day(closed_on, field="closed_on", label=_("Clos le"), future_years=1)
    if closed_on < pathway.opened_on:
        raise ValidationError({"closed_on": _("Le parcours se clôt après son ouverture.")})
    with acting_as(actor), transaction.atomic():
        pathway.closed_on = closed_on
        pathway.save(update_fields=["closed_on", "updated_at"])
        for opening in pathway.openings.filter(closed_at__isnull=True):
            close_opening(opening=opening, actor=actor)
    return pathway


def reopen_pathway(*, pathway: Pathway, actor: User) -> Pathway:
    """Undo a closing made by mistake (the partners are to be opened again)."""
    require(actor, "people.change", pathway.organization_id)
    with acting_as(actor), transaction.atomic():
        pathway.closed_on = None
        pathway.save(update_fields=["closed_on", "updated_at"])
    return pathway


def partners_of(template: PathwayTemplate) -> list[Organization]:
    """The organizations that deliver the template's modules."""
    seen: dict[int, Organization] = {}
    for module in template.modules.select_related("delivered_by"):
        seen.setdefault(module.delivered_by_id, module.delivered_by)
    return sorted(seen.values(), key=lambda o: (o.name, o.pk))


def open_to_partner(
    *,
    pathway: Pathway,
    partner: Organization,
    consent_on: datetime.date,
    actor: User,
) -> PathwayOpening:
    """The apprentice agreed that ``partner`` (which delivers modules of the pathway) sees their
    first name, initial and sessions, and notes their attendance."""
    require(actor, "people.change", pathway.organization_id)
    if pathway.closed_on is not None:
        raise ValidationError({"partner": _("Ce parcours est clos.")})
    if partner.pk not in {o.pk for o in partners_of(pathway.template)}:
        raise ValidationError(
            {"partner": _("%(name)s n'anime aucun module de ce parcours.") % {"name": partner}}
        )
    if consent_on is None:
        raise ValidationError({"consent_on": _("Indiquez le jour de l'accord de la personne.")})
    check_day(consent_on, field="consent_on", label=_("Accord de la personne"), future_years=None)
    opening = PathwayOpening(
        organization_id=pathway.organization_id,
        pathway=pathway,
        partner=partner,
        consent_on=consent_on,
        opened_by=actor,
    )
    try:
        with acting_as(actor), transaction.atomic():
            opening.save()
    except IntegrityError:
        raise ValidationError(
            {"partner": _("Ce parcours est déjà ouvert à cette structure.")}
        ) from None
    return opening


def close_opening(*, opening: PathwayOpening, actor: User) -> PathwayOpening:
    require(actor, "people.change", opening.organization_id)
    if opening.closed_at is None:
        with acting_as(actor), transaction.atomic():
            opening.closed_at = timezone.now()
            opening.save(update_fields=["closed_at", "updated_at"])
    return opening


# --- The weeks a pathway's sessions may fall on ------------------------------------------------


def present_days(
    template: PathwayTemplate, person_id: int, days: Iterable[datetime.date]
) -> set[datetime.date]:
    """The ``days`` the person is where the template wants them: housed at its residence (any of
    the organization's when it names none), or at school by their rhythm."""
    days = sorted(set(days))
    if not days:
        return set()
    start, end = days[0], days[-1] + datetime.timedelta(days=1)
    if template.presence == PresenceBasis.SCHOOL:
        weeks = housing_queries.school_weeks_of(person_id, monday_of(start), end)
        return {d for d in days if monday_of(d) in weeks}
    residence_ids = (
        [template.residence_id]
        if template.residence_id
        else list(housing_queries.residences_of(template.organization).values_list("pk", flat=True))
    )
    runs = housing_queries.stays(residence_ids, start, end, person_ids=[person_id]).get(
        person_id, []
    )
    return {d for d in days if any(first <= d < last for first, last in runs)}


def absence_message(template: PathwayTemplate, person: Person, day: datetime.date) -> str:
    monday = monday_of(day)
    values = {
        "week": iso_week_label(monday),
        "monday": f"{monday:%d/%m/%Y}",
        "sunday": f"{monday + datetime.timedelta(days=6):%d/%m/%Y}",
        "person": person.first_name,
    }
    if template.presence == PresenceBasis.SCHOOL:
        return (
            _(
                "Semaine %(week)s (du %(monday)s au %(sunday)s) : %(person)s n'est pas à "
                "l'école d'après son rythme d'alternance."
            )
            % values
        )
    return (
        _("Semaine %(week)s (du %(monday)s au %(sunday)s) : %(person)s ne loge pas à la résidence.")
        % values
    )


def module_of_session(session: Session) -> PathwayModule | None:
    return (
        PathwayModule.objects.filter(activity_id=session.activity_id)
        .select_related("template", "delivered_by")
        .first()
    )


def check_registration(session: Session, person: Person) -> None:
    """Registered into ``activities.rules``: a session of a pathway module takes only an
    apprentice whose pathway is open, on a day they are present."""
    module = module_of_session(session)
    if module is None:
        return
    template = module.template
    if not Pathway.objects.filter(
        template=template, person=person, closed_on__isnull=True
    ).exists():
        raise ValidationError(
            {
                "person": _("%(person)s n'a pas de parcours « %(pathway)s » en cours.")
                % {"person": person, "pathway": template}
            }
        )
    day = timezone.localtime(session.starts_at).date()
    if day not in present_days(template, person.pk, [day]):
        raise ValidationError({"person": absence_message(template, person, day)})


def attendance_granted(actor: User, session: Session, person: Person) -> bool:
    """Registered into ``activities.rules``: a member of the school or partner that delivers the
    module notes the attendance of an apprentice opened to it and signed up for the session."""
    module = module_of_session(session)
    if module is None or not can(actor, "partnerships.attend", module.delivered_by_id):
        return False
    return (
        PathwayOpening.objects.filter(
            pathway__template_id=module.template_id,
            pathway__person=person,
            partner_id=module.delivered_by_id,
            closed_at__isnull=True,
        ).exists()
        and Registration.objects.filter(session=session, person=person).exists()
    )


# --- Reminders ---------------------------------------------------------------------------------


def remind_modules_to_do(today: datetime.date | None = None) -> int:
    """Once a week, each organization's team is told how many of its apprentices have required
    modules neither done nor scheduled (the pathway list shows who and which)."""
    from django.urls import reverse

    from ancrage.accounts.queries import members_allowed
    from ancrage.activities import queries as activities_queries
    from ancrage.notifications.enums import NotificationKind
    from ancrage.notifications.services import notify
    from ancrage.partnerships.pathway_queries import progress_of

    today = today or timezone.localdate()
    pathways = list(
        Pathway.objects.filter(closed_on__isnull=True, person__archived_on__isnull=True)
        .select_related("organization")
        .order_by("organization_id", "pk")
    )
    progress = progress_of(pathways)
    activity_ids = [m.module.activity_id for p in progress.values() for m in p.to_remind]
    now = timezone.now()
    scheduled = {
        (r.person_id, r.session.activity_id)
        for r in activities_queries.registrations_in(
            set(activity_ids), {p.person_id for p in pathways}
        )
        if r.session.starts_at >= now
    }
    behind: dict[int, list[Pathway]] = {}
    for pathway in pathways:
        if any(
            (pathway.person_id, m.module.activity_id) not in scheduled
            for m in progress[pathway.pk].to_remind
        ):
            behind.setdefault(pathway.organization_id, []).append(pathway)
    year, week, _day = today.isocalendar()
    told = 0
    for late in behind.values():
        organization = late[0].organization
        told += len(
            notify(
                recipients=members_allowed(organization, "people.change"),
                organization=organization,
                kind=NotificationKind.PATHWAY_MODULES,
                message=_(
                    "%(count)d alternant·e(s) ont des modules obligatoires du parcours citoyen "
                    "ni faits ni programmés."
                )
                % {"count": len(late)},
                link=reverse("pathways:pathway_list"),
                key=f"pathway-modules:{organization.pk}:{year}-W{week:02d}",
            )
        )
    return told
