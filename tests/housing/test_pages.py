import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.housing import services
from ancrage.housing.models import Booking, Residence, Rhythm, Unit
from ancrage.people.queries import person_label
from tests.housing.factories import BedFactory, ResidenceFactory, UnitFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
SEPT = datetime.date(2026, 9, 7)


def test_manager_creates_a_residence_and_a_shared_flat(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:residence_create"),
        {
            "name": "Résidence du Forez",
            "kind": "apprentices",
            "common_spaces": ["laundry", "common_room"],
        },
    )
    residence = Residence.objects.get()
    assert response.url == reverse("housing:residence_detail", args=[residence.pk])
    client.post(
        reverse("housing:unit_add", args=[residence.pk]),
        {
            "reference": "T3-01",
            "typology": "t3",
            "beds": 3,
            "floor": 1,
            "monthly_rent": "600",
            "monthly_charges": "60",
            "deposit": "600",
        },
    )
    unit = Unit.objects.get()
    assert [b.label for b in unit.beds.all()] == ["lit 1", "lit 2", "lit 3"]
    page = client.get(reverse("housing:residence_detail", args=[residence.pk]))
    assert "Laverie" in page.text
    assert "T3-01" in page.text


def test_unit_form_names_the_wrong_fields(client, world):
    residence = ResidenceFactory(organization=world.org)
    UnitFactory(residence=residence, reference="A1")
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:unit_add", args=[residence.pk]),
        {
            "reference": "A1",
            "typology": "t1",
            "beds": 0,
            "floor": 0,
            "monthly_rent": "-5",
            "deposit": "0",
            "monthly_charges": "0",
        },
    )
    assert response.status_code == 400
    errors = response.context["unit_form"].errors
    assert set(errors) >= {"beds", "monthly_rent"}
    assert Unit.objects.count() == 1


def _rhythm(client, person, template, first):
    return client.post(
        reverse("housing:rhythm_create"),
        {
            "person": person_label(person),
            "name": "BTS 2026-2027",
            "template": template,
            "first_school_week": first.isoformat(),
            "ends_on": "2027-06-30",
        },
    )


def test_book_the_school_weeks_of_a_rhythm_then_see_them_on_the_grid(client, world):
    bed = BedFactory(unit__residence__organization=world.org, unit__reference="T1-07")
    residence = bed.unit.residence
    first = PersonFactory(organization=world.org, first_name="Élodie", last_name="Martin")
    second = PersonFactory(organization=world.org, first_name="Lucas", last_name="Bernard")
    client.force_login(world.owner)
    _rhythm(client, first, "2/2", SEPT)
    _rhythm(client, second, "2/2", SEPT + datetime.timedelta(weeks=2))
    r1, r2 = Rhythm.objects.order_by("id")
    for person, rhythm in ((first, r1), (second, r2)):
        response = client.post(
            reverse("housing:booking_create", args=[residence.pk]),
            {
                "person": person_label(person),
                "bed": bed.pk,
                "mode": "rhythm",
                "rhythm": rhythm.pk,
                "starts_on": "2026-09-01",
                "ends_on": "2027-06-30",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
    grid = client.get(reverse("housing:occupancy", args=[residence.pk]), {"semaine": "2026-W37"})
    rows = grid.context["grid"].rows
    assert [cell.initials for cell in rows[0][1][:6]] == ["ÉM", "ÉM", "LB", "LB", "ÉM", "ÉM"]
    assert grid.context["grid"].empty == 0
    # A third booking over those weeks is refused, saying who and when.
    third = PersonFactory(organization=world.org)
    response = client.post(
        reverse("housing:booking_create", args=[residence.pk]),
        {
            "person": person_label(third),
            "bed": bed.pk,
            "mode": "weeks",
            "starts_on": "2026-09-14",
            "ends_on": "2026-09-20",
        },
    )
    assert response.status_code == 400
    assert "T1-07 est déjà réservé du 07/09/2026 au 20/09/2026 pour Élodie MARTIN" in response.text
    assert Booking.objects.count() == 2


def test_booking_form_errors_name_the_fields(client, world):
    bed = BedFactory(unit__residence__organization=world.org)
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:booking_create", args=[bed.unit.residence_id]),
        {"person": "Inconnu", "bed": bed.pk, "mode": "rhythm", "starts_on": ""},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"person", "rhythm", "starts_on"}


def test_cancel_and_restore_a_booking(client, world):
    bed = BedFactory(unit__residence__organization=world.org)
    booking = services.book_months(
        person=PersonFactory(organization=world.org),
        bed=bed,
        first_month=SEPT,
        months=1,
        actor=world.owner,
    )
    client.force_login(world.owner)
    url = reverse("housing:booking_cancel", args=[booking.pk])
    client.post(url)
    assert Booking.objects.get().status == "cancelled"
    client.post(url, {"action": "restore"})
    assert Booking.objects.get().status == "active"


def test_outsiders_see_no_residence_booking_or_rhythm(client, world):
    bed = BedFactory(
        unit__residence__organization=world.org, unit__residence__name="Résidence secrète"
    )
    person = PersonFactory(organization=world.org, last_name="Confidentiel")
    booking = services.book_weeks(person=person, bed=bed, weeks=[SEPT], actor=world.owner)
    services.create_rhythm(
        person=person,
        name="CAP",
        template="1/1",
        first_school_week=SEPT,
        ends_on=datetime.date(2027, 6, 30),
        actor=world.owner,
    )
    client.force_login(world.outsider)
    assert "Résidence secrète" not in client.get(reverse("housing:residence_list")).text
    assert "Confidentiel" not in client.get(reverse("housing:rhythm_list")).text
    for name, args in (
        ("housing:residence_detail", [bed.unit.residence_id]),
        ("housing:occupancy", [bed.unit.residence_id]),
        ("housing:booking_detail", [booking.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("housing:booking_cancel", args=[booking.pk])).status_code == 404


def test_read_only_colleague_sees_the_grid_but_cannot_book(client, world):
    bed = BedFactory(unit__residence__organization=world.org)
    client.force_login(world.colleague)
    assert client.get(reverse("housing:occupancy", args=[bed.unit.residence_id])).status_code == 200
    assert (
        client.get(reverse("housing:booking_create", args=[bed.unit.residence_id])).status_code
        == 403
    )


@pytest.mark.parametrize(
    "url_name", ["housing:residence_list", "housing:residence_detail", "housing:occupancy"]
)
def test_pages_keep_a_constant_query_count(client, world, url_name, count_queries):
    residence = ResidenceFactory(organization=world.org)
    args = [] if url_name == "housing:residence_list" else [residence.pk]
    url = reverse(url_name, args=args)
    client.force_login(world.owner)

    def add():
        bed = BedFactory(unit__residence=residence)
        services.book_weeks(
            person=PersonFactory(organization=world.org),
            bed=bed,
            weeks=[timezone.localdate()],
            actor=world.owner,
        )
        ResidenceFactory(organization=world.org)

    add()
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(49):
        add()
    assert count() == one


def test_api_gives_bookings_with_periods_and_hides_them_from_outsiders(client, world):
    bed = BedFactory(unit__residence__organization=world.org)
    booking = services.book_weeks(
        person=PersonFactory(organization=world.org),
        bed=bed,
        weeks=[SEPT, SEPT + datetime.timedelta(weeks=2)],
        actor=world.owner,
    )
    client.force_login(world.owner)
    data = client.get(reverse("api:booking-detail", args=[booking.pk])).json()
    assert data["periods"] == [
        {"starts_on": "2026-09-07", "ends_on": "2026-09-14"},
        {"starts_on": "2026-09-21", "ends_on": "2026-09-28"},
    ]
    client.force_login(world.outsider)
    for name in ("api:booking-list", "api:residence-list", "api:unit-list", "api:rhythm-list"):
        assert client.get(reverse(name)).json()["results"] == []
    assert client.get(reverse("api:booking-detail", args=[booking.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["api:booking-list", "api:unit-list"])
def test_api_lists_keep_a_constant_query_count(client, world, url_name, count_queries):
    residence = ResidenceFactory(organization=world.org)
    url = reverse(url_name)
    client.force_login(world.owner)

    def add():
        bed = BedFactory(unit__residence=residence)
        services.book_weeks(
            person=PersonFactory(organization=world.org), bed=bed, weeks=[SEPT], actor=world.owner
        )

    add()
    client.get(url)

    def count():
        return count_queries(lambda: client.get(url))

    one = count()
    for _ in range(20):
        add()
    assert count() == one


def test_manager_issues_charges_records_an_allowance_and_a_payment(client, world):
    from decimal import Decimal

    bed = BedFactory(unit__residence__organization=world.org)
    person = PersonFactory(organization=world.org)
    booking = services.book_months(
        person=person, bed=bed, first_month=datetime.date(2026, 9, 1), months=2, actor=world.owner
    )
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:charges_generate", args=[booking.pk]), {"through": "2026-10-31"}
    )
    assert response.url == reverse("housing:account", args=[person.pk])
    client.post(
        reverse("housing:allowance_add", args=[person.pk]),
        {"source": "apl", "month": "2026-09-01", "amount": "160"},
    )
    client.post(
        reverse("housing:payment_add", args=[person.pk]),
        {"amount": "300", "paid_on": "2026-09-05", "method": "transfer"},
    )
    page = client.get(reverse("housing:account", args=[person.pk]))
    assert page.context["account"].balance == Decimal("460.00")  # 920 − 160 − 300
    assert "Impayé" in page.text  # October's 460 € is more than 30 days late today
    bad = client.post(
        reverse("housing:payment_add", args=[person.pk]),
        {"amount": "-3", "paid_on": "2099-01-01", "method": "transfer"},
    )
    assert bad.status_code == 400
    assert "Le montant doit être positif." in bad.text


def test_outsiders_cannot_read_an_account_or_record_a_payment(client, world):
    person = PersonFactory(organization=world.org)
    client.force_login(world.outsider)
    assert client.get(reverse("housing:account", args=[person.pk])).status_code == 404
    response = client.post(
        reverse("housing:payment_add", args=[person.pk]),
        {"amount": "30", "paid_on": "2026-09-05", "method": "cash"},
    )
    assert response.status_code == 404


def test_housing_api_endpoints_show_our_records_and_hide_them_from_outsiders(client, world):
    from decimal import Decimal

    bed = BedFactory(unit__residence__organization=world.org)
    person = PersonFactory(organization=world.org)
    booking = services.book_months(
        person=person, bed=bed, first_month=SEPT, months=1, actor=world.owner
    )
    services.generate_charges(booking=booking, through=SEPT, actor=world.owner)
    services.record_payment(
        person=person,
        amount=Decimal("100"),
        paid_on=datetime.date(2026, 9, 3),
        method="card",
        actor=world.owner,
    )
    lease = services.prepare_lease(
        person=person,
        unit=bed.unit,
        kind="sublet",
        starts_on=SEPT,
        is_sliding=True,
        actor=world.owner,
    )
    services.record_inspection(
        unit=bed.unit,
        person=person,
        kind="entry",
        done_on=SEPT,
        lease=lease,
        items=[{"room": "Entrée", "element": "Sol", "condition": "good"}],
        actor=world.owner,
    )
    services.submit_application(
        residence=bed.unit.residence,
        person=PersonFactory(organization=world.org),
        wished_from=SEPT,
        actor=world.owner,
    )
    names = ["lease", "inspection", "charge", "payment", "housing-application"]
    client.force_login(world.owner)
    counts = {
        name: len(client.get(reverse(f"api:{name}-list")).json()["results"]) for name in names
    }
    assert counts == {
        "lease": 1,
        "inspection": 1,
        "charge": 1,
        "payment": 1,
        "housing-application": 1,
    }
    lease_data = client.get(reverse("api:lease-detail", args=[lease.pk])).json()
    assert len(lease_data["conditions"]) == 4
    client.force_login(world.outsider)
    for name in names:
        assert client.get(reverse(f"api:{name}-list")).json()["results"] == []
