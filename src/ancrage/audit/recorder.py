"""Records writes on the models listed in ``ANCRAGE_AUDITED_MODELS`` and the consultations views report.

Signals catch every ``save()`` and ``delete()``, from services, forms and the admin alike.
``QuerySet.update()`` and ``bulk_*`` bypass them: services must not use those on audited models.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent
from ancrage.core.actor import current_actor, current_request
from ancrage.core.signals import object_viewed

MASKED = "••••••"
# Never copied into the trail: secrets, and timestamps that change on every login.
MASKED_FIELDS = {"password", "key_hash"}
IGNORED_FIELDS = {"last_login", "updated_at", "created_at"}


def audited_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in settings.ANCRAGE_AUDITED_MODELS]


def connect() -> None:
    for model in audited_models():
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_remember_old_values, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=uid + "-delete")
    object_viewed.connect(_record_view, dispatch_uid="audit-view")


def _serialize(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _snapshot(instance) -> dict:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        values[field.attname] = _serialize(getattr(instance, field.attname))
    return values


def _remember_old_values(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_old = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_old = _snapshot(old) if old is not None else None


def _mask(field: str, value):
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
    request = current_request()
    membership = getattr(request, "membership", None) if request is not None else None
    return membership.organization_id if membership is not None else None


def _write(*, action: str, instance, changes: dict, actor=None, organization_id=None) -> None:
    actor = actor if actor is not None else current_actor()
    AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.email if actor is not None and actor.is_authenticated else "système"),
        organization_id=organization_id
        if organization_id is not None
        else _organization_id(instance),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )


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


def _record_view(sender, instance, actor, organization=None, **kwargs):
    _write(
        action=AuditAction.VIEW,
        instance=instance,
        changes={},
        actor=actor,
        organization_id=organization.pk if organization is not None else None,
    )
