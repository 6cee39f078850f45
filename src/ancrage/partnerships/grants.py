"""The grants a funder pays within an agreement between partners. Their amounts live in the
funding agreements (one source): ``funding`` registers the provider from its ``AppConfig.ready``
(partnerships does not import funding, which sits above it), and the partner agreement's page, PDF
and API read them through ``grants_for``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Grant:
    funder_id: int
    beneficiary_id: int
    funder: str
    beneficiary: str
    starts_on: object
    ends_on: object
    total_cents: int
    reference: str
    url: str  # the funding agreement's page: for its funder's and beneficiary's members only


Provider = Callable[[list[int]], dict[int, list[Grant]]]

_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def grants_for(agreement_ids: Iterable[int]) -> dict[int, list[Grant]]:
    """Each partner agreement's grants (agreements without any are left out); one query per
    provider."""
    ids = sorted(set(agreement_ids))
    merged: dict[int, list[Grant]] = {}
    if not ids:
        return merged
    for name in sorted(_PROVIDERS):
        for agreement_id, grants in _PROVIDERS[name](ids).items():
            merged.setdefault(agreement_id, []).extend(grants)
    return merged


def funded_parties(agreement_id: int) -> set[int]:
    """The organizations whose amount in the agreement comes from a grant."""
    return {grant.funder_id for grant in grants_for([agreement_id]).get(agreement_id, [])}
