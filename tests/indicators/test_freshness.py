"""The figures' freshness through the API, a refresh on request, and ``ancrage refresh-indicators``."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ancrage.accounts.services import create_api_token
from ancrage.indicators.models import Aggregate, Refresh, StaleMonth
from tests.accounts.factories import MembershipFactory
from tests.support.factories import ContactFactory

URL = "/api/v1/indicators/freshness/"


def _token(user) -> Client:
    _, raw = create_api_token(user=user, name="Suivi", actor=user)
    return Client(HTTP_AUTHORIZATION=f"Token {raw}")


def test_stale_months_are_listed_then_refreshed_on_request(world):
    StaleMonth.objects.create(month=datetime.date(2026, 3, 1))
    api = _token(world.owner)
    state = api.get(URL).json()
    assert state == {"stale_months": ["2026-03"], "up_to_date": False, "last_refresh": None}
    response = api.post(URL)
    assert response.status_code == 202  # run at once in tests (immediate backend)
    state = api.get(URL).json()
    assert state["up_to_date"] and state["stale_months"] == []
    assert state["last_refresh"] is not None
    assert Refresh.objects.filter(month=datetime.date(2026, 3, 1)).exists()


def test_only_a_team_asks_for_a_refresh(world):
    funder = MembershipFactory(role="funder").user
    api = _token(funder)
    assert api.get(URL).status_code == 200
    response = api.post(URL)
    assert response.status_code == 403
    assert "équipes des structures" in response.json()["detail"]
    assert Client().get(URL).status_code in (401, 403)


def test_the_command_recomputes_a_year_or_the_changed_months(world):
    ContactFactory(
        organization=world.org, occurred_at=datetime.datetime(2025, 5, 6, 10, tzinfo=datetime.UTC)
    )
    out = io.StringIO()
    call_command("refresh_indicators", "--year", "2025", stdout=out)
    assert "2025 recalculée : " in out.getvalue()
    assert Aggregate.objects.filter(period__year=2025, indicator="contacts_telephone_mail").exists()
    out = io.StringIO()
    call_command("refresh_indicators", stdout=out)
    assert "Mois modifiés recalculés : 0 valeur(s)" in out.getvalue()


def test_a_year_out_of_range_is_a_clear_error(db):
    with pytest.raises(CommandError, match="une année de 2015"):
        call_command("refresh_indicators", "--year", "1999")
