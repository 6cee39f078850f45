"""Home page panels about accounts: the administrator's team, read-only access, the account's
security, the platform operator's desk, and the account that belongs to no organization yet."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ancrage.accounts.enums import Module
from ancrage.accounts.permissions import can
from ancrage.accounts.queries import has_mfa, mfa_required


def _membership(request: HttpRequest):
    return getattr(request, "membership", None)


def team(request: HttpRequest) -> dict[str, Any] | None:
    membership = _membership(request)
    if membership is None or not can(request.user, "members.manage", membership.organization):
        return None
    organization = membership.organization
    labels = dict(Module.choices)
    return {
        "organization": organization,
        "modules": [str(labels[m]).split(" :")[0] for m in sorted(organization.modules_used)],
    }


def read_only(request: HttpRequest) -> dict[str, Any] | None:
    membership = _membership(request)
    if membership is None:
        return None
    organization = membership.organization
    if not can(request.user, "team.read", organization) or can(
        request.user, "support.record", organization
    ):
        return None
    return {"organization": organization, "modules": organization.modules_used}


def security(request: HttpRequest) -> dict[str, Any] | None:
    if _membership(request) is None and not request.user.is_staff:
        return None
    return {"has_mfa": has_mfa(request.user), "required": mfa_required(request.user)}


def operator(request: HttpRequest) -> dict[str, Any] | None:
    if not request.user.is_staff:
        return None
    return {}


def no_organization(request: HttpRequest) -> dict[str, Any] | None:
    if _membership(request) is not None or request.user.is_staff:
        return None
    return {"email": getattr(request.user, "email", "")}
