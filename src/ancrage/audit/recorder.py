"""Records writes on the models listed in ``ANCRAGE_AUDITED_MODELS`` and the consultations views report.

Signals catch every ``save()`` and ``delete()``, from services, forms and the admin alike.
``QuerySet.update()`` and ``bulk_*`` bypass them: on an audited model they are allowed only

- through ``bulk_create`` / ``bulk_update`` below, for a write listed in ``BULK_WRITES``, which
  records one summary event on the object the rows belong to (the booking of its periods…);
- or when they change nothing but ``IGNORED_FIELDS`` (a last-use time, a progress counter).

``tests/audit/test_bulk_writes.py`` runs the whole suite's writes through ``unlisted_bulk_write``
and fails on a new bypass.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
import hashlib
import hmac
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent
from ancrage.core.actor import current_actor, current_request
from ancrage.core.signals import object_viewed, objects_listed

MASKED = "••••••"
LIST_OBJECT_ID = "liste"  # the object_id of an event recording a list read (its ids in changes)
# Never copied into the trail: secrets, and timestamps that change on every login.
MASKED_FIELDS = {"password", "key_hash"}
# Values the trail keeps: codes, numbers, dates, links. Text, e-mail and JSON fields may hold a name,
# a phone number or free text about someone: the trail says they changed, never what they held
# (pseudonymisation by removal), so that anonymising a person leaves nothing readable behind. A
# date or a number that says who someone is is listed here and masked too.
PERSONAL_FIELDS = {"birth_date", "birth_year"}
# The platform's own objects, which name no one: the trail keeps their labels and values (and the
# operators' admin shows them).
PLATFORM_OBJECTS = {"accounts.organization", "programs.program", "programs.programparticipant"}
_KEPT_TYPES = (
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
    models.DateField,  # and DateTimeField
    models.TimeField,
    models.DurationField,
    models.UUIDField,
)
IGNORED_FIELDS = {"last_login", "updated_at", "created_at", "last_used_at", "progress"}

# Every update() or bulk_* on an audited model, and why it is not a save() per row.
BULK_WRITES = {
    "housing.booking_periods": "the periods of a booking, created with it (one per run of weeks) "
    "and switched off or on when it is cancelled or restored: the booking's own event says so",
    "housing.inspection_items": "the rows of an inventory of fixtures, written with it",
    "housing.waiting_list_rules": "a residence's waiting-list rules, replaced as a whole",
    "allocation.run_status": "a run's status, written by the task without the row in memory",
    "privacy.anonymisation": "the names and free text of an anonymised person's records, blanked "
    "model by model: one event per model on the person says which fields and how many rows",
    "demo.backdating": "the demo dates some records back in time to show a year of history",
    "people.bulk_load": "people loaded from a file (an import), checked one by one, inserted "
    "together: one event on the organization says how many",
    "support.bulk_load": "contacts loaded from a file (an import), checked one by one, inserted "
    "together: one event on the organization says how many",
    "outreach.landlord_file": "a landlord's extract written set-based (a million lines in one "
    "statement): one event on the outreach list says how many targets were written",
    "outreach.scoring": "scores and segments recomputed set-based after a rule, a segment or a "
    "file changed: one event on the outreach list says how many targets moved",
    "outreach.assignment": "targets given to local actors set-based after an assignment "
    "changed: one event on the outreach list says how many",
    "outreach.letters": "a campaign's letters recorded as posted: one attempt per recipient, "
    "one event on the campaign says how many",
    "outreach.retention": "targets never followed, idle past the program's retention period: "
    "those who asked not to be contacted keep only their reference (one event on the list)",
}
_bulk_write: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "audit_bulk_write", default=None
)


def audited_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in settings.ANCRAGE_AUDITED_MODELS]


def connect() -> None:
    for model in audited_models():
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_remember_old_values, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=uid + "-delete")
    object_viewed.connect(_record_view, dispatch_uid="audit-view")
    objects_listed.connect(_record_list, dispatch_uid="audit-list")


def _serialize(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def keeps_value(field: models.Field) -> bool:
    """Whether the trail may copy this field's value (a code, a number, a date, a link)."""
    if field.name in PERSONAL_FIELDS or field.name in MASKED_FIELDS:
        return False
    return bool(field.choices) or field.is_relation or isinstance(field, _KEPT_TYPES)


def _snapshot(instance) -> dict:
    values = {}
    platform = instance._meta.label_lower in PLATFORM_OBJECTS
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        value = _serialize(getattr(instance, field.attname))
        keep = keeps_value(field) or (platform and field.name not in MASKED_FIELDS)
        if not keep and value not in (None, "", [], {}):
            # Compared before and after a save: a keyed hash tells a change from no change
            # without keeping the value; it never reaches the trail (_diff masks it).
            value = _fingerprint(value)
        values[field.attname] = value
    return values


def _fingerprint(value) -> str:
    message = repr(value).encode()
    secret = settings.SECRET_KEY.encode()
    return "#" + hmac.new(secret, message, hashlib.sha256).hexdigest()


def _remember_old_values(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_old = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_old = _snapshot(old) if old is not None else None


def _mask(field: str, value):
    if isinstance(value, str) and value.startswith("#") and len(value) == 65:
        return MASKED
    return MASKED if field in MASKED_FIELDS and value not in (None, "") else value


def _diff(old: dict | None, new: dict) -> dict:
    if old is None:
        return {k: [None, _mask(k, v)] for k, v in new.items() if v not in (None, "")}
    return {k: [_mask(k, old.get(k)), _mask(k, v)] for k, v in new.items() if old.get(k) != v}


def _organization_id(instance) -> int | None:
    for attname in ("organization_id",):
        if hasattr(instance, attname):
            return getattr(instance, attname)
    if instance._meta.label_lower == "accounts.organization":
        return instance.pk
    if getattr(instance, "outreach_list_id", None) is not None:
        # An outreach list's rows (targets, rules, segments…) are its operator's.
        return instance.outreach_list.organization_id
    request = current_request()
    membership = getattr(request, "membership", None) if request is not None else None
    return membership.organization_id if membership is not None else None


def _actor_fields(actor) -> dict:
    """Who acted, as stored: the user (kept if their account is deleted later, by label) or the
    system (a command, a task)."""
    signed_in = actor is not None and actor.is_authenticated
    return {
        "actor": actor if signed_in else None,
        "actor_label": actor.email if signed_in else "système",
    }


def _write(
    *, action: str, instance, changes: dict, actor=None, organization_id=None, actor_label=None
) -> None:
    who = _actor_fields(actor if actor is not None else current_actor())
    if actor_label and who["actor"] is None:
        who["actor_label"] = actor_label[:254]
    AuditEvent.objects.create(
        **who,
        organization_id=organization_id
        if organization_id is not None
        else _organization_id(instance),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=label_of(instance),
        changes=changes,
    )


def label_of(instance) -> str:
    """How the trail names a record: its kind and number, never its label (a person's name)."""
    if instance._meta.label_lower in PLATFORM_OBJECTS:
        return str(instance)[:300]
    return f"{instance._meta.verbose_name} n° {instance.pk}"[:300]


def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    new = _snapshot(instance)
    changes = _diff(None if created else getattr(instance, "_audit_old", None), new)
    if not created and not changes:
        return
    _write(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=instance,
        changes=changes,
    )


def _record_delete(sender, instance, **kwargs):
    _write(action=AuditAction.DELETE, instance=instance, changes={})


def _record_view(sender, instance, actor, organization=None, actor_label=None, **kwargs):
    """``actor_label`` names who read without an account (« signataire : École (CFA) »)."""
    _write(
        action=AuditAction.VIEW,
        instance=instance,
        changes={},
        actor=actor,
        organization_id=organization.pk if organization is not None else None,
        actor_label=actor_label,
    )


def _record_list(sender, model, rows, actor, how="liste", **kwargs) -> None:
    """One event per organization whose records a list showed, with their ids (never their
    contents): who read which files, including through a list or an API page."""
    by_organization: dict[int | None, list[str]] = {}
    for pk, organization_id in rows:
        by_organization.setdefault(organization_id, []).append(str(pk))
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    for organization_id, ids in by_organization.items():
        AuditEvent.objects.create(
            **_actor_fields(actor),
            organization_id=organization_id,
            action=AuditAction.VIEW,
            content_type=content_type,
            object_id=LIST_OBJECT_ID,
            object_repr=f"{how} de {len(ids)}",
            changes={"ids": ids},
        )


# --- Bulk writes: listed, summarised ----------------------------------------------------------


@contextlib.contextmanager
def _listed(name: str):
    if name not in BULK_WRITES:
        raise KeyError(f"Unlisted bulk write {name!r}: add it to audit.recorder.BULK_WRITES.")
    token = _bulk_write.set(name)
    try:
        yield
    finally:
        _bulk_write.reset(token)


def listed(name: str):
    """Around set-based writes (``update()`` with expressions, SQL) listed as ``name`` in
    ``BULK_WRITES``; ``record_bulk`` then says how many rows they wrote."""
    return _listed(name)


def record_bulk(name: str, model: type[models.Model], count: int, *, on: models.Model) -> None:
    """One summary event on ``on`` for ``count`` rows of ``model`` written by ``name``."""
    if name not in BULK_WRITES:
        raise KeyError(f"Unlisted bulk write {name!r}: add it to audit.recorder.BULK_WRITES.")
    if count:
        _summary(name, model, count, on)


def _summary(
    name: str, model: type[models.Model], count: int, on: models.Model, /, **values
) -> None:
    label = f"{model._meta.label_lower} ({name})"
    changes: dict[str, list[Any]] = {label: [None, count]}
    for name_, value in values.items():
        field = model._meta.get_field(name_)
        kept = value in (None, "", [], {}) or (
            isinstance(field, models.Field) and keeps_value(field)
        )
        changes[f"{label}.{name_}"] = [None, _serialize(value) if kept else MASKED]
    _write(action=AuditAction.UPDATE, instance=on, changes=changes)


M = TypeVar("M", bound=models.Model)


def bulk_create(name: str, model: type[M], rows: Iterable[M], *, on: models.Model) -> list[M]:
    """``model.objects.bulk_create(rows)`` for the listed write ``name``, summarised on ``on``."""
    with _listed(name):
        created = model._default_manager.bulk_create(list(rows))
    _summary(name, model, len(created), on)
    return created


def bulk_update(name: str, queryset: models.QuerySet, /, *, on, **values) -> int:
    """``queryset.update(**values)`` for the listed write ``name``, summarised on ``on``."""
    with _listed(name):
        count = queryset.update(**values)
    if count:
        _summary(name, queryset.model, count, on, **values)
    return count


def bulk_update_declared(
    name: str, declared: dict[str, tuple[str, dict[str, Any]]], *, on: models.Model
) -> None:
    """``bulk_update`` on each model of ``declared`` ({"app.Model": (path to ``on``, values)}):
    the rows of every model that point at ``on`` get the values (anonymisation)."""
    for label, (path, values) in declared.items():
        queryset = apps.get_model(label)._default_manager.filter(**{path: on})
        bulk_update(name, queryset, on=on, **values)


def unlisted_bulk_write(model: type[models.Model], fields: Iterable[str] | None) -> bool:
    """Whether an update() (``fields``) or a bulk_* (``None``: every field) on ``model`` would
    escape the trail: the model is audited, the write is not listed and touches audited fields."""
    if _bulk_write.get() is not None or model._meta.label not in settings.ANCRAGE_AUDITED_MODELS:
        return False
    if model.__module__ == "__fake__":  # a migration's historical model: schema work, no actor
        return False
    return fields is None or not set(fields) <= IGNORED_FIELDS
