"""Stateful run of the API: Hypothesis draws sequences of calls — people created and read back,
requests opened for them and moved through their steps on drawn dates, beds booked for them,
bookings cancelled and restored — each call chained on the identifiers earlier answers returned.
Every answer must be one the schema documents (schemathesis validates it) and none a 5xx; what
the API says must match what the model expects (a transition refused from the wrong step, a bed
never booked twice). Derandomized and bounded for CI."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    multiple,
    rule,
    run_state_machine_as_test,
)
from werkzeug.test import Client

from ancrage.accounts.services import create_api_token
from ancrage.housing.models import Booking
from ancrage.people.models import Person
from ancrage.support.models import Enrollment
from ancrage.wsgi import application
from tests.housing.factories import BedFactory

NAMES = ["Martin", "Dubois", "Lefèvre", "N'Diaye", "Moreau-Petit", "Ségal"]
FIRST = ["Élodie", "Yanis", "Inès", "Lucas", "Zoé"]
TRANSITIONS = {
    # action → (steps it may leave, the step it reaches)
    "start-assessment": ({"requested"}, "assessment"),
    "start-support": ({"requested", "assessment"}, "support"),
    "refuse": ({"requested", "assessment"}, "refused"),
    "abandon": ({"assessment", "support"}, "dropped"),
    "close": ({"assessment", "support"}, "exited"),
}


class Api:
    """The owner's token, calls through the WSGI application, answers checked against the schema."""

    def __init__(self, token: str) -> None:
        self.client = Client(application)
        self.headers = {"Authorization": f"Token {token}", "Host": "localhost"}
        self.schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
        self.seen: list[tuple[str, str, int]] = []

    def call(self, method: str, path: str, template: str, body=None):
        response = self.client.open(path, method=method, json=body, headers=self.headers)
        self.seen.append((method, template, response.status_code))
        assert response.status_code < 500, (method, path, response.get_data())
        self.schema[template][method].validate_response(response)
        return response


@pytest.fixture
def api(world, wsgi_keeps_connection):
    _, token = create_api_token(user=world.owner, name="stateful", actor=world.owner)
    return Api(token)


def test_people_requests_and_bookings_through_drawn_sequences(world, api):
    bed = BedFactory(unit__residence__organization=world.org).pk

    class Scenario(RuleBasedStateMachine):
        persons = Bundle("persons")
        enrollments = Bundle("enrollments")
        bookings = Bundle("bookings")

        @initialize()
        def start(self):
            self.status: dict[int, str] = {}
            self.requested: dict[int, datetime.date] = {}
            self.open_for: set[int] = set()  # people with an open request
            self.booked_months: list[tuple[int, datetime.date, datetime.date]] = []

        @rule(
            target=persons,
            last=st.sampled_from(NAMES),
            first=st.sampled_from(FIRST),
            born=st.dates(datetime.date(1990, 1, 1), datetime.date(2008, 12, 31)),
        )
        def create_person(self, last, first, born):
            body = {"last_name": last, "first_name": first, "birth_date": born.isoformat()}
            response = api.call("POST", "/api/v1/persons/", "/api/v1/persons/", body)
            assert response.status_code in (201, 409), response.get_data()
            if response.status_code == 409:  # a look-alike: the candidates are named
                assert response.json["candidates"]
                return multiple()
            return response.json["id"]

        @rule(person=persons)
        def read_person(self, person):
            response = api.call("GET", f"/api/v1/persons/{person}/", "/api/v1/persons/{id}/")
            assert response.status_code == 200 and response.json["id"] == person

        @rule(
            target=enrollments,
            person=persons,
            day=st.dates(datetime.date(2024, 1, 1), datetime.date(2025, 6, 30)),
        )
        def request_support(self, person, day):
            body = {"person": person, "requested_on": day.isoformat()}
            response = api.call("POST", "/api/v1/enrollments/", "/api/v1/enrollments/", body)
            if person in self.open_for:
                assert response.status_code == 400, response.get_data()  # one open request each
                return multiple()
            assert response.status_code == 201, response.get_data()
            pk = response.json["id"]
            self.status[pk], self.requested[pk] = "requested", day
            self.open_for.add(person)
            self.person_of = getattr(self, "person_of", {})
            self.person_of[pk] = person
            return pk

        @rule(
            enrollment=enrollments,
            action=st.sampled_from(sorted(TRANSITIONS)),
            after=st.integers(0, 120),
        )
        def move(self, enrollment, action, after):
            on = min(
                self.requested[enrollment] + datetime.timedelta(days=after), timezone.localdate()
            )
            body = {"on": on.isoformat(), "note": "Motif", "outcome": "employment"}
            path = f"/api/v1/enrollments/{enrollment}/{action}/"
            response = api.call("POST", path, f"/api/v1/enrollments/{{id}}/{action}/", body)
            allowed, reached = TRANSITIONS[action]
            if self.status[enrollment] in allowed:
                assert response.status_code == 200, response.get_data()
                assert response.json["status"] == reached
                self.status[enrollment] = reached
                if reached in ("refused", "dropped", "exited"):
                    self.open_for.discard(self.person_of[enrollment])
            else:
                assert response.status_code == 400, response.get_data()
            read = api.call(
                "GET", f"/api/v1/enrollments/{enrollment}/", "/api/v1/enrollments/{id}/"
            )
            assert read.json["status"] == self.status[enrollment]

        @rule(
            target=bookings,
            person=persons,
            first=st.sampled_from([datetime.date(2025, m, 1) for m in range(1, 13)]),
            months=st.integers(1, 4),
        )
        def book(self, person, first, months):
            body = {
                "person": person,
                "bed": bed,
                "granularity": "months",
                "first_month": first.isoformat(),
                "months": months,
            }
            response = api.call("POST", "/api/v1/bookings/", "/api/v1/bookings/", body)
            later = first.month - 1 + months  # the first day of the month after the last one
            end = datetime.date(first.year + later // 12, later % 12 + 1, 1)
            taken = any(s < end and first < e for _pk, s, e in self.booked_months)
            if taken:
                assert response.status_code == 400, response.get_data()  # never two on a bed
                return multiple()
            assert response.status_code == 201, response.get_data()
            self.booked_months.append((response.json["id"], first, end))
            return response.json["id"]

        @rule(booking=bookings)
        def read_booking(self, booking):
            response = api.call("GET", f"/api/v1/bookings/{booking}/", "/api/v1/bookings/{id}/")
            assert response.status_code == 200 and response.json["status"] == "active"

        @rule(booking=consumes(bookings))
        def cancel(self, booking):
            path = f"/api/v1/bookings/{booking}/cancel/"
            response = api.call("POST", path, "/api/v1/bookings/{id}/cancel/")
            assert response.status_code == 200 and response.json["status"] == "cancelled"
            self.booked_months = [b for b in self.booked_months if b[0] != booking]

        def teardown(self):
            # Every sequence starts from the same data (the bed free, no one followed).
            Booking.objects.all().delete()
            Enrollment.objects.all().delete()
            Person.objects.all().delete()

    run_state_machine_as_test(
        Scenario,
        settings=settings(
            max_examples=50,  # full depth on both databases: fewer sequences miss the deep steps
            stateful_step_count=35,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
    # The sequences went deep: requests moved through their steps, a booking cancelled.
    seen = {(method, template, status) for method, template, status in api.seen}
    for expected in (
        ("GET", "/api/v1/persons/{id}/", 200),
        ("POST", "/api/v1/enrollments/{id}/start-support/", 200),
        ("POST", "/api/v1/enrollments/{id}/close/", 200),
        ("POST", "/api/v1/enrollments/{id}/close/", 400),
        ("POST", "/api/v1/bookings/", 201),
        ("POST", "/api/v1/bookings/", 400),
        ("POST", "/api/v1/bookings/{id}/cancel/", 200),
    ):
        assert expected in seen, (expected, str(sorted(seen)))
