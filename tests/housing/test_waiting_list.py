import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ancrage.housing import services
from ancrage.housing.models import Booking, BookingPeriod, HousingApplication
from ancrage.housing.queries import waiting_list_for
from ancrage.people.queries import person_label
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def residence(world):
    residence = ResidenceFactory(organization=world.org, name="Résidence Carnot")
    BedFactory(unit__residence=residence, unit__reference="T1-01")
    return residence


def apply(world, residence, on, **person):
    with time_machine.travel(on):
        return services.submit_application(
            residence=residence,
            person=PersonFactory(organization=world.org, **person),
            wished_from=D(2027, 1, 4),
            actor=world.owner,
        )


def test_ranking_follows_the_configured_weights_and_explains_each_rank(world, residence):
    old = apply(
        world,
        residence,
        D(2026, 7, 1),
        first_name="Ancienne",
        situation="student",
        housing_situation="tenant",
    )
    apprentice = apply(
        world,
        residence,
        D(2026, 11, 1),
        first_name="Alternant",
        situation="apprentice",
        housing_situation="no_housing",
    )
    services.set_waiting_list_rules(
        residence=residence,
        rules={"apprentice": (20, False), "without_home": (15, False), "seniority": (2, False)},
        actor=world.owner,
    )
    result = waiting_list_for(residence, today=TODAY)
    assert [r.application for r in result.eligible] == [apprentice, old]
    first, second = result.eligible
    # 20 + 15 + 0 months; the older one: 4 full months × 2 = 8.
    assert (first.score, second.score) == (35, 8)
    assert "Rang 1 sur 2, score 35 (Alternant·e +20, Sans logement stable +15)" in first.text
    assert "logement possible" in first.text
    assert "Rang 2 sur 2, score 8 (Ancienneté de la demande (4 mois) +8)" in second.text
    assert (
        "1 lit(s) libre(s) sur la période souhaitée pour 1 personne(s) classée(s) avant"
        in second.text
    )


def test_a_mandatory_condition_leaves_the_applicant_unranked_with_the_reason(world, residence):
    without = apply(world, residence, D(2026, 10, 1), first_name="Sans")
    with_resources = apply(world, residence, D(2026, 10, 2), first_name="Avec")
    ResourceFactory(person=with_resources.person, monthly_amount=Decimal("850"))
    services.set_waiting_list_rules(
        residence=residence, rules={"has_resources": (0, True)}, actor=world.owner
    )
    result = waiting_list_for(residence, today=TODAY)
    assert [r.application for r in result.eligible] == [with_resources]
    [unranked] = result.ineligible
    assert unranked.application == without
    assert (
        unranked.text == "Non classé·e : condition obligatoire non remplie — Ressources déclarées."
    )


def test_ties_go_to_the_oldest_application(world, residence):
    first = apply(world, residence, D(2026, 9, 1))
    second = apply(world, residence, D(2026, 9, 2))
    result = waiting_list_for(residence, today=D(2026, 9, 3))
    assert [r.application for r in result.eligible] == [first, second]


def test_no_free_bed_is_the_reason_when_the_residence_is_full(world, residence):
    bed = residence.units.get().beds.get()
    services.book_open_ended(
        person=PersonFactory(organization=world.org),
        bed=bed,
        starts_on=D(2026, 1, 5),
        actor=world.owner,
    )
    apply(world, residence, D(2026, 10, 1))
    [ranked] = waiting_list_for(residence, today=TODAY).eligible
    assert "Aucun lit libre du 04/01/2027." in ranked.text


def test_only_an_admin_sets_the_rules(world, residence):
    with pytest.raises(PermissionDenied):
        services.set_waiting_list_rules(residence=residence, rules={}, actor=world.colleague)


def test_rules_page_saves_points_and_names_a_wrong_value(client, world, residence):
    client.force_login(world.owner)
    url = reverse("housing:waiting_list_rules", args=[residence.pk])
    bad = client.post(url, {"poids-apprentice": "150"})
    assert bad.status_code == 400
    assert "Alternant·e : indiquez un nombre de points de 0 à 100." in bad.text
    client.post(url, {"poids-apprentice": "20", "obligatoire-has_resources": "on"})
    rules = {r.code: (r.weight, r.mandatory) for r in residence.waiting_list_rules.all()}
    assert rules == {"apprentice": (20, False), "has_resources": (0, True)}
    client.force_login(world.colleague)
    assert client.get(url).status_code == 403


def test_housing_an_applicant_from_the_list_closes_the_application(client, world, residence):
    application = apply(world, residence, D(2026, 10, 1), first_name="Inès")
    bed = residence.units.get().beds.get()
    client.force_login(world.owner)
    url = reverse("housing:booking_create", args=[residence.pk]) + f"?demande={application.pk}"
    form = client.get(url).context["form"]
    assert form.initial["person"] == person_label(application.person)
    response = client.post(
        url,
        {
            "demande": application.pk,
            "person": person_label(application.person),
            "bed": bed.pk,
            "mode": "months",
            "starts_on": "2027-01-01",
            "months": 6,
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "housed"
    assert application.booking.person == application.person


def test_submitting_twice_is_refused_and_outsiders_see_nothing(client, world, residence):
    application = apply(world, residence, D(2026, 10, 1), last_name="Confidentiel")
    with pytest.raises(Exception, match="déjà une demande en attente"):
        services.submit_application(
            residence=residence,
            person=application.person,
            wished_from=D(2027, 1, 4),
            actor=world.owner,
        )
    client.force_login(world.outsider)
    assert client.get(reverse("housing:waiting_list", args=[residence.pk])).status_code == 404
    response = client.post(
        reverse("housing:application_close", args=[application.pk]), {"status": "refused"}
    )
    assert response.status_code == 404
    assert HousingApplication.objects.get().status == "pending"


def test_waiting_list_page_keeps_a_constant_query_count(client, world, residence, count_queries):

    services.set_waiting_list_rules(
        residence=residence,
        rules={"apprentice": (10, False), "has_resources": (0, True)},
        actor=world.owner,
    )
    url = reverse("housing:waiting_list", args=[residence.pk])
    client.force_login(world.owner)
    apply(world, residence, D(2026, 10, 1))
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for day in range(2, 51):
        application = apply(world, residence, D(2026, 10, 1) + datetime.timedelta(days=day))
        ResourceFactory(person=application.person)
    assert count() == one


def test_booking_and_housing_the_application_are_one_transaction(world, residence, monkeypatch):
    """If housing the application fails after the booking is written, neither is kept."""
    application = apply(world, residence, D(2026, 10, 1), first_name="Inès")
    bed = residence.units.get().beds.get()

    def broken(application, booking):
        raise RuntimeError("panne entre les deux écritures")

    monkeypatch.setattr("ancrage.housing.services.bookings._house", broken)
    with pytest.raises(RuntimeError):
        services.book_months(
            person=application.person,
            bed=bed,
            first_month=D(2027, 1, 1),
            months=6,
            actor=world.owner,
            application=application,
        )
    application.refresh_from_db()
    assert application.status == "pending" and application.booking is None
    assert not Booking.objects.exists() and not BookingPeriod.objects.exists()


def test_an_application_closed_meanwhile_refuses_the_booking_and_writes_nothing(world, residence):
    application = apply(world, residence, D(2026, 10, 1), first_name="Inès")
    stale = HousingApplication.objects.get(pk=application.pk)  # the page's copy, still pending
    services.close_application(application=application, status="withdrawn", actor=world.owner)
    with pytest.raises(ValidationError, match="plus en attente"):
        services.book_open_ended(
            person=stale.person,
            bed=residence.units.get().beds.get(),
            starts_on=D(2027, 1, 4),
            actor=world.owner,
            application=stale,
        )
    assert not Booking.objects.exists()


def test_a_booking_for_someone_else_does_not_house_the_application(world, residence):
    application = apply(world, residence, D(2026, 10, 1), first_name="Inès")
    other = PersonFactory(organization=world.org)
    with pytest.raises(ValidationError, match="ne loge pas cette personne"):
        services.book_open_ended(
            person=other,
            bed=residence.units.get().beds.get(),
            starts_on=D(2027, 1, 4),
            actor=world.owner,
            application=application,
        )
    assert not Booking.objects.exists()
