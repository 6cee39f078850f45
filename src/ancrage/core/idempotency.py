"""``Idempotency-Key`` on API writes: a client that is not sure its POST arrived (a timeout, a
lost connection) sends it again with the same key and gets the first answer back, not a second
record. Keys are per user and kept 24 hours; the same key with another body is refused (422), a
key whose first request is still running answers 409. Only successful answers are kept: a
refused request (400, 403…) wrote nothing and may be corrected and sent again with its key."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ancrage.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT = datetime.timedelta(hours=24)
MAX_KEY = 255
ABANDONED = datetime.timedelta(minutes=5)  # a request still unanswered after this died


class Replay(Exception):
    """The answer already given to this key: the view returns it as is."""

    def __init__(self, response: Response) -> None:
        self.response = response


class KeyInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_use"


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


@dataclass
class Pending:
    record: IdempotentRequest


def _fingerprint(request: Request) -> str:
    # Read before DRF parses the body (Django keeps it; DRF then parses the kept copy).
    body = request._request.body
    return hashlib.sha256(
        f"{request.method} {request.get_full_path()}\n".encode() + body
    ).hexdigest()


def begin(request: Request) -> Pending | None:
    """Before the write: ``None`` without a key; raises ``Replay`` with the first answer, or a
    409/422 for a key in use or reused; otherwise reserves the key for this request."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise ValidationError(
            {HEADER: [_("Clé d'idempotence invalide (1 à 255 caractères imprimables).")]}
        )
    fingerprint = _fingerprint(request)
    user = cast(Any, request.user)  # writes are reached signed in only (the access registry)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return Pending(
                    IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
                )
        except IntegrityError:
            earlier = IdempotentRequest.objects.filter(user=user, key=key).first()
            if earlier is None:
                continue  # finished and removed meanwhile: reserve it again
            if earlier.created_at < timezone.now() - KEPT or (
                earlier.status_code is None and earlier.created_at < timezone.now() - ABANDONED
            ):
                earlier.delete()  # expired, or its request died without an answer
                continue
            if earlier.fingerprint != fingerprint:
                raise KeyReused(
                    _(
                        "Cette clé d'idempotence a déjà servi pour une autre requête : "
                        "utilisez une nouvelle clé."
                    )
                ) from None
            if earlier.status_code is None:
                raise KeyInUse(
                    _("Une requête avec cette clé d'idempotence est en cours : réessayez.")
                ) from None
            replay = Response(earlier.body, status=earlier.status_code)
            replay["Idempotent-Replayed"] = "true"
            raise Replay(replay) from None
    raise KeyInUse(_("Une requête avec cette clé d'idempotence est en cours : réessayez."))


def finish(pending: Pending | None, response: Response) -> None:
    """After the write: keep a successful answer for replays; forget the key otherwise."""
    if pending is None:
        return
    record = pending.record
    if 200 <= response.status_code < 300 and response.data is not None:
        record.status_code = response.status_code
        record.body = json.loads(JSONRenderer().render(response.data))
        record.save(update_fields=["status_code", "body"])
    else:
        record.delete()


def expired(now: datetime.datetime | None = None):
    """The keys older than 24 hours, with the answers they keep (the retention run deletes them:
    an answer may hold a person's data)."""
    return IdempotentRequest.objects.filter(created_at__lt=(now or timezone.now()) - KEPT)
