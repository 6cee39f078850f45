"""Writes on the services catalogue (and, in ``packs``, on the packs of residences). Keyword-only, the acting user last, one transaction, audited.

Every service written — from the page, the API or a data·inclusion file — is checked against the
published schema (``catalogue.schema``) before it is saved: one rule for all three."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.accounts.permissions import require
from ancrage.catalogue import schema
from ancrage.catalogue.models import SOURCE, Service, ServiceTag, TagKind
from ancrage.catalogue.services.packs import (
    add_entitlement as add_entitlement,
)
from ancrage.catalogue.services.packs import (
    close_opening as close_opening,
)
from ancrage.catalogue.services.packs import (
    create_pack as create_pack,
)
from ancrage.catalogue.services.packs import (
    delete_delivery as delete_delivery,
)
from ancrage.catalogue.services.packs import (
    delete_entitlement as delete_entitlement,
)
from ancrage.catalogue.services.packs import (
    delete_pack as delete_pack,
)
from ancrage.catalogue.services.packs import (
    open_to_provider as open_to_provider,
)
from ancrage.catalogue.services.packs import (
    record_delivery as record_delivery,
)
from ancrage.catalogue.services.packs import (
    update_entitlement as update_entitlement,
)
from ancrage.catalogue.services.packs import (
    update_pack as update_pack,
)
from ancrage.catalogue.vocabulary import FRANCE
from ancrage.core.actor import acting_as
from ancrage.core.text import fold

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person
    from ancrage.support.models import Referral, Step

# The fields a person or an integrator writes (the rest is kept by the catalogue itself).
EDITABLE = frozenset(
    ours for _theirs, ours in schema.FIELDS if ours not in ("source", "source_id", "structure_ref")
) - {"updated_on"}


class ImportMode:
    DRY_RUN = "dry_run"  # check only
    ALL = "all"  # everything, or nothing when one record is wrong
    VALID = "valid"  # the valid records, the others reported

    CHOICES = (
        (DRY_RUN, gettext_lazy("Simulation : vérifier sans rien enregistrer")),
        (ALL, gettext_lazy("Tout ou rien : enregistrer seulement si tout est valide")),
        (VALID, gettext_lazy("Enregistrer les services valides, signaler les autres")),
    )


@dataclass
class ImportResult:
    mode: str
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    faults: list[schema.Fault] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.created + self.updated > 0

    @property
    def invalid_records(self) -> int:
        return len({fault.record for fault in self.faults})


def create_service(*, organization: Organization, actor: User, **fields: Any) -> Service:
    require(actor, "catalogue.manage", organization)
    service = Service(organization=organization, source=SOURCE)
    return _save(service, fields, actor, today=timezone.localdate())


def update_service(*, service: Service, actor: User, **fields: Any) -> Service:
    require(actor, "catalogue.manage", service)
    return _save(service, fields, actor, today=timezone.localdate())


def set_service_active(*, service: Service, is_active: bool, actor: User) -> Service:
    """Close a service (it leaves the search, its history stays) or offer it again."""
    require(actor, "catalogue.manage", service)
    service.is_active = is_active
    with acting_as(actor), transaction.atomic():
        service.save(update_fields=["is_active", "updated_at"])
    return service


def delete_service(*, service: Service, actor: User) -> None:
    require(actor, "catalogue.manage", service)
    with acting_as(actor), transaction.atomic():
        service.delete()


def _save(
    service: Service, fields: dict[str, Any], actor: User, *, today: datetime.date
) -> Service:
    unknown = set(fields) - EDITABLE - {"external_ref", "is_active"}
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    if service.organization_id is None:
        raise ValidationError({"organization": _("Indiquez la structure qui propose le service.")})
    record = schema.to_record(service)
    record["date_maj"] = today.isoformat()
    if service.pk is None:
        record["id"] = f"{SOURCE}--nouveau"
    (checked,) = schema.check([(1, record)], today=today)
    if not checked.valid:
        raise ValidationError(
            {
                schema.OUR_NAME.get(fault.field, "__all__") or "__all__": fault.message
                for fault in checked.faults
            }
        )
    for ours, value in checked.values.items():
        if ours not in ("source", "source_id", "structure_ref"):
            setattr(service, ours, value)
    service.updated_on = today
    _prepare(service)
    with acting_as(actor), transaction.atomic():
        service.save()
        _write_tags(service)
    return service


def _prepare(service: Service) -> None:
    service.search_text = fold(f"{service.name} {service.description}")[:20_000]
    service.full_clean(exclude=["organization"])


def _write_tags(service: Service) -> None:
    tags = {(TagKind.THEME, code) for code in service.themes}
    tags |= {(TagKind.PUBLIC, code) for code in service.publics}
    for code in service.eligibility_zone:
        tags.add((TagKind.ZONE, "france" if code in FRANCE else code))
    ServiceTag.objects.filter(service=service).delete()
    ServiceTag.objects.bulk_create(
        ServiceTag(service=service, kind=kind, code=code) for kind, code in sorted(tags)
    )


def import_services(
    *,
    organization: Organization,
    records: list[tuple[int, Any]],
    mode: str,
    actor: User,
) -> ImportResult:
    """Records of the data·inclusion schema (``schema.read_file``): checked, then written as
    ``mode`` says. A record already imported (same source and id, or an export of this
    catalogue) updates its service instead of adding one; nothing is written when ``mode`` is a
    dry run, nor in « all or nothing » when a record is wrong."""
    require(actor, "catalogue.manage", organization)
    if mode not in (ImportMode.DRY_RUN, ImportMode.ALL, ImportMode.VALID):
        raise ValidationError({"mode": _("Mode d'import inconnu.")})
    today = timezone.localdate()
    checked = schema.check(records, today=today)
    result = ImportResult(mode=mode, records=len(checked))
    result.faults = [fault for one in checked for fault in one.faults]
    _refuse_repeats(checked, result)
    if mode == ImportMode.DRY_RUN or (mode == ImportMode.ALL and result.faults):
        return result
    faulty = {fault.record for fault in result.faults}
    existing = _existing(organization, [one for one in checked if one.number not in faulty])
    with acting_as(actor), transaction.atomic():
        for one in checked:
            if one.number in faulty:
                continue
            values = dict(one.values)
            key = (values["source"], values["source_id"])
            service = existing.get(key)
            if service is None:
                service = Service(organization=organization)
            elif service.source == SOURCE and not service.source_id:
                # This catalogue's own export coming back: the service itself, whose identifiers
                # are its number and its organization's.
                values["source_id"] = ""
                if values["structure_ref"] == schema.structure_id(service):
                    values["structure_ref"] = service.structure_ref
            if service.pk is not None and all(
                getattr(service, name) == value for name, value in values.items()
            ):
                result.unchanged += 1
                continue
            is_new = service.pk is None
            for name, value in values.items():
                setattr(service, name, value)
            try:
                _prepare(service)
            except ValidationError as exc:
                result.faults += _faults_of(one.number, exc)
                if mode == ImportMode.ALL:
                    transaction.set_rollback(True)
                    result.created = result.updated = 0
                    return result
                continue
            service.save()
            _write_tags(service)
            if is_new:
                result.created += 1
            else:
                result.updated += 1
    return result


def _refuse_repeats(checked: list[schema.Checked], result: ImportResult) -> None:
    seen: dict[tuple[str, str], int] = {}
    for one in checked:
        if not one.valid:
            continue
        key = (one.values["source"], one.values["source_id"])
        if key in seen:
            result.faults.append(
                schema.Fault(
                    one.number,
                    "id",
                    _("Ce service figure déjà plus haut dans le fichier (n° %(first)s).")
                    % {"first": seen[key]},
                )
            )
        else:
            seen[key] = one.number


def _existing(
    organization: Organization, checked: list[schema.Checked]
) -> dict[tuple[str, str], Service]:
    """The organization's services the records name: by source and id, or, for this catalogue's
    own export (« ancrage--<number> »), the service of that number."""
    services = Service.objects.filter(organization=organization)
    keys = {(one.values["source"], one.values["source_id"]) for one in checked}
    found = {
        (service.source, service.source_id): service
        for service in services.filter(source_id__in={key[1] for key in keys})
        if (service.source, service.source_id) in keys
    }
    own = {}
    prefix = f"{SOURCE}--"
    for source, source_id in keys:
        if source == SOURCE and source_id.startswith(prefix) and source_id[len(prefix) :].isdigit():
            own[int(source_id[len(prefix) :])] = (source, source_id)
    for service in services.filter(pk__in=own, source_id=""):
        found.setdefault(own[service.pk], service)
    return found


def _faults_of(number: int, exc: ValidationError) -> list[schema.Fault]:
    faults = []
    for name, messages in exc.message_dict.items():
        label = schema.SCHEMA_NAME.get(name, "")
        faults += [schema.Fault(number, label, message) for message in messages]
    return faults


@dataclass(frozen=True)
class Oriented:
    """What an orientation made: a referral sent to the service's organization, or a step."""

    referral: Referral | None = None
    step: Step | None = None


def orient_to_service(
    *,
    person: Person,
    service: Service,
    consent_on: datetime.date | None,
    actor: User,
    shared_fields: tuple[str, ...] | list[str] = ("last_name", "first_name", "phone"),
) -> Oriented:
    """Orient a person to a service of the catalogue, with their consent: a referral when the
    service's organization follows people on Ancrage (it receives the fields chosen), otherwise
    an orientation step in the person's open enrollment (nothing leaves the organization)."""
    from ancrage.accounts.enums import Module
    from ancrage.support import services as support
    from ancrage.support.enums import StepKind
    from ancrage.support.queries import open_enrollment_of

    require(actor, "support.record", person.organization_id)
    today = timezone.localdate()
    if consent_on is None:
        raise ValidationError({"consent_on": _("Le consentement de la personne est obligatoire.")})
    if consent_on > today:
        raise ValidationError({"consent_on": _("L'accord ne peut pas être daté de demain.")})
    if not service.is_active:
        raise ValidationError({"service": _("Ce service n'est plus proposé.")})
    receiver = service.organization
    purpose = _("Orientation vers le service « %(service)s ».") % {"service": service.name}
    if (
        receiver.pk != person.organization_id
        and receiver.is_active
        and Module.SUPPORT in receiver.modules_used
    ):
        referral = support.send_referral(
            person=person,
            receiver=receiver,
            purpose=purpose,
            shared_fields=shared_fields,
            consent_on=consent_on,
            actor=actor,
        )
        return Oriented(referral=referral)
    enrollment = open_enrollment_of(person)
    if enrollment is None:
        raise ValidationError(
            {
                "person": _(
                    "%(person)s n'a pas d'accompagnement en cours : ouvrez-en un pour y noter "
                    "l'orientation."
                )
                % {"person": person}
            }
        )
    note = _("%(purpose)s %(provider)s ; accord de la personne le %(date)s.") % {
        "purpose": purpose,
        "provider": receiver.name,
        "date": f"{consent_on:%d/%m/%Y}",
    }
    if len(note) > 300:
        note = note[:299] + "…"
    step = support.add_step(
        enrollment=enrollment,
        kind=StepKind.PARTNER_REFERRAL,
        reference=f"service {service.pk}",
        note=note,
        actor=actor,
    )
    return Oriented(step=step)
