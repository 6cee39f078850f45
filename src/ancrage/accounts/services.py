"""Writes on accounts: organizations, memberships, API tokens. Keyword-only, actor last."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.enums import DEFAULT_MODULES, Module, Role
from ancrage.accounts.models import ApiToken, Membership, Organization, User, hash_token
from ancrage.accounts.permissions import require
from ancrage.accounts.queries import forget_memberships
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.models import Territory


def update_organization(
    *,
    organization: Organization,
    actor: User,
    name: Maybe[str] = UNSET,
    siret: Maybe[str] = UNSET,
    address: Maybe[str] = UNSET,
    commune: Maybe[Territory | None] = UNSET,
    modules: Maybe[list[str] | None] = UNSET,
) -> Organization:
    """Change the organization's details; ``modules`` (the parts of Ancrage it uses) equal to its
    kind's usual ones are stored as "the usual ones", so that they follow the kind."""
    require(actor, "organization.manage", organization)
    if modules is not UNSET and modules is not None:
        unknown = sorted(set(modules) - set(Module.values))
        if unknown:
            raise ValidationError(
                {"modules": _("Module inconnu : %(names)s.") % {"names": ", ".join(unknown)}}
            )
        chosen = sorted(set(modules))
        modules = None if chosen == sorted(DEFAULT_MODULES.get(organization.kind, ())) else chosen
    with acting_as(actor), transaction.atomic():
        assign(
            organization,
            name=name,
            siret=siret,
            address=address,
            commune=commune,
            modules=modules,
        )
        organization.full_clean()
        organization.save()
    return organization


def open_organization(
    *,
    name: str,
    kind: str,
    commune: Territory,
    admin_email: str,
    admin_first_name: str,
    admin_last_name: str,
    actor: User,
) -> Organization:
    """A new organization and its first administrator, invited by e-mail to choose a password.
    The caller decides who may open one (a funder accepting an applicant to its call); ``actor``
    is recorded in the audit trail."""
    email = User.objects.normalize_email(admin_email).strip().lower()
    with acting_as(actor), transaction.atomic():
        organization = Organization(name=name.strip(), kind=kind, commune=commune)
        organization.full_clean()
        organization.save()
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            user = User(
                email=email, first_name=admin_first_name.strip(), last_name=admin_last_name.strip()
            )
            user.set_unusable_password()
            user.save()
        membership = Membership(user=user, organization=organization, role=Role.ADMIN)
        membership.full_clean()
        membership.save()
    if created:
        transaction.on_commit(lambda: send_password_link(user=user))
    return organization


def add_member(
    *,
    organization: Organization,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    actor: User,
    send_invitation: bool = True,
) -> Membership:
    """Open an account (or reuse the one with this e-mail) and give it a role in the organization.

    A new account has no usable password: the person receives a link to choose one.
    """
    require(actor, "members.manage", organization)
    email = User.objects.normalize_email(email).strip().lower()
    with acting_as(actor), transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        created = existing is None
        if existing is None:
            user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
            user.set_unusable_password()
            user.save()
        else:
            user = existing
        membership = Membership.objects.filter(user=user, organization=organization).first()
        if membership is not None and membership.is_active:
            raise ValidationError({"email": _("Cette personne fait déjà partie de la structure.")})
        if membership is None:
            membership = Membership(user=user, organization=organization)
        membership.role = role
        membership.is_active = True
        membership.full_clean()
        membership.save()
    if created and send_invitation:
        transaction.on_commit(lambda: send_password_link(user=user))
    return membership


def send_password_link(*, user: User) -> None:
    """E-mail a link to allauth's "choose a new password" page, valid for a few days."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {"email": user.email, "link": settings.ANCRAGE_BASE_URL.rstrip("/") + path}
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _active_admins(organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.active().filter(organization=organization, role=Role.ADMIN)


def change_member_role(*, membership: Membership, role: str, actor: User) -> Membership:
    require(actor, "members.manage", membership.organization_id)
    with acting_as(actor), transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            locked.role == Role.ADMIN
            and role != Role.ADMIN
            and not _active_admins(locked.organization).exclude(pk=locked.pk).exists()
        ):
            raise ValidationError(
                {"role": _("La structure doit garder au moins un·e administrateur·rice.")}
            )
        locked.role = role
        locked.full_clean()
        locked.save()
    forget_memberships(locked.user)
    return locked


def deactivate_member(*, membership: Membership, actor: User) -> Membership:
    require(actor, "members.manage", membership.organization_id)
    with acting_as(actor), transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            locked.role == Role.ADMIN
            and not _active_admins(locked.organization).exclude(pk=locked.pk).exists()
        ):
            raise ValidationError(_("La structure doit garder au moins un·e administrateur·rice."))
        locked.is_active = False
        locked.save()
    return locked


def reactivate_member(*, membership: Membership, actor: User) -> Membership:
    require(actor, "members.manage", membership.organization_id)
    with acting_as(actor), transaction.atomic():
        membership.is_active = True
        membership.save()
    return membership


def create_api_token(*, user: User, name: str, actor: User) -> tuple[ApiToken, str]:
    """Returns the token and its key, which is shown once and never stored."""
    if actor != user:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": _("Donnez un nom au jeton (par exemple l'outil qui l'utilisera).")}
        )
    prefix = secrets.token_hex(4)
    raw = f"anc_{prefix}_{secrets.token_urlsafe(32)}"
    with acting_as(actor), transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, key_hash=hash_token(raw)
        )
    return token, raw


def revoke_api_token(*, token: ApiToken, actor: User) -> ApiToken:
    if actor != token.user:
        raise PermissionDenied
    if token.revoked_at is None:
        with acting_as(actor), transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
