"""A CLLAJ desk's whole year replayed through the API only, as a partner's software or a migration
script would: people, anonymous and named contacts by channel, requests with their transitions on
their real dates, exits, workshops with attendance, referrals to landlords. The script keeps its
own count of what it sent, then reads the six indicators of the CLLAJ report through the API and
expects its own figures."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

import pytest

from ancrage.people.models import Person
from ancrage.support.models import Contact, Enrollment, Referral
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.api.clients import TokenClient, token_client
from tests.core.factories import TerritoryFactory

YEAR = 2025
FIRST_NAMES = ["Élodie", "Yanis", "Inès", "Lucas", "Manon", "Nolan", "Jade", "Rayan", "Léa", "Hugo"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Garnier", "Roux", "Faure"]
HOUSED = {"social_housing", "private_housing", "residence"}


@dataclass
class Expected:
    """What the script sent, counted as the CLLAJ report defines each figure."""

    phone_email: int = 0
    received: set[int] = field(default_factory=set)
    supported: set[int] = field(default_factory=set)
    housed: set[int] = field(default_factory=set)
    participants: int = 0
    housing_partners: set[int] = field(default_factory=set)

    def figures(self) -> dict[str, float]:
        return {
            "contacts_telephone_mail": self.phone_email,
            "personnes_recues": len(self.received),
            "personnes_accompagnees": len(self.supported),
            "acces_logement": len(self.housed),
            "participants_actions": self.participants,
            "partenaires_logement": len(self.housing_partners),
        }


def _day(rng: random.Random, year: int = YEAR, *, after: datetime.date | None = None):
    start = after or datetime.date(year, 1, 1)
    end = datetime.date(year, 12, 31)
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _at(day: datetime.date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+01:00"


class Replay:
    def __init__(self, api: TokenClient, rng: random.Random) -> None:
        self.api, self.rng, self.expected = api, rng, Expected()
        self.sent: list[tuple[str, dict]] = []  # the creations, to send a second time

    def create(self, url: str, body: dict, *, expect: int = 201) -> dict:
        response = self.api.post_json(url, body)
        assert response.status_code == expect, (url, body, response.content)
        self.sent.append((url, body))
        return response.json()

    def act(self, url: str, body: dict) -> dict:
        response = self.api.post_json(url, body)
        assert response.status_code in (200, 201), (url, body, response.content)
        return response.json()

    def people(self, count: int) -> list[int]:
        ids = []
        for i in range(count):
            person = self.create(
                "/api/v1/persons/",
                {
                    "external_ref": f"P{i:03d}",
                    "last_name": LAST_NAMES[i % len(LAST_NAMES)],
                    "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
                    "birth_date": (
                        datetime.date(1999, 1, 1) + datetime.timedelta(days=41 * i)
                    ).isoformat(),
                    "situation": self.rng.choice(["student", "apprentice", "job_seeker"]),
                    "commune_code": "62498",
                    "confirm_not_duplicate": True,
                },
            )
            ids.append(person["id"])
        return ids

    def contacts(self, people: list[int], desk: int, landlord: int) -> None:
        n = 0

        def contact(body: dict, counted_as: str | None = None, person: int | None = None):
            nonlocal n
            n += 1
            self.create("/api/v1/contacts/", {"external_ref": f"C{n:04d}", **body})
            if counted_as == "phone_email":
                self.expected.phone_email += 1
            elif counted_as == "received":
                self.expected.received.add(person)

        for _ in range(60):  # anonymous calls and e-mails: the first figure
            contact(
                {
                    "occurred_at": _at(_day(self.rng), self.rng.randrange(8, 18)),
                    "channel": self.rng.choice(["phone", "email"]),
                    "subjects": ["housing"],
                    "outcome": "information",
                    "age_band": self.rng.choice(["18_20", "21_25"]),
                    "situation": "student",
                },
                "phone_email",
            )
        for _ in range(8):  # calls made by the desk are not counted
            contact(
                {
                    "occurred_at": _at(_day(self.rng)),
                    "direction": "outgoing",
                    "channel": "phone",
                    "subjects": ["housing"],
                    "outcome": "information",
                    "person": self.rng.choice(people),
                },
            )
        for _ in range(4):  # a call from a landlord: a partner mobilised, not a young person's call
            contact(
                {
                    "occurred_at": _at(_day(self.rng)),
                    "channel": "phone",
                    "subjects": ["housing"],
                    "outcome": "information",
                    "partner": landlord,
                }
            )
        self.expected.housing_partners.add(landlord)
        for _ in range(45):  # visits of known people, at the office, a desk or a workshop
            person = self.rng.choice(people[:20])
            channel = self.rng.choice(["walk_in", "outreach_desk", "workshop"])
            contact(
                {
                    "occurred_at": _at(_day(self.rng), 14),
                    "channel": channel,
                    "desk": desk if channel == "outreach_desk" else None,
                    "subjects": ["housing", "admin_help"],
                    "outcome": "appointment",
                    "person": person,
                },
                "received",
                person,
            )
        for _ in range(5):  # the year before does not count
            contact(
                {
                    "occurred_at": _at(_day(self.rng, YEAR - 1)),
                    "channel": "phone",
                    "subjects": ["housing"],
                    "outcome": "information",
                    "age_band": "21_25",
                }
            )
            contact(
                {
                    "occurred_at": _at(_day(self.rng, YEAR - 1)),
                    "channel": "walk_in",
                    "subjects": ["housing"],
                    "outcome": "information",
                    "person": people[25],
                }
            )

    def enrollments(self, people: list[int]) -> None:
        outcomes = ["social_housing", "private_housing", "residence", "employment", "temporary"]
        for i, person in enumerate(people[:22]):
            year = YEAR - 1 if i == 21 else YEAR
            requested = _day(self.rng, year, after=datetime.date(year, 1, 1))
            requested = min(requested, datetime.date(year, 9, 30))
            enrollment = self.create(
                "/api/v1/enrollments/",
                {"external_ref": f"E{i:03d}", "person": person, "requested_on": str(requested)},
            )
            url = f"/api/v1/enrollments/{enrollment['id']}"
            if i in (18, 19):
                self.act(f"{url}/refuse/", {"on": str(requested), "note": "Hors territoire"})
                continue
            if i == 20:
                continue  # still a request: not supported yet
            assessed = requested + datetime.timedelta(days=7)
            self.act(f"{url}/start-assessment/", {"on": str(assessed)})
            self.act(
                "/api/v1/assessments/",
                {
                    "enrollment": enrollment["id"],
                    "assessed_on": str(assessed),
                    "priorities": {"housing": "high"},
                },
            )
            started = assessed + datetime.timedelta(days=14)
            self.act(f"{url}/start-support/", {"on": str(started)})
            self.act(
                "/api/v1/steps/",
                {"enrollment": enrollment["id"], "kind": "housing_allowance"},
            )
            if year == YEAR:
                self.expected.supported.add(person)
            if i < 12 or year != YEAR:
                ended = started + datetime.timedelta(days=60)
                outcome = outcomes[i % len(outcomes)]
                self.act(f"{url}/close/", {"on": str(ended), "outcome": outcome})
                if outcome in HOUSED and year == YEAR:
                    self.expected.housed.add(person)
            elif i == 12:
                self.act(f"{url}/abandon/", {"on": str(started + datetime.timedelta(days=30))})

    def workshops(self, people: list[int]) -> None:
        for a in range(2):
            activity = self.create(
                "/api/v1/activities/",
                {
                    "external_ref": f"A{a}",
                    "kind": "housing_workshop",
                    "title": f"Trouver un logement ({a + 1})",
                },
            )
            for s in range(3):
                year = YEAR - 1 if s == 2 and a == 1 else YEAR
                session = self.create(
                    "/api/v1/sessions/",
                    {
                        "external_ref": f"S{a}{s}",
                        "activity": activity["id"],
                        "starts_at": _at(_day(self.rng, year), 14),
                        "place": "Siège",
                    },
                )
                present = self.rng.sample(people, self.rng.randrange(3, 7))
                for person in present:
                    self.act(f"/api/v1/sessions/{session['id']}/attendances/", {"person": person})
                head_count = self.rng.randrange(0, 5)
                self.act(
                    f"/api/v1/sessions/{session['id']}/head-count/",
                    {"anonymous_count": head_count},
                )
                if year == YEAR:
                    self.expected.participants += len(present) + head_count

    def referrals(self, people: list[int], receivers: list[tuple[int, bool]]) -> list[int]:
        sent = []
        for i, (receiver, housing_field) in enumerate(receivers):
            consent = _day(self.rng, after=datetime.date(YEAR, 3, 1))
            referral = self.create(
                "/api/v1/referrals/",
                {
                    "external_ref": f"R{i}",
                    "person": people[i],
                    "receiver": receiver,
                    "purpose": "Demande de logement",
                    "shared_fields": ["last_name", "first_name", "phone"],
                    "consent_on": str(consent),
                    "sent_on": str(consent),
                },
            )
            sent.append(referral["id"])
            if housing_field:
                self.expected.housing_partners.add(receiver)
        return sent


def _figure(api: TokenClient, code: str, organization: int) -> float | None:
    response = api.get(f"/api/v1/indicators/{code}/values/", {"year": YEAR})
    assert response.status_code == 200, response.content
    rows = [
        row
        for row in response.json()["results"]
        if row["organization"] and row["organization"]["id"] == organization
    ]
    assert len(rows) == 1, (code, response.json())
    return rows[0]["value"]


@pytest.mark.django_db
def test_a_year_replayed_through_the_api_gives_the_figures_it_sent(world):
    landlord = OrganizationFactory(name="Pas-de-Calais Habitat", kind="social_landlord")
    other_landlord = OrganizationFactory(name="Maisons & Cités", kind="social_landlord")
    residence = OrganizationFactory(name="Résidence Habitat Jeunes", kind="residence_manager")
    association = OrganizationFactory(name="Mission locale", kind="association")
    TerritoryFactory(code="62498", name="Lens")
    answering = MembershipFactory(organization=landlord, role="counsellor").user
    api = token_client(world.owner, name="Reprise 2025")
    rng = random.Random(YEAR)
    replay = Replay(api, rng)

    desk = replay.create("/api/v1/desks/", {"name": "Mairie de Liévin", "external_ref": "D1"})["id"]
    people = replay.people(30)
    replay.contacts(people, desk, other_landlord.pk)
    replay.enrollments(people)
    replay.workshops(people)
    referrals = replay.referrals(
        people,
        [(landlord.pk, True), (residence.pk, True), (association.pk, False)],
    )
    # The landlord answers through its own software, on its real day.
    accepted = token_client(answering).post_json(
        f"/api/v1/referrals/{referrals[0]}/accept/",
        {"on": str(Referral.objects.get(pk=referrals[0]).sent_on + datetime.timedelta(days=5))},
    )
    assert accepted.status_code == 200, accepted.content

    assert api.post_json("/api/v1/indicators/freshness/").status_code == 202
    assert api.get("/api/v1/indicators/freshness/").json()["up_to_date"] is True
    read = {code: _figure(api, code, world.org.pk) for code in replay.expected.figures()}
    assert read == replay.expected.figures()
    assert all(value > 0 for value in read.values())

    # Everything sent a second time answers the records already there: nothing doubles.
    counts = (Person.objects.count(), Contact.objects.count(), Enrollment.objects.count())
    for url, body in replay.sent:
        again = api.post_json(url, body)
        assert again.status_code == 200, (url, again.content)
    assert (Person.objects.count(), Contact.objects.count(), Enrollment.objects.count()) == counts
