"""Writes on packs: their entitlements, the residents opened to a provider, the deliveries.

The manager's coordination defines packs (``catalogue.packs``); its team opens residents to a
provider with their consent and records deliveries (``catalogue.residents``); a provider's
members record the deliveries of their own services for the residents opened to them
(``catalogue.deliver``) and nothing else."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.catalogue import packs
from ancrage.catalogue.models import Delivery, Entitlement, Opening, Pack, Payer
from ancrage.catalogue.queries import providers_of
from ancrage.core.actor import acting_as

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.catalogue.models import Service
    from ancrage.housing.models import Residence
    from ancrage.people.models import Person

PACK_FIELDS = frozenset({"name", "program", "starts_on", "ends_on", "external_ref"})
ENTITLEMENT_FIELDS = frozenset({"category", "label", "quantity", "period", "service"})
FAR_DATE = datetime.date(2100, 1, 1)


def _check_pack(pack: Pack, residences: list[Residence] | None) -> None:
    pack.name = pack.name.strip()
    errors: dict[str, str] = {}
    if residences is not None:
        if not residences:
            errors["residences"] = _("Choisissez au moins une résidence.")
        elif any(r.organization_id != pack.organization_id for r in residences):
            errors["residences"] = _("Un pack couvre seulement des résidences de la structure.")
    program = pack.program
    if program is not None and not program.organizations.filter(pk=pack.organization_id).exists():
        errors["program"] = _("La structure ne participe pas à ce dispositif.")
    for name in ("starts_on", "ends_on"):
        day = getattr(pack, name)
        if day is not None and not (datetime.date(2000, 1, 1) <= day < FAR_DATE):
            errors[name] = _("Indiquez une date entre 2000 et 2099.")
    if not errors and pack.starts_on and pack.ends_on and pack.ends_on <= pack.starts_on:
        errors["ends_on"] = _("La fin du pack doit suivre son début.")
    if errors:
        raise ValidationError(errors)
    pack.full_clean(exclude=["organization", "program"])


def create_pack(
    *,
    organization: Organization,
    residences: list[Residence],
    actor: User,
    **fields: Any,
) -> Pack:
    require(actor, "catalogue.packs", organization)
    _known(fields, PACK_FIELDS)
    pack = Pack(organization=organization, **fields)
    _check_pack(pack, residences)
    with acting_as(actor), transaction.atomic():
        pack.save()
        pack.residences.set(residences)
    return pack


def update_pack(
    *, pack: Pack, actor: User, residences: list[Residence] | None = None, **fields: Any
) -> Pack:
    require(actor, "catalogue.packs", pack)
    _known(fields, PACK_FIELDS)
    for name, value in fields.items():
        setattr(pack, name, value)
    _check_pack(pack, residences)
    with acting_as(actor), transaction.atomic():
        pack.save()
        if residences is not None:
            pack.residences.set(residences)
    return pack


def delete_pack(*, pack: Pack, actor: User) -> None:
    require(actor, "catalogue.packs", pack)
    if Delivery.objects.filter(entitlement__pack=pack).exists():
        raise ValidationError(
            _("Ce pack a des prestations enregistrées : fixez-lui une date de fin plutôt.")
        )
    with acting_as(actor), transaction.atomic():
        pack.delete()


def _known(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_entitlement(entitlement: Entitlement) -> None:
    entitlement.label = entitlement.label.strip()
    service = entitlement.service
    if service is not None and not service.is_active and entitlement._state.adding:
        raise ValidationError({"service": _("Ce service n'est plus proposé.")})
    entitlement.full_clean(exclude=["organization", "pack", "service"])


def add_entitlement(
    *, pack: Pack, actor: User, service: Service | None = None, **fields: Any
) -> Entitlement:
    require(actor, "catalogue.packs", pack)
    _known(fields, ENTITLEMENT_FIELDS - {"service"})
    entitlement = Entitlement(
        organization_id=pack.organization_id, pack=pack, service=service, **fields
    )
    _check_entitlement(entitlement)
    with acting_as(actor), transaction.atomic():
        entitlement.save()
    return entitlement


def update_entitlement(*, entitlement: Entitlement, actor: User, **fields: Any) -> Entitlement:
    require(actor, "catalogue.packs", entitlement)
    _known(fields, ENTITLEMENT_FIELDS)
    for name, value in fields.items():
        setattr(entitlement, name, value)
    _check_entitlement(entitlement)
    with acting_as(actor), transaction.atomic():
        entitlement.save()
    return entitlement


def delete_entitlement(*, entitlement: Entitlement, actor: User) -> None:
    require(actor, "catalogue.packs", entitlement)
    try:
        with acting_as(actor), transaction.atomic():
            entitlement.delete()
    except ProtectedError:
        raise ValidationError(
            _("Ce droit a des prestations enregistrées : il ne peut plus être supprimé.")
        ) from None


def open_to_provider(
    *,
    pack: Pack,
    person: Person,
    provider: Organization,
    consent_on: datetime.date | None,
    actor: User,
) -> Opening:
    """Open a resident to a provider of the pack, with the resident's consent: the provider's
    members then see their first name, initial and entitlements, and record deliveries."""
    require(actor, "catalogue.residents", pack)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if consent_on is None:
        errors["consent_on"] = _("L'accord de la personne est obligatoire.")
    elif consent_on > today:
        errors["consent_on"] = _("L'accord ne peut pas être daté de demain.")
    elif consent_on < today - datetime.timedelta(days=366):
        errors["consent_on"] = _("Un accord de plus d'un an doit être redemandé.")
    if not providers_of(pack).filter(pk=provider.pk).exists():
        errors["provider"] = _("Cette structure n'assure aucun droit du pack.")
    if person.pk not in packs.housed(pack, today, FAR_DATE, person_ids=[person.pk]):
        errors["person"] = _(
            "%(person)s n'est ni hébergé·e ni attendu·e dans une résidence du pack."
        ) % {"person": person}
    if errors:
        raise ValidationError(errors)
    consent_on = cast(datetime.date, consent_on)
    opening = Opening(
        organization_id=pack.organization_id,
        pack=pack,
        person=person,
        provider=provider,
        consent_on=consent_on,
        opened_by=actor,
    )
    try:
        with acting_as(actor), transaction.atomic():
            opening.save()
    except IntegrityError:
        raise ValidationError(
            {"provider": _("Cette personne est déjà ouverte à ce prestataire.")}
        ) from None
    return opening


def close_opening(*, opening: Opening, actor: User) -> Opening:
    """The provider no longer sees the resident (their deliveries stay in the pack)."""
    require(actor, "catalogue.residents", opening)
    if opening.closed_at is None:
        opening.closed_at = timezone.now()
        with acting_as(actor), transaction.atomic():
            opening.save(update_fields=["closed_at", "updated_at"])
    return opening


def open_opening_for(actor: User, entitlement: Entitlement, person: Person) -> Opening | None:
    """The opening through which ``actor`` (a member of the entitlement's provider) may record
    for ``person``, if any."""
    service = entitlement.service
    if service is None or not can(actor, "catalogue.deliver", service.organization_id):
        return None
    return Opening.objects.filter(
        pack_id=entitlement.pack_id,
        person=person,
        provider_id=service.organization_id,
        closed_at__isnull=True,
    ).first()


def record_delivery(
    *,
    entitlement: Entitlement,
    person: Person,
    delivered_on: datetime.date | None,
    quantity: int | None,
    unit_cost_cents: int | None,
    payer: str,
    reason_beyond: str = "",
    actor: User,
) -> Delivery:
    """One use of an entitlement by a resident, by the residence's team or by a member of the
    entitlement's provider for a resident opened to it. A delivery that goes beyond what is left
    needs its reason."""
    pack = entitlement.pack
    if (
        not can(actor, "catalogue.residents", pack)
        and open_opening_for(actor, entitlement, person) is None
    ):
        raise PermissionDenied(_("Cette personne ne vous est pas ouverte pour ce droit."))
    today = timezone.localdate()
    reason_beyond = (reason_beyond or "").strip()
    errors: dict[str, str] = {}
    if delivered_on is None:
        errors["delivered_on"] = _("Indiquez la date de la prestation.")
    elif delivered_on > today:
        errors["delivered_on"] = _("Une prestation ne peut pas être datée dans le futur.")
    elif delivered_on < pack.starts_on or (pack.ends_on and delivered_on >= pack.ends_on):
        errors["delivered_on"] = _("Cette date est hors de la période du pack.")
    if quantity is None or not 1 <= quantity <= 1000:
        errors["quantity"] = _("La quantité va de 1 à 1 000.")
    if unit_cost_cents is None or not 0 <= unit_cost_cents <= 100_000_00:
        errors["unit_cost_cents"] = _("Le coût unitaire va de 0 à 100 000 €.")
    if payer not in Payer.values:
        errors["payer"] = _("Choisissez qui paie.")
    if len(reason_beyond) > 300:
        errors["reason_beyond"] = _("300 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    delivered_on, quantity = cast(datetime.date, delivered_on), cast(int, quantity)
    unit_cost_cents = cast(int, unit_cost_cents)
    with transaction.atomic():
        # One delivery at a time per entitlement: the balance read below stays true until saved.
        Entitlement.objects.select_for_update().filter(pk=entitlement.pk).first()
        (balance,) = packs.balances(pack, person.pk, delivered_on, entitlements=[entitlement])
        month_start, month_end = packs.month_of(delivered_on)
        if person.pk not in packs.housed(pack, month_start, month_end, person_ids=[person.pk]):
            raise ValidationError(
                {
                    "person": _(
                        "%(person)s n'est pas hébergé·e dans une résidence du pack en %(month)s."
                    )
                    % {"person": person, "month": packs.month_label(delivered_on)}
                }
            )
        if balance.used + quantity > balance.allowed and not reason_beyond:
            raise ValidationError(
                {
                    "reason_beyond": _(
                        "Il reste %(left)s sur « %(label)s » (%(window)s) : indiquez le motif "
                        "du dépassement."
                    )
                    % {
                        "left": balance.left,
                        "label": entitlement.label,
                        "window": balance.window.label,
                    }
                }
            )
        service = entitlement.service
        delivery = Delivery(
            organization_id=pack.organization_id,
            entitlement=entitlement,
            person=person,
            provider_id=(
                service.organization_id
                if service is not None and service.organization_id != pack.organization_id
                else None
            ),
            delivered_on=delivered_on,
            quantity=quantity,
            unit_cost_cents=unit_cost_cents,
            payer=payer,
            reason_beyond=reason_beyond,
            recorded_by=actor,
        )
        delivery.full_clean(exclude=["organization", "entitlement", "person", "provider"])
        with acting_as(actor):
            delivery.save()
    return delivery


def delete_delivery(*, delivery: Delivery, actor: User) -> None:
    """Undo a delivery recorded by mistake: the residence's team, or the provider's members
    for their own."""
    if not can(actor, "catalogue.residents", delivery) and not (
        delivery.provider_id is not None and can(actor, "catalogue.deliver", delivery.provider_id)
    ):
        raise PermissionDenied(_("Seule l'équipe de la résidence ou le prestataire l'annule."))
    with acting_as(actor), transaction.atomic():
        delivery.delete()
