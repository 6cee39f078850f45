"""The tripartite charter: templates per program, a charter prepared for an apprenticeship, and
its signing by each party through a personal link confirmed by a one-time code sent by e-mail —
a simple electronic signature, without an account (docs/charters.md).

- The link works for one party, once, for ``LINK_DAYS`` days; a reminder goes after
  ``REMIND_AFTER_DAYS`` (with a new link: only the latest one works).
- A code lives ``CODE_MINUTES`` minutes; three wrong codes lock the link (the manager sends a new
  one); ``MAX_CODES`` codes at most per link.
- What is signed is the PDF frozen when the charter was prepared: each signature keeps its
  SHA-256, checked against the stored file; a new wording or party is a new charter.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.core import documents
from ancrage.core.actor import acting_as
from ancrage.core.validation import is_email
from ancrage.partnerships import charter_pdf
from ancrage.partnerships.models import (
    Apprenticeship,
    Charter,
    CharterTemplate,
    Signatory,
    SignatoryRole,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.programs.models import Program

LINK_DAYS = 14
REMIND_AFTER_DAYS = 7
CODE_MINUTES = 15
MAX_ATTEMPTS = 3
MAX_CODES = 5
ADULT_AGE = 18
EARLIEST = datetime.date(2000, 1, 1)


# --- Templates -----------------------------------------------------------------------------------


def template_operators(program: Program) -> list[int]:
    """The organizations that run ``program``: they write its charter's wording."""
    from ancrage.programs.enums import ParticipantRole
    from ancrage.programs.models import ProgramParticipant

    return list(
        ProgramParticipant.objects.filter(
            program=program, role=ParticipantRole.OPERATOR
        ).values_list("organization_id", flat=True)
    )


def may_write_template(user: User, program: Program) -> bool:
    return any(can(user, "partnerships.templates", org) for org in template_operators(program))


def create_template(*, program: Program, title: str, body: str, actor: User) -> CharterTemplate:
    """A new version of the program's charter (the previous ones stay, with their charters)."""
    if not may_write_template(actor, program):
        require(actor, "partnerships.templates", None)  # raises, with the action's message
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Indiquez le titre de la charte.")
    elif len(title) > 200:
        errors["title"] = _("200 caractères au plus.")
    if not body:
        errors["body"] = _("Écrivez le texte de la charte.")
    elif len(body) > 20000:
        errors["body"] = _("20 000 caractères au plus.")
    else:
        unknown = charter_pdf.unknown_placeholders(body)
        if unknown:
            errors["body"] = _("Champ inconnu dans le texte : %(names)s.") % {
                "names": ", ".join("{" + name + "}" for name in unknown)
            }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        last = (
            CharterTemplate.objects.select_for_update()
            .filter(program=program)
            .order_by("-version")
            .first()
        )
        return CharterTemplate.objects.create(
            program=program,
            version=(last.version + 1) if last else 1,
            title=title,
            body=body,
            created_by=actor,
        )


# --- Preparing a charter -------------------------------------------------------------------------


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _code_hash(signatory: Signatory, code: str) -> str:
    message = f"charter-code:{signatory.pk}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_minor(apprenticeship: Apprenticeship, on: datetime.date) -> bool:
    birth = apprenticeship.person.birth_date
    if birth is None:
        return False
    try:
        adult_on = birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        adult_on = datetime.date(birth.year + ADULT_AGE, 3, 1)
    return on < adult_on


def _check_parties(
    apprenticeship: Apprenticeship, parties: dict[str, tuple[str, str]], today: datetime.date
) -> dict[str, tuple[str, str]]:
    """``parties``: role → (name, e-mail). Errors are keyed ``<role>_name`` / ``<role>_email``."""
    errors: dict[str, str] = {}
    required = [SignatoryRole.APPRENTICE, SignatoryRole.SCHOOL, SignatoryRole.EMPLOYER]
    if is_minor(apprenticeship, today):
        required.append(SignatoryRole.GUARDIAN)
    cleaned: dict[str, tuple[str, str]] = {}
    for party in SignatoryRole:
        name, email = (part.strip() for part in parties.get(party, ("", "")))
        if not name and not email:
            if party in required:
                message = {
                    SignatoryRole.APPRENTICE: _("Indiquez le nom de l'apprenti·e."),
                    SignatoryRole.SCHOOL: _("Indiquez qui signe pour l'école (CFA)."),
                    SignatoryRole.EMPLOYER: _("Indiquez qui signe pour l'employeur."),
                    SignatoryRole.GUARDIAN: _(
                        "%(person)s est mineur·e : indiquez son ou sa représentant·e légal·e, "
                        "qui signe aussi."
                    )
                    % {"person": apprenticeship.person},
                }[party]
                errors[f"{party}_name"] = message
            continue
        if not name:
            errors[f"{party}_name"] = _("Indiquez le nom.")
        elif len(name) > 150:
            errors[f"{party}_name"] = _("150 caractères au plus.")
        if not is_email(email):
            errors[f"{party}_email"] = _("Indiquez une adresse e-mail valide.")
        cleaned[party] = (name, email.lower())
    if errors:
        raise ValidationError(errors)
    return cleaned


def _store(organization_id: int, content: bytes) -> str:
    return documents.storage().save(
        documents.stored_name(organization_id, "application/pdf"), ContentFile(content)
    )


def _read(name: str) -> bytes:
    with documents.storage().open(name, "rb") as handle:
        content: bytes = handle.read()
    return content


def prepare_charter(
    *,
    apprenticeship: Apprenticeship,
    template: CharterTemplate,
    consent_on: datetime.date,
    parties: dict[str, tuple[str, str]],
    actor: User,
) -> Charter:
    """Freeze the charter's PDF and send each party their personal link."""
    require(actor, "people.change", apprenticeship)
    from ancrage.programs.queries import programs_of

    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not programs_of(apprenticeship.organization).filter(pk=template.program_id).exists():
        errors["template"] = _("Votre structure ne participe pas au dispositif de ce modèle.")
    if consent_on is None:
        errors["consent_on"] = _("Indiquez la date de l'accord de l'apprenti·e.")
    elif consent_on > today:
        errors["consent_on"] = _("La date ne peut pas être dans le futur.")
    elif consent_on < EARLIEST:
        errors["consent_on"] = _("Indiquez une date après 2000.")
    try:
        cleaned = _check_parties(apprenticeship, parties, today)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if Charter.objects.filter(apprenticeship=apprenticeship, revoked_at__isnull=True).exists():
        errors["template"] = _(
            "Ce contrat a déjà une charte en cours : retirez-la pour en préparer une nouvelle."
        )
    if errors:
        raise ValidationError(errors)
    organizations: dict[str, str] = {
        SignatoryRole.SCHOOL: apprenticeship.school.name,
        SignatoryRole.EMPLOYER: apprenticeship.employer.name,
    }
    tokens: dict[str, str] = {}
    now = timezone.now()
    with acting_as(actor), transaction.atomic():
        try:
            with transaction.atomic():
                charter = Charter.objects.create(
                    organization_id=apprenticeship.organization_id,
                    apprenticeship=apprenticeship,
                    template=template,
                    consent_on=consent_on,
                    created_by=actor,
                )
        except IntegrityError:
            raise ValidationError(
                {"template": _("Ce contrat a déjà une charte en cours.")}
            ) from None
        content = charter_pdf.document_pdf(
            reference=charter.reference,
            apprenticeship=apprenticeship,
            template=template,
            parties=[
                (SignatoryRole(role).label, name, organizations.get(role, ""))
                for role, (name, _email) in cleaned.items()
            ],
        )
        charter.document = _store(charter.organization_id, content)
        charter.document_sha256 = hashlib.sha256(content).hexdigest()
        charter.save(update_fields=["document", "document_sha256", "updated_at"])
        for role, (name, email) in cleaned.items():
            token = secrets.token_urlsafe(32)
            tokens[role] = token
            Signatory.objects.create(
                charter=charter,
                role=role,
                name=name,
                email=email,
                token_hash=_hash(token),
                link_sent_at=now,
                expires_at=now + datetime.timedelta(days=LINK_DAYS),
            )
        links = [(email, tokens[role]) for role, (_name, email) in cleaned.items()]
        transaction.on_commit(lambda: _send_links(charter, links, reminder=False))
    return charter


def _absolute(path: str) -> str:
    return settings.ANCRAGE_BASE_URL.rstrip("/") + path


def _send_links(charter: Charter, links: list[tuple[str, str]], *, reminder: bool) -> None:
    """One e-mail per party with their link; it names no one (the charter's reference only)."""
    expires = timezone.localtime(timezone.now() + datetime.timedelta(days=LINK_DAYS))
    for email, token in links:
        context = {
            "reference": charter.reference,
            "organization": charter.organization.name,
            "link": _absolute(reverse("charters:sign", args=[token])),
            "reminder": reminder,
            "expires": expires,
        }
        send_mail(
            render_to_string("partnerships/email/sign_subject.txt", context).strip(),
            render_to_string("partnerships/email/sign_message.txt", context),
            None,
            [email],
        )


def _live(charter: Charter) -> None:
    if charter.revoked_at is not None:
        raise ValidationError(_("Cette charte a été retirée."))
    if charter.completed_at is not None:
        raise ValidationError(_("Cette charte est déjà signée par toutes les parties."))


def resend_link(*, signatory: Signatory, actor: User) -> Signatory:
    """A new link for a party who has not signed (lost e-mail, expired or locked link): the
    previous one stops working, the wrong codes are forgotten."""
    charter = signatory.charter
    require(actor, "people.change", charter)
    _live(charter)
    if signatory.signed_at is not None:
        raise ValidationError(_("Cette partie a déjà signé."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with acting_as(actor), transaction.atomic():
        signatory.token_hash = _hash(token)
        signatory.link_sent_at = now
        signatory.expires_at = now + datetime.timedelta(days=LINK_DAYS)
        signatory.reminded_at = None
        signatory.code_hash, signatory.code_expires_at = "", None
        signatory.codes_sent = signatory.failed_attempts = 0
        signatory.locked_at = None
        signatory.save()
        links = [(signatory.email, token)]
        transaction.on_commit(lambda: _send_links(charter, links, reminder=False))
    return signatory


def revoke_charter(*, charter: Charter, actor: User) -> Charter:
    """Withdraw a charter (a new wording, a party changed): its links stop working; a signed
    charter stays readable and verifiable, marked withdrawn."""
    require(actor, "people.change", charter)
    if charter.revoked_at is not None:
        raise ValidationError(_("Cette charte est déjà retirée."))
    with acting_as(actor), transaction.atomic():
        charter.revoked_at = timezone.now()
        charter.save(update_fields=["revoked_at", "updated_at"])
    return charter


def remind_signatories(*, now: datetime.datetime | None = None) -> int:
    """Daily: a new link to each party who has not signed a week after theirs was sent (once)."""
    now = now or timezone.now()
    due = Signatory.objects.filter(
        charter__revoked_at__isnull=True,
        charter__completed_at__isnull=True,
        signed_at__isnull=True,
        locked_at__isnull=True,
        reminded_at__isnull=True,
        link_sent_at__lte=now - datetime.timedelta(days=REMIND_AFTER_DAYS),
        expires_at__gt=now,
    ).select_related("charter__organization")
    count = 0
    for signatory in due:
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            signatory.token_hash = _hash(token)
            signatory.reminded_at = now
            signatory.save(update_fields=["token_hash", "reminded_at"])
            transaction.on_commit(
                partial(_send_links, signatory.charter, [(signatory.email, token)], reminder=True)
            )
        count += 1
    return count


# --- Signing (no account: the link is the credential, the code confirms the address) ------------


def signatory_for_token(token: str) -> Signatory | None:
    if not token or len(token) > 100:
        return None
    return (
        Signatory.objects.select_related(
            "charter__organization",
            "charter__template__program",
            "charter__apprenticeship__person",
            "charter__apprenticeship__school",
            "charter__apprenticeship__employer",
        )
        .filter(token_hash=_hash(token))
        .first()
    )


def why_closed(signatory: Signatory, now: datetime.datetime | None = None) -> str | None:
    """Why this link cannot be used (French, for the page), or None when it can."""
    now = now or timezone.now()
    charter = signatory.charter
    if signatory.signed_at is not None:
        return _("Vous avez signé cette charte le %(day)s : ce lien ne sert plus.") % {
            "day": f"{timezone.localtime(signatory.signed_at):%d/%m/%Y à %H:%M}"
        }
    if charter.revoked_at is not None:
        return _("Cette charte a été retirée par %(organization)s.") % {
            "organization": charter.organization.name
        }
    if signatory.locked_at is not None:
        return _(
            "Ce lien est bloqué après trois codes erronés. Demandez un nouveau lien à "
            "%(organization)s."
        ) % {"organization": charter.organization.name}
    if signatory.expires_at <= now:
        return _("Ce lien a expiré le %(day)s. Demandez un nouveau lien à %(organization)s.") % {
            "day": f"{timezone.localtime(signatory.expires_at):%d/%m/%Y}",
            "organization": charter.organization.name,
        }
    return None


def send_code(*, signatory: Signatory) -> None:
    """E-mail a six-digit code to the party's address; a new code replaces the previous one."""
    with transaction.atomic():
        locked = (
            Signatory.objects.select_for_update().select_related("charter").get(pk=signatory.pk)
        )
        reason = why_closed(locked)
        if reason:
            raise ValidationError(reason)
        if locked.codes_sent >= MAX_CODES:
            raise ValidationError(
                _("Trop de codes demandés pour ce lien. Demandez un nouveau lien à %(org)s.")
                % {"org": signatory.charter.organization.name}
            )
        code = f"{secrets.randbelow(10**6):06d}"
        locked.code_hash = _code_hash(locked, code)
        locked.code_expires_at = timezone.now() + datetime.timedelta(minutes=CODE_MINUTES)
        locked.codes_sent += 1
        locked.save(update_fields=["code_hash", "code_expires_at", "codes_sent"])
        email = locked.email
        context = {"code": code, "minutes": CODE_MINUTES, "reference": locked.charter.reference}
    # Sent once the code is stored, right away: the party is waiting for it on the page.
    send_mail(
        render_to_string("partnerships/email/code_subject.txt", context).strip(),
        render_to_string("partnerships/email/code_message.txt", context),
        None,
        [email],
    )


def sign(*, signatory: Signatory, code: str, ip: str | None) -> Signatory:
    """Check the code and record the signature; the last one completes the charter (signed
    PDF). A wrong code counts (three lock the link) even though the call fails."""
    failure: str | None = None
    with transaction.atomic():
        locked = (
            Signatory.objects.select_for_update().select_related("charter").get(pk=signatory.pk)
        )
        reason = why_closed(locked)
        if reason:
            raise ValidationError(reason)
        now = timezone.now()
        code = (code or "").strip().replace(" ", "")
        if not locked.code_hash or locked.code_expires_at is None:
            raise ValidationError({"code": _("Demandez d'abord un code.")})
        if locked.code_expires_at <= now:
            raise ValidationError({"code": _("Ce code a expiré : demandez-en un nouveau.")})
        if not (len(code) == 6 and code.isdigit()) or not hmac.compare_digest(
            _code_hash(locked, code), locked.code_hash
        ):
            locked.failed_attempts += 1
            left = MAX_ATTEMPTS - locked.failed_attempts
            if left <= 0:
                locked.locked_at = now
                failure = _(
                    "Code incorrect. Ce lien est maintenant bloqué : demandez un nouveau lien à "
                    "%(organization)s."
                ) % {"organization": locked.charter.organization.name}
            else:
                failure = (
                    _("Code incorrect. Il vous reste %(left)d essai.")
                    if left == 1
                    else _("Code incorrect. Il vous reste %(left)d essais.")
                ) % {"left": left}
            locked.save(update_fields=["failed_attempts", "locked_at"])
        else:
            charter = Charter.objects.select_for_update().get(pk=locked.charter_id)
            if hashlib.sha256(_read(charter.document)).hexdigest() != charter.document_sha256:
                raise ValidationError(_("Le document a été altéré : la signature est refusée."))
            locked.signed_at = now
            locked.ip = ip
            locked.signed_sha256 = charter.document_sha256
            locked.code_hash, locked.code_expires_at = "", None
            locked.save()
            if not charter.signatories.filter(signed_at__isnull=True).exists():
                _complete(charter)
    if failure:
        raise ValidationError({"code": failure})
    return locked


def _complete(charter: Charter) -> None:
    signatories = list(charter.signatories.order_by("id"))
    content = charter_pdf.signed_pdf(
        _read(charter.document), charter_pdf.signature_page(charter, signatories)
    )
    charter.signed_document = _store(charter.organization_id, content)
    charter.signed_sha256 = hashlib.sha256(content).hexdigest()
    charter.completed_at = timezone.now()
    charter.save(update_fields=["signed_document", "signed_sha256", "completed_at", "updated_at"])
    emails = [s.email for s in signatories]
    context = {
        "reference": charter.reference,
        "organization": charter.organization.name,
        "verify": _absolute(reverse("charters:verify")),
    }
    transaction.on_commit(
        lambda: send_mail(
            render_to_string("partnerships/email/complete_subject.txt", context).strip(),
            render_to_string("partnerships/email/complete_message.txt", context),
            None,
            emails,
        )
    )


def verify(content: bytes) -> tuple[str, Charter | None]:
    """What an uploaded PDF is: ``("signed", charter)`` when it is a signed charter byte for byte,
    ``("unsigned", charter)`` when it is the document before signatures, ``("unknown", None)``."""
    digest = hashlib.sha256(content).hexdigest()
    charter = Charter.objects.filter(signed_sha256=digest).first()
    if charter is not None:
        return "signed", charter
    charter = Charter.objects.filter(document_sha256=digest).first()
    if charter is not None:
        return "unsigned", charter
    return "unknown", None
