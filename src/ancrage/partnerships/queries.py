"""Reads of partnerships, for its pages, its API and other apps."""

from __future__ import annotations

from django.db.models import QuerySet

from ancrage.accounts.permissions import get_for_user
from ancrage.partnerships.models import (
    AgreementParty,
    Apprenticeship,
    Charter,
    CharterTemplate,
    Committee,
    Decision,
    Meeting,
    PartnerAgreement,
)


def apprenticeships_visible_to(user) -> QuerySet[Apprenticeship]:
    return Apprenticeship.objects.visible_to(user).select_related(
        "person", "school", "employer", "rhythm"
    )


def get_apprenticeship_for_user(user, apprenticeship_id, *, write: bool = False) -> Apprenticeship:
    """An apprenticeship of the user's teams (404 otherwise); to change it, their role must
    allow recording the person's file (403)."""
    return get_for_user(
        apprenticeships_visible_to(user),
        apprenticeship_id,
        user,
        action="people.change" if write else None,
    )


def apprenticeships_of(organization, *, person_id: int | None = None) -> QuerySet[Apprenticeship]:
    rows = Apprenticeship.objects.filter(organization=organization).select_related(
        "person", "school", "employer"
    )
    return rows if person_id is None else rows.filter(person_id=person_id)


def charters_visible_to(user) -> QuerySet[Charter]:
    return Charter.objects.filter(
        apprenticeship__in=Apprenticeship.objects.visible_to(user)
    ).select_related(
        "organization",
        "template__program",
        "apprenticeship__person",
        "apprenticeship__school",
        "apprenticeship__employer",
    )


def get_charter_for_user(user, charter_id, *, write: bool = False) -> Charter:
    """A charter of the user's teams (404 otherwise); to act on it, their role must allow
    recording the person's file (403)."""
    return get_for_user(
        charters_visible_to(user), charter_id, user, action="people.change" if write else None
    )


def charters_of(apprenticeship: Apprenticeship) -> list[Charter]:
    return list(
        Charter.objects.filter(apprenticeship=apprenticeship)
        .select_related("template")
        .prefetch_related("signatories")
    )


def templates_of_programs(program_ids) -> QuerySet[CharterTemplate]:
    return CharterTemplate.objects.filter(program_id__in=list(program_ids)).select_related(
        "program", "created_by"
    )


def templates_visible_to(user) -> QuerySet[CharterTemplate]:
    """The charter templates of the programs the user's teams take part in."""
    from ancrage.accounts.querysets import team_organization_ids

    if not user.is_authenticated:
        return CharterTemplate.objects.none()
    return CharterTemplate.objects.filter(
        program__participants__organization_id__in=team_organization_ids(user)
    ).distinct()


def current_templates(organization) -> QuerySet[CharterTemplate]:
    """The latest version of the charter of each program ``organization`` takes part in."""
    from django.db.models import OuterRef, Subquery

    from ancrage.programs.queries import programs_of

    latest = (
        CharterTemplate.objects.filter(program=OuterRef("program"))
        .order_by("-version")
        .values("pk")[:1]
    )
    return (
        templates_of_programs(programs_of(organization).values_list("pk", flat=True))
        .filter(pk=Subquery(latest))
        .order_by("program__name")
    )


def committees_visible_to(user) -> QuerySet[Committee]:
    """The committees of the user's teams, and those the user sits on."""
    from django.db.models import Q

    from ancrage.accounts.querysets import team_organization_ids

    if not user.is_authenticated:
        return Committee.objects.none()
    return (
        Committee.objects.filter(
            Q(organization_id__in=team_organization_ids(user))
            | Q(members__user=user, members__left_on__isnull=True)
        )
        .distinct()
        .select_related("organization", "program")
    )


def get_committee_for_user(user, committee_id, *, manage: bool = False) -> Committee:
    """A committee the user sees (404 otherwise); to run it, the role must allow it (403)."""
    return get_for_user(
        committees_visible_to(user),
        committee_id,
        user,
        action="partnerships.committees" if manage else None,
    )


def get_meeting_for_user(user, meeting_id, *, manage: bool = False) -> Meeting:
    meeting = get_for_user(
        Meeting.objects.filter(committee__in=committees_visible_to(user)).select_related(
            "committee__organization", "committee__program"
        ),
        meeting_id,
        user,
    )
    if manage:
        get_committee_for_user(user, meeting.committee_id, manage=True)
    return meeting


def get_decision_for_user(user, decision_id) -> Decision:
    return get_for_user(
        Decision.objects.filter(meeting__committee__in=committees_visible_to(user)).select_related(
            "meeting__committee", "owner__user"
        ),
        decision_id,
        user,
    )


def open_decisions_of(user) -> list[Decision]:
    """The decisions the user carries, not done yet, soonest first (their home page)."""
    return list(
        Decision.objects.filter(owner__user=user, done_on__isnull=True)
        .select_related("meeting__committee__program")
        .order_by("due_on", "id")[:50]
    )


def apprenticeship_facts(person_ids: list[int], on) -> dict[int, list[str]]:
    """« CAP Cuisine — CFA des Métiers du Forez (Saint-Étienne) · employeur : … (…) » for each
    person with a contract running on ``on`` (``core.person_facts``)."""

    def place(organization) -> str:
        commune = getattr(organization, "commune", None)
        return f"{organization.name} ({commune.name})" if commune else organization.name

    rows = Apprenticeship.objects.filter(
        person_id__in=person_ids, starts_on__lte=on, ends_on__gt=on
    ).select_related("school__commune", "employer__commune")
    return {
        a.person_id: [f"{a.diploma} — {place(a.school)} · employeur : {place(a.employer)}"]
        for a in rows
    }


def agreements_visible_to(user) -> QuerySet[PartnerAgreement]:
    """The agreements the user's teams recorded, and those their organizations are party to."""
    from django.db.models import Q

    from ancrage.accounts.permissions import organizations_where
    from ancrage.accounts.querysets import team_organization_ids

    if not user.is_authenticated:
        return PartnerAgreement.objects.none()
    return (
        PartnerAgreement.objects.filter(
            Q(organization_id__in=team_organization_ids(user))
            | Q(parties__organization_id__in=organizations_where(user, "programs.view"))
        )
        .distinct()
        .select_related("organization", "program")
    )


def get_agreement_for_user(user, agreement_id, *, write: bool = False) -> PartnerAgreement:
    return get_for_user(
        agreements_visible_to(user),
        agreement_id,
        user,
        action="partnerships.agreements" if write else None,
    )


def party_amounts(agreement: PartnerAgreement) -> dict[int, int | None]:
    """Each party of the agreement (organization id) and the amount typed for it, if any."""
    return dict(
        AgreementParty.objects.filter(agreement=agreement).values_list(
            "organization_id", "amount_cents"
        )
    )


def partner_agreements_with(user, *organizations) -> QuerySet[PartnerAgreement]:
    """The agreements the user sees to which every one of ``organizations`` is a party."""
    agreements = agreements_visible_to(user)
    for organization in organizations:
        agreements = agreements.filter(parties__organization=organization)
    return agreements.distinct().order_by("-starts_on", "id")
