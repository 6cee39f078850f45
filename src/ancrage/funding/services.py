"""Writes of the funding app: agreements, their amounts and objectives, installments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.permissions import can, require
from ancrage.accounts.queries import members_allowed
from ancrage.accounts.services import open_organization
from ancrage.core import documents
from ancrage.core.actor import acting_as
from ancrage.core.money import format_euros
from ancrage.core.validation import check_day
from ancrage.funding import queries
from ancrage.funding.enums import (
    MAX_ADVANCE_PERCENT,
    AccessRequestStatus,
    ApplicationStatus,
    InstallmentKind,
    InstallmentStatus,
)
from ancrage.funding.models import (
    AccessRequest,
    Agreement,
    AgreementYear,
    Application,
    ApplicationDocument,
    Call,
    Criterion,
    Installment,
    Objective,
    Review,
)
from ancrage.indicators import services as indicators
from ancrage.indicators.definitions import INDICATORS
from ancrage.notifications.enums import NotificationKind
from ancrage.notifications.services import notify
from ancrage.partnerships.queries import agreements_visible_to, party_amounts
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.queries import participant_role
from ancrage.programs.services import add_participant

if TYPE_CHECKING:
    from typing import IO

    from ancrage.accounts.models import Organization, User
    from ancrage.core.models import Territory
    from ancrage.partnerships.models import PartnerAgreement
    from ancrage.programs.models import Program

MAX_CENTS = 10**12  # ten billion euros: anything above is a typing error


def _cents(value: int | None, field: str) -> int:
    if value is None or value <= 0:
        raise ValidationError({field: _("Indiquez un montant positif.")})
    if value > MAX_CENTS:
        raise ValidationError({field: _("Montant invraisemblable.")})
    return value


def create_agreement(
    *,
    funder: Organization,
    beneficiary: Organization,
    program: Program,
    subject: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    amounts: dict[int, int],
    actor: User,
    objectives_percent: int = 100,
    signed_on: datetime.date | None = None,
) -> Agreement:
    """The funder's agreement with an organization of a program it funds, with the amount of each
    year (in cents)."""
    require(actor, "funding.decide", funder)
    errors: dict[str, str] = {}
    if participant_role(program, funder) != "funder":
        errors["program"] = _("Votre structure ne finance pas ce dispositif.")
    if participant_role(program, beneficiary) not in ("operator", "partner"):
        errors["beneficiary"] = _(
            "Cette structure ne porte pas ce dispositif et n'y participe pas."
        )
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = _("Indiquez l'objet de la convention.")
    if errors:
        raise ValidationError(errors)
    check_day(starts_on, field="starts_on", label=_("Début"), future_years=10)
    check_day(ends_on, field="ends_on", label=_("Fin"), future_years=10)
    check_day(signed_on, field="signed_on", label=_("Date de signature"), future_years=None)
    if ends_on < starts_on:
        errors["ends_on"] = _("La fin précède le début.")
    if not 0 <= objectives_percent <= 100:
        errors["objectives_percent"] = _("La part des objectifs va de 0 à 100 %.")
    if errors:
        raise ValidationError(errors)
    years = range(starts_on.year, ends_on.year + 1)
    outside = sorted(set(amounts) - set(years))
    if outside:
        raise ValidationError(
            {"amounts": _("L'année %(year)d est hors de la convention.") % {"year": outside[0]}}
        )
    if not amounts:
        raise ValidationError({"amounts": _("Indiquez le montant d'au moins une année.")})
    with acting_as(actor), transaction.atomic():
        agreement = Agreement(
            funder=funder,
            beneficiary=beneficiary,
            program=program,
            subject=subject,
            starts_on=starts_on,
            ends_on=ends_on,
            objectives_percent=objectives_percent,
            signed_on=signed_on,
            created_by=actor,
        )
        agreement.full_clean()
        agreement.save()
        for year, cents in sorted(amounts.items()):
            AgreementYear.objects.create(
                agreement=agreement, year=year, amount_cents=_cents(cents, "amounts")
            )
        # The final report covers the whole agreement: its figures are kept from now on.
        indicators.track_period(first_month=agreement.first_month, last_month=agreement.last_month)
    return agreement


def link_partner_agreement(
    *, agreement: Agreement, partner_agreement: PartnerAgreement | None, actor: User
) -> Agreement:
    """Tie the grant to the agreement between partners it is part of (``None`` unties it). The
    funder and the beneficiary are both parties to it, and the funder's amount is not typed there:
    the grant's amounts are the one source."""
    require(actor, "funding.decide", agreement.funder)
    if partner_agreement is not None:
        if not agreements_visible_to(actor).filter(pk=partner_agreement.pk).exists():
            raise ValidationError({"partner_agreement": _("Convention de partenariat inconnue.")})
        parties = party_amounts(partner_agreement)
        missing = [o for o in (agreement.funder, agreement.beneficiary) if o.pk not in parties]
        if missing:
            raise ValidationError(
                {
                    "partner_agreement": _("%(name)s n'est pas partie à « %(agreement)s ».")
                    % {"name": missing[0].name, "agreement": partner_agreement.title}
                }
            )
        if parties[agreement.funder_id] is not None:
            raise ValidationError(
                {
                    "partner_agreement": _(
                        "« %(agreement)s » fixe déjà un montant pour %(name)s : rattachée, la "
                        "subvention tiendrait un second montant. Une convention de partenariat "
                        "sans montant pour le financeur peut la recevoir."
                    )
                    % {"agreement": partner_agreement.title, "name": agreement.funder.name}
                }
            )
    with acting_as(actor), transaction.atomic():
        agreement.partner_agreement = partner_agreement
        agreement.save(update_fields=["partner_agreement", "updated_at"])
    return agreement


def set_objective(
    *, agreement: Agreement, year: int, indicator: str, value: float | None, actor: User
) -> Objective | None:
    """The funder's objective for an indicator in a year of the agreement (``None`` removes it);
    the organization's dashboard and annual report show it."""
    require(actor, "funding.decide", agreement.funder)
    if year not in agreement.years:
        raise ValidationError(
            {
                "year": _("L'année %(year)d est hors de la convention (%(first)d – %(last)d).")
                % {"year": year, "first": agreement.years[0], "last": agreement.years[-1]}
            }
        )
    if indicator not in INDICATORS:
        raise ValidationError({"indicator": _("Indicateur inconnu.")})
    if value is not None and not 0 < value <= 10**9:
        raise ValidationError({"value": _("Un objectif est un nombre positif.")})
    with acting_as(actor), transaction.atomic():
        indicators.set_target(
            program=agreement.program,
            organization=agreement.beneficiary,
            year=year,
            indicator=indicator,
            value=value,
        )
        if value is None:
            Objective.objects.filter(agreement=agreement, year=year, indicator=indicator).delete()
            return None
        objective, _created = Objective.objects.update_or_create(
            agreement=agreement, year=year, indicator=indicator, defaults={"value": value}
        )
    return objective


def plan_installment(
    *,
    agreement: Agreement,
    year: int,
    kind: str,
    amount_cents: int,
    planned_on: datetime.date,
    actor: User,
) -> Installment:
    """An advance (at most 80 % of the year together with the other advances) or the balance
    (what the advances leave of the year)."""
    require(actor, "funding.decide", agreement.funder)
    if kind not in InstallmentKind.values:
        raise ValidationError({"kind": _("Choisissez avance ou solde.")})
    granted = queries.year_amount(agreement, year)
    if not granted:
        raise ValidationError({"year": _("Cette année n'a pas de montant dans la convention.")})
    amount_cents = _cents(amount_cents, "amount_cents")
    check_day(planned_on, field="planned_on", label=_("Date prévue"), future_years=10)
    advances = queries.advances_of(agreement, year)
    if kind == InstallmentKind.ADVANCE:
        ceiling = granted * MAX_ADVANCE_PERCENT // 100
        if advances + amount_cents > ceiling:
            raise ValidationError(
                {
                    "amount_cents": _(
                        "L'avance dépasse %(percent)d %% du montant de l'année : %(ceiling)s au "
                        "plus, dont %(already)s déjà prévus."
                    )
                    % {
                        "percent": MAX_ADVANCE_PERCENT,
                        "ceiling": format_euros(ceiling / 100),
                        "already": format_euros(advances / 100),
                    }
                }
            )
    else:
        if agreement.installments.filter(year=year, kind=InstallmentKind.BALANCE).exists():
            raise ValidationError({"kind": _("Le solde de cette année est déjà prévu.")})
        if amount_cents > granted - advances:
            raise ValidationError(
                {
                    "amount_cents": _("Le solde dépasse ce que laissent les avances : %(left)s.")
                    % {"left": format_euros((granted - advances) / 100)}
                }
            )
    with acting_as(actor), transaction.atomic():
        installment = Installment(
            agreement=agreement,
            year=year,
            kind=kind,
            amount_cents=amount_cents,
            planned_on=planned_on,
        )
        installment.full_clean()
        installment.save()
    return installment


def _check_balance(installment: Installment) -> None:
    if installment.kind == InstallmentKind.BALANCE:
        blockers = queries.balance_blockers(installment.agreement, installment.year)
        if blockers:
            raise ValidationError(blockers)


def request_installment(*, installment: Installment, on: datetime.date, actor: User) -> Installment:
    """The organization asks for a planned installment (a balance only once it is payable)."""
    agreement = installment.agreement
    if not (
        can(actor, "indicators.write_report", agreement.beneficiary)
        or can(actor, "funding.decide", agreement.funder)
    ):
        require(actor, "indicators.write_report", agreement.beneficiary)
    if installment.status != InstallmentStatus.PLANNED:
        raise ValidationError(_("Seul un versement prévu peut être demandé."))
    check_day(on, field="on", label=_("Date de la demande"), future_years=None)
    _check_balance(installment)
    with acting_as(actor), transaction.atomic():
        installment.status, installment.requested_on = InstallmentStatus.REQUESTED, on
        installment.save()
    return installment


def pay_installment(*, installment: Installment, on: datetime.date, actor: User) -> Installment:
    """The funder records the payment; a paid installment never changes again."""
    require(actor, "funding.decide", installment.agreement.funder)
    if installment.status == InstallmentStatus.PAID:
        raise ValidationError(_("Ce versement est déjà fait : il ne change plus."))
    check_day(on, field="on", label=_("Date du versement"), future_years=None)
    _check_balance(installment)
    with acting_as(actor), transaction.atomic():
        installment.status = InstallmentStatus.PAID
        installment.paid_on = on
        installment.save()
    return installment


# --- Calls for applications ----------------------------------------------------------------------


def _in_territory(organization: Organization, territory: Territory | None) -> bool:
    """Whether the organization's commune lies in ``territory`` (a commune, EPCI, département or
    région); no territory: anywhere."""
    if territory is None:
        return True
    commune = organization.commune
    if commune is None:
        return False
    return territory.pk in (
        commune.pk,
        commune.epci_id,
        commune.departement_id,
        commune.region_id,
    )


def create_call(
    *,
    funder: Organization,
    program: Program,
    title: str,
    text: str,
    envelope_cents: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    criteria: list[tuple[str, int, int]],
    actor: User,
    eligible_kinds: list[str] | None = None,
    territory: Territory | None = None,
    required_documents: list[str] | None = None,
    reviewers: list[User] | None = None,
) -> Call:
    """A draft call of the funder for a program it funds, with its scoring grid (label, weight,
    maximum score) and its reviewers (members of the funder)."""
    require(actor, "funding.decide", funder)
    errors: dict[str, str] = {}
    if participant_role(program, funder) != "funder":
        errors["program"] = _("Votre structure ne finance pas ce dispositif.")
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        errors["title"] = _("Indiquez le titre de l'appel.")
    if not text:
        errors["text"] = _("Indiquez le texte de l'appel.")
    unknown = sorted(set(eligible_kinds or ()) - set(OrganizationKind.values))
    if unknown:
        errors["eligible_kinds"] = _("Type de structure inconnu : %(k)s.") % {"k": unknown[0]}
    if errors:
        raise ValidationError(errors)
    check_day(opens_at, field="opens_at", label=_("Ouverture"), future_years=5)
    check_day(closes_at, field="closes_at", label=_("Clôture"), future_years=5)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("La clôture précède l'ouverture.")})
    if not criteria:
        raise ValidationError({"criteria": _("Indiquez au moins un critère de la grille.")})
    for index, (label, weight, max_score) in enumerate(criteria, start=1):
        if not (label or "").strip():
            raise ValidationError({"criteria": _("Critère %(n)d : son intitulé.") % {"n": index}})
        if not 1 <= weight <= 100:
            raise ValidationError(
                {"criteria": _("Critère %(n)d : le poids va de 1 à 100.") % {"n": index}}
            )
        if not 1 <= max_score <= 20:
            raise ValidationError(
                {"criteria": _("Critère %(n)d : la note maximale va de 1 à 20.") % {"n": index}}
            )
    outsiders = [u for u in reviewers or () if not can(u, "organization.view", funder)]
    if outsiders:
        raise ValidationError({"reviewers": _("Les évaluateurs sont des membres du financeur.")})
    with acting_as(actor), transaction.atomic():
        call = Call(
            funder=funder,
            program=program,
            title=title,
            text=text,
            eligible_kinds=sorted(set(eligible_kinds or ())),
            territory=territory,
            envelope_cents=_cents(envelope_cents, "envelope_cents"),
            required_documents=[d.strip() for d in required_documents or () if d.strip()],
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=actor,
        )
        call.full_clean()
        call.save()
        for position, (label, weight, max_score) in enumerate(criteria):
            Criterion.objects.create(
                call=call,
                label=label.strip()[:200],
                weight=weight,
                max_score=max_score,
                position=position,
            )
        call.reviewers.set(reviewers or ())
    return call


def publish_call(*, call: Call, actor: User) -> Call:
    """The call appears on the public page; its text and grid no longer change."""
    require(actor, "funding.decide", call.funder)
    if call.published_at is not None:
        raise ValidationError(_("Cet appel est déjà publié."))
    if timezone.now() >= call.closes_at:
        raise ValidationError({"closes_at": _("La clôture est passée : changez-la d'abord.")})
    with acting_as(actor), transaction.atomic():
        call.published_at = timezone.now()
        call.save(update_fields=["published_at", "updated_at"])
    return call


def request_access(
    *,
    call: Call,
    organization_name: str,
    kind: str,
    commune: Territory | None,
    first_name: str,
    last_name: str,
    email: str,
    message: str = "",
) -> AccessRequest:
    """Someone without an account asks, from the call's public page, to apply for their
    organization; the funder's deciding members are told."""
    if not call.is_open(timezone.now()):
        raise ValidationError(_("Cet appel n'est pas ouvert : aucune demande n'est possible."))
    errors = {}
    if call.eligible_kinds and kind not in call.eligible_kinds:
        errors["kind"] = _("Ce type de structure n'est pas éligible à cet appel.")
    elif kind not in OrganizationKind.values:
        errors["kind"] = _("Type de structure inconnu.")
    if commune is None:
        errors["commune"] = _("Indiquez la commune de la structure.")
    if errors:
        raise ValidationError(errors)
    request = AccessRequest(
        call=call,
        organization_name=organization_name.strip(),
        kind=kind,
        commune=commune,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        message=message.strip(),
    )
    request.full_clean()
    with transaction.atomic():
        request.save()
        notify(
            recipients=members_allowed(call.funder, "funding.decide"),
            organization=call.funder,
            kind=NotificationKind.CALL_ACCESS_REQUESTED,
            message=_("Demande d'accès pour candidater à « %(title)s »") % {"title": call.title},
            link=reverse("calls:call_detail", args=[call.pk]),
            key=f"call-access-{request.pk}",
        )
    return request


def decide_access_request(*, request: AccessRequest, accept: bool, actor: User) -> AccessRequest:
    """Accepted: the organization and its first administrator are created and invited by e-mail.
    Refused: nothing is created (the request is kept for the record)."""
    require(actor, "funding.decide", request.call.funder)
    with acting_as(actor), transaction.atomic():
        request = AccessRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != AccessRequestStatus.PENDING:
            raise ValidationError(_("Cette demande est déjà traitée."))
        if accept:
            request.organization = open_organization(
                name=request.organization_name,
                kind=request.kind,
                commune=request.commune,
                admin_email=request.email,
                admin_first_name=request.first_name,
                admin_last_name=request.last_name,
                actor=actor,
            )
        request.status = AccessRequestStatus.ACCEPTED if accept else AccessRequestStatus.REFUSED
        request.decided_at = timezone.now()
        request.save()
    return request


def _check_open(call: Call, now: datetime.datetime) -> None:
    if call.published_at is None or now < call.opens_at:
        raise ValidationError(_("Cet appel n'est pas encore ouvert."))
    if now >= call.closes_at:
        closing = timezone.localtime(call.closes_at)
        raise ValidationError(
            _("L'appel est clos depuis le %(day)s à %(time)s : plus aucun dépôt n'est possible.")
            % {"day": f"{closing:%d/%m/%Y}", "time": f"{closing:%H:%M:%S}"}
        )


def start_application(*, call: Call, applicant: Organization, actor: User) -> Application:
    """A draft application of the organization to an open call it is eligible to."""
    require(actor, "funding.apply", applicant)
    _check_open(call, timezone.now())
    if call.eligible_kinds and applicant.kind not in call.eligible_kinds:
        raise ValidationError(_("Votre type de structure n'est pas éligible à cet appel."))
    if not _in_territory(applicant, call.territory):
        raise ValidationError(
            _("Votre structure n'est pas sur le territoire de l'appel (%(t)s).")
            % {"t": call.territory}
        )
    if Application.objects.filter(call=call, applicant=applicant).exists():
        raise ValidationError(_("Votre structure a déjà une candidature à cet appel."))
    with acting_as(actor), transaction.atomic():
        application = Application(call=call, applicant=applicant, created_by=actor)
        application.full_clean()
        application.save()
    return application


def _check_draft(application: Application, actor: User) -> None:
    require(actor, "funding.apply", application.applicant)
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(_("Cette candidature est déposée : elle ne change plus."))
    _check_open(application.call, timezone.now())


def save_application(
    *, application: Application, project: str, amount_cents: int, actor: User
) -> Application:
    """The draft's text and the yearly amount asked."""
    _check_draft(application, actor)
    if amount_cents is None or amount_cents < 0:
        raise ValidationError({"amount_cents": _("Indiquez un montant positif.")})
    if amount_cents > MAX_CENTS:
        raise ValidationError({"amount_cents": _("Montant invraisemblable.")})
    with acting_as(actor), transaction.atomic():
        application.project = (project or "").strip()
        application.amount_cents = amount_cents
        application.full_clean()
        application.save()
    return application


def add_application_document(
    *, application: Application, label: str, upload: IO[bytes] | None, actor: User
) -> ApplicationDocument:
    """A PDF, PNG or JPEG of 10 MB at most attached to the draft (``core.documents``)."""
    _check_draft(application, actor)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Indiquez de quelle pièce il s'agit.")})
    try:
        content_type, size, digest = documents.check(upload)
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from None
    with (
        documents.stored(application.applicant_id, cast("IO[bytes]", upload), content_type) as name,
        acting_as(actor),
        transaction.atomic(),
    ):
        document = ApplicationDocument(
            application=application,
            label=label[:200],
            file=name,
            content_type=content_type,
            size=size,
            sha256=digest,
        )
        document.full_clean()
        document.save()
    return document


def delete_application_document(*, document: ApplicationDocument, actor: User) -> None:
    _check_draft(document.application, actor)
    name = document.file.name or ""
    with acting_as(actor), transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: documents.storage().delete(name))


def submit_application(
    *, application: Application, actor: User, now: datetime.datetime | None = None
) -> Application:
    """Hand the application in: refused from the closing second on (the server's clock decides),
    or while the project, the amount or a required piece is missing."""
    now = now or timezone.now()
    require(actor, "funding.apply", application.applicant)
    given = application
    with acting_as(actor), transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.DRAFT:
            raise ValidationError(_("Cette candidature est déjà déposée."))
        _check_open(application.call, now)
        errors = {}
        if not application.project:
            errors["project"] = _("Décrivez le projet avant de déposer.")
        if application.amount_cents <= 0:
            errors["amount_cents"] = _("Indiquez le montant demandé avant de déposer.")
        attached = set(application.documents.values_list("label", flat=True))
        missing = [d for d in application.call.required_documents if d not in attached]
        if missing:
            errors["documents"] = _("Pièce manquante : %(d)s.") % {"d": ", ".join(missing)}
        if errors:
            raise ValidationError(errors)
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = now
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        call = application.call
        notify(
            recipients=members_allowed(call.funder, "funding.decide"),
            organization=call.funder,
            kind=NotificationKind.APPLICATION_SUBMITTED,
            message=_("Candidature de %(o)s déposée à « %(t)s »")
            % {"o": application.applicant.name, "t": call.title},
            link=reverse("calls:application_detail", args=[application.pk]),
            key=f"application-submitted-{application.pk}",
        )
    given.refresh_from_db()
    return given


def review_application(
    *,
    application: Application,
    conflict_of_interest: bool,
    scores: dict[int, int],
    actor: User,
    comment: str = "",
) -> Review:
    """A reviewer of the call scores a submitted application on each criterion of the grid, or
    declares a conflict of interest (and then gives no score). Once per reviewer."""
    call = application.call
    if not call.reviewers.filter(pk=actor.pk).exists() or not can(
        actor, "organization.view", call.funder
    ):
        raise PermissionDenied(_("Vous n'êtes pas évaluateur de cet appel."))
    if application.status == ApplicationStatus.DRAFT:
        raise ValidationError(_("Cette candidature n'est pas déposée."))
    if call.decided_at is not None:
        raise ValidationError(_("Les candidatures de cet appel sont décidées."))
    criteria = list(call.criteria.all())
    cleaned: dict[str, int] = {}
    if conflict_of_interest:
        if any(v is not None for v in scores.values()):
            raise ValidationError({"scores": _("Un conflit d'intérêts déclaré exclut toute note.")})
    else:
        for criterion in criteria:
            score = scores.get(criterion.pk)
            if score is None or not 0 <= score <= criterion.max_score:
                raise ValidationError(
                    {
                        "scores": _("La note de « %(c)s » va de 0 à %(m)d.")
                        % {"c": criterion.label, "m": criterion.max_score}
                    }
                )
            cleaned[str(criterion.pk)] = int(score)
        unknown = set(scores) - {c.pk for c in criteria}
        if unknown:
            raise ValidationError({"scores": _("Critère inconnu dans cette grille.")})
    with acting_as(actor), transaction.atomic():
        if Review.objects.filter(application=application, reviewer=actor).exists():
            raise ValidationError(_("Vous avez déjà évalué cette candidature."))
        review = Review(
            application=application,
            reviewer=actor,
            conflict_of_interest=conflict_of_interest,
            scores=cleaned,
            comment=(comment or "").strip(),
        )
        review.full_clean()
        review.save()
    return review


def decide_application(
    *,
    application: Application,
    selected: bool,
    actor: User,
    comment: str = "",
    granted_cents: int | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Application:
    """After the closing: the funder selects an application (the organization joins the program
    as a partner and gets its agreement, ``granted_cents`` a year within the call's envelope) or
    rejects it with a reason; the applicant can then download its letter."""
    call = application.call
    require(actor, "funding.decide", call.funder)
    if timezone.now() < call.closes_at:
        raise ValidationError(_("Les candidatures se décident après la clôture de l'appel."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Seule une candidature déposée et pas encore décidée se décide."))
    comment = (comment or "").strip()
    if not selected and not comment:
        raise ValidationError(
            {"comment": _("Indiquez le motif du refus : il figure dans la lettre.")}
        )
    given = application
    with acting_as(actor), transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(_("Cette candidature est déjà décidée."))
        if selected:
            if starts_on is None or ends_on is None:
                raise ValidationError({"starts_on": _("Indiquez les dates de la convention.")})
            granted = _cents(granted_cents, "granted_cents")
            years = range(starts_on.year, ends_on.year + 1) if ends_on >= starts_on else range(0)
            used = queries.call_granted_cents(call)
            if used + granted * len(years) > call.envelope_cents:
                raise ValidationError(
                    {
                        "granted_cents": _(
                            "L'enveloppe de l'appel (%(env)s) serait dépassée : il reste %(left)s."
                        )
                        % {
                            "env": format_euros(call.envelope_cents / 100),
                            "left": format_euros((call.envelope_cents - used) / 100),
                        }
                    }
                )
            add_participant(
                program=call.program,
                organization=application.applicant,
                role=ParticipantRole.PARTNER,
            )
            application.agreement = create_agreement(
                funder=call.funder,
                beneficiary=application.applicant,
                program=call.program,
                subject=call.title,
                starts_on=starts_on,
                ends_on=ends_on,
                amounts={year: granted for year in years},
                actor=actor,
            )
        application.status = ApplicationStatus.SELECTED if selected else ApplicationStatus.REJECTED
        application.decided_at = timezone.now()
        application.decision_comment = comment
        application.save()
        notify(
            recipients=members_allowed(application.applicant, "funding.apply"),
            organization=application.applicant,
            kind=NotificationKind.APPLICATION_DECIDED,
            message=_("Décision sur votre candidature à « %(t)s » : la lettre est disponible")
            % {"t": call.title},
            link=reverse("calls:application_detail", args=[application.pk]),
            key=f"application-decided-{application.pk}",
        )
        if not call.applications.filter(status=ApplicationStatus.SUBMITTED).exists():
            call.decided_at = timezone.now()
            call.save(update_fields=["decided_at", "updated_at"])
    given.refresh_from_db()
    return given


def attach_signed_agreement(
    *,
    agreement: Agreement,
    upload: IO[bytes] | None,
    signed_on: datetime.date | None,
    actor: User,
) -> Agreement:
    """The signed agreement (a PDF) kept with it, with its SHA-256 and the date of signature; a
    new upload replaces the previous one (deleted once the change commits)."""
    require(actor, "funding.decide", agreement.funder)
    try:
        content_type, _size, digest = documents.check(upload)
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if content_type != "application/pdf":
        raise ValidationError({"file": _("La convention signée est un PDF.")})
    check_day(signed_on, field="signed_on", label=_("Date de signature"), future_years=None)
    with (
        documents.stored(
            agreement.funder_id,
            cast("IO[bytes]", upload),
            content_type,
            replaces=agreement.signed_file.name or "",
        ) as name,
        acting_as(actor),
        transaction.atomic(),
    ):
        agreement.signed_file = name
        agreement.signed_sha256 = digest
        if signed_on is not None:
            agreement.signed_on = signed_on
        agreement.save(update_fields=["signed_file", "signed_sha256", "signed_on", "updated_at"])
    return agreement
