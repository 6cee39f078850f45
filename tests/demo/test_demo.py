import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from ancrage.accounts.enums import Role
from ancrage.accounts.models import Membership, Organization, User
from ancrage.core.territories import load_territories
from ancrage.demo.data import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db


# The demo is built around "today": every test of this module sees the same day.
TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The territories and the demo, loaded once for the module (twice, as ``ancrage demo`` may be
    run again: every count below also proves the second load added nothing), on a frozen date, in
    a transaction rolled back after the module's last test. Each test runs in a savepoint inside it.
    """
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TODAY, tick=False),
        transaction.atomic(),
    ):
        for departement in ("31", "35", "42", "59", "62", "69", "75", "80"):
            load_territories(only_departements=[departement])
        logins = load_demo()
        load_demo()
        yield logins
        transaction.set_rollback(True)


def test_demo_has_one_login_per_role_on_the_five_programs(demo_data):
    logins = demo_data
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Organization.objects.count() == 19  # with the Loire provider of the services pack
    assert len(logins) == 11
    # every demo login works with the published password
    for email, _ in logins:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email
    cllaj = Organization.objects.get(name="CLLAJ de l'Artois")
    assert cllaj.commune.name == "Arras"
    assert cllaj.siret and len(cllaj.siret) == 14


def test_the_demo_counsellor_belongs_to_two_organizations(demo_data):
    counsellor = User.objects.get(email="conseiller@demo.ancrage.fr")
    assert counsellor.memberships.count() == 2


def test_loading_the_demo_again_changes_nothing(demo_data):
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    load_demo()
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_demo_command_prints_the_logins(demo_data, capsys):
    call_command("demo", "--no-migrate")
    out = capsys.readouterr().out
    assert "conseiller@demo.ancrage.fr" in out
    assert DEMO_PASSWORD in out


def test_the_demo_cllaj_has_a_hundred_people_once(demo_data):
    from ancrage.people.models import Person

    cllaj = Organization.objects.get(name="CLLAJ de l'Artois")
    # A hundred of its own, and one reached through the national network's outreach.
    assert Person.objects.filter(organization=cllaj).active().count() == 101
    assert Person.objects.filter(organization=cllaj, commune__departement__code="62").count() == 101


def test_the_demo_shows_the_rgpd_lifecycle(demo_data):
    """Three files without contact since 2023, archived; rights requests due, late, answered."""
    from ancrage.people.models import Person
    from ancrage.privacy.models import RightsRequest

    cllaj = Organization.objects.get(name="CLLAJ de l'Artois")
    archived = Person.objects.filter(organization=cllaj, archived_on__isnull=False)
    assert sorted(archived.values_list("last_name", flat=True)) == [
        "Delattre",
        "Lemaire",
        "Vasseur",
    ]
    requests = RightsRequest.objects.filter(organization=cllaj)
    assert sorted(requests.values_list("kind", "status")) == [
        ("access", "open"),
        ("objection", "answered"),
        ("rectification", "open"),
    ]
    assert requests.filter(status="open", due_on__lt=datetime.date(2026, 11, 23)).count() == 1


def test_the_demo_cllaj_has_a_year_of_contacts_once(demo_data):
    from ancrage.support.models import Contact

    contacts = Contact.objects.filter(organization__name="CLLAJ de l'Artois")
    assert contacts.filter(partner=None).count() == 643  # 3 of them in 2023 (archived files)
    assert contacts.exclude(partner=None).count() == 14  # with the landlord and the residence
    assert contacts.filter(channel="outreach_desk", desk__isnull=True).count() == 0
    assert contacts.filter(person__isnull=True).count() > 100


def test_the_demo_has_enrollments_at_every_step_and_a_lyon_referral(demo_data):
    from ancrage.support.models import Enrollment, Referral

    statuses = set(
        Enrollment.objects.filter(organization__name="CLLAJ de l'Artois").values_list(
            "status", flat=True
        )
    )
    assert statuses == {"requested", "assessment", "support", "exited"}
    referrals = {
        (r.sender.name, r.receiver.name, r.status, r.joint_assessment)
        for r in Referral.objects.all()
    }
    assert referrals == {
        ("Service social Salariés Rhône", "Toit Partagé Rhône", "sent", False),
        ("Service social Salariés Rhône", "Toit Partagé Rhône", "accepted", True),
    }


def test_the_demo_has_workshops_with_attendance_an_agenda_and_follow_ups(demo_data):
    from ancrage.activities.models import Activity, Attendance, Session
    from ancrage.support.models import Appointment, FollowUp

    cllaj = Organization.objects.get(name="CLLAJ de l'Artois")
    assert Activity.objects.filter(organization=cllaj).count() == 4
    assert Session.objects.filter(organization=cllaj).count() == 21
    assert Attendance.objects.filter(session__organization=cllaj).count() > 60
    assert Appointment.objects.filter(organization=cllaj, status="planned").count() >= 8
    assert FollowUp.objects.filter(
        exit__enrollment__organization=cllaj, done_on__isnull=False
    ).exists()


def test_the_demo_has_the_five_programs_and_cllaj_enrollments_count_in_theirs(demo_data):
    from ancrage.programs.models import Program
    from ancrage.support.models import Enrollment

    assert Program.objects.count() == 5
    cllaj = Program.objects.get(name="CLLAJ (Pas-de-Calais)")
    roles = dict(cllaj.participants.values_list("organization__name", "role"))
    assert roles == {
        "CLLAJ de l'Artois": "operator",
        "Département du Pas-de-Calais (démo)": "funder",
        "Artois Habitat (démo)": "partner",
        "Résidence Habitat Jeunes d'Arras (démo)": "partner",
    }
    enrollments = Enrollment.objects.filter(organization__name="CLLAJ de l'Artois")
    # Besides its own program, the CLLAJ is a relay of the national network (seed 004): the demo
    # opens one file from a landlord's file there, with a home-adaptation pathway.
    assert list(enrollments.exclude(program=cllaj).values_list("program__name", "pathway")) == [
        ("Réseau national seniors et insertion", "adaptation")
    ]


def test_the_demo_loire_residence_shares_studios_between_complementary_rhythms(demo_data):
    from ancrage.housing.models import Booking, BookingPeriod, Residence

    carnot = Residence.objects.get(name="Résidence Alternance Carnot")
    assert carnot.units.count() == 10
    shared = Booking.objects.filter(bed__unit__reference="T1-03", granularity="weeks")
    assert shared.count() == 4  # four apprentices on 1/3 rhythms in one studio
    lien = Residence.objects.get(kind="intergenerational")
    assert set(lien.space_kinds) == {"common_room", "shared_garden", "laundry"}
    room = lien.spaces.get(kind="common_room")
    assert room.bookings.filter(is_active=True).count() == 9  # eight workshops and a lunch
    assert lien.surveys.get().responses.count() == 12
    assert lien.staff_slots.count() == 2
    assert str(lien.pairings.current().get()) == "Jeanne LEFORT et Hugo MARCHAL"
    assert lien.requests.exclude(status="done").count() == 1
    assert BookingPeriod.objects.filter(
        booking__person__last_name="Durand", ends_on__isnull=True
    ).exists()


def test_the_demo_has_a_sliding_lease_under_way(demo_data):
    from ancrage.housing.models import Lease

    lease = Lease.objects.get(is_sliding=True)
    assert lease.status == "active"
    assert lease.conditions.filter(met_on__isnull=False).count() == 2


def test_the_demo_waiting_list_ranks_and_explains(demo_data):
    from ancrage.housing.models import Residence
    from ancrage.housing.queries import waiting_list_for

    result = waiting_list_for(Residence.objects.get(name="Résidence Alternance Carnot"))
    # Théo, Jade, Zoé, and Noé and Capucine who would also take the Jacquard residence.
    assert len(result.eligible) == 5
    assert [r.application.person.first_name for r in result.ineligible] == ["Lucas"]
    assert "Ressources déclarées" in result.ineligible[0].text


def test_the_demo_cllaj_annual_report_has_the_six_indicators_counted_from_the_data(demo_data):
    """The figures of the PDF and the XLSX, against counts made here straight from the rows."""
    import datetime
    import io

    from django.db.models import Q, Sum
    from django.test import Client
    from django.utils import timezone
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from ancrage.accounts.models import User
    from ancrage.activities.models import Attendance, Session
    from ancrage.support.models import Appointment, Contact, Enrollment, Exit, Referral
    from tests.accounts.factories import activate_mfa

    cllaj = Organization.objects.get(name="CLLAJ de l'Artois")
    # A year with months of demo data whatever today's date (the demo spans the last 364 days).
    year = (timezone.localdate() - datetime.timedelta(days=120)).year
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    in_year = Q(occurred_at__date__gte=start, occurred_at__date__lt=end)
    contacts = Contact.objects.filter(in_year, organization=cllaj)
    phone_mail = contacts.filter(
        direction="incoming", channel__in=["phone", "email"], partner=None
    ).count()
    received = set(
        contacts.filter(channel__in=["walk_in", "outreach_desk", "workshop"])
        .exclude(person=None)
        .values_list("person_id", flat=True)
    ) | set(
        Appointment.objects.filter(
            organization=cllaj,
            status="honoured",
            starts_at__date__gte=start,
            starts_at__date__lt=end,
        ).values_list("person_id", flat=True)
    )
    # Every anonymous visit counts once: nobody can tell whether the same youth came again.
    anonymous_visits = contacts.filter(
        channel__in=["walk_in", "outreach_desk", "workshop"], person=None
    ).count()
    supported = (
        Enrollment.objects.filter(organization=cllaj, started_on__lt=end)
        .filter(Q(ended_on=None) | Q(ended_on__gte=start))
        .values("person_id")
        .distinct()
        .count()
    )
    housed = (
        Exit.objects.filter(
            enrollment__organization=cllaj,
            exited_on__gte=start,
            exited_on__lt=end,
            outcome__in=["social_housing", "private_housing", "residence"],
        )
        .values("enrollment__person_id")
        .distinct()
        .count()
    )
    sessions = Session.objects.filter(
        organization=cllaj, starts_at__date__gte=start, starts_at__date__lt=end
    )
    participants = Attendance.objects.filter(session__in=sessions).count() + (
        sessions.aggregate(n=Sum("anonymous_count"))["n"] or 0
    )
    housing_kinds = ["social_landlord", "residence_manager"]
    partners = set(
        contacts.filter(partner__kind__in=housing_kinds).values_list("partner_id", flat=True)
    ) | set(
        Referral.objects.filter(
            sender=cllaj,
            receiver__kind__in=housing_kinds,
            created_at__date__gte=start,
            created_at__date__lt=end,
        ).values_list("receiver_id", flat=True)
    )
    expected = {
        "Contacts téléphoniques et par e-mail": phone_mail,
        "Jeunes reçus physiquement": len(received) + anonymous_visits,
        "Jeunes accompagnés": supported,
        "Jeunes ayant accédé au logement": housed,
        "Participants aux actions collectives et temps forts": participants,
        "Partenaires du champ du logement mobilisés": len(partners),
    }
    assert all(value > 0 for value in expected.values()), expected

    admin = User.objects.get(email="admin@demo.ancrage.fr")
    activate_mfa(admin, True, None)  # the test settings require it, as in production
    client = Client()
    client.force_login(admin)
    xlsx = client.get(f"/indicateurs/bilan/{cllaj.pk}/{year}/xlsx/")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Indicateurs"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, max_col=2, values_only=True)}
    assert {label: figures.get(label) for label in expected} == expected
    assert "Parcours engagés" in figures  # then « Accompagnement et parcours », as on screen
    pdf = client.get(f"/indicateurs/bilan/{cllaj.pk}/{year}/pdf/")
    # Words as a reader sees them, whatever the column widths (objectives narrow the labels).
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    for label, value in expected.items():
        assert f"{label} {value:,}".replace(",", " ") in text, label


def test_the_demo_allocation_over_saint_etienne_packs_both_residences(
    demo_data, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from ancrage.accounts.models import User
    from ancrage.allocation.services import start_run
    from ancrage.core.models import Territory
    from ancrage.housing.models import Residence

    carnot = Residence.objects.get(name="Résidence Alternance Carnot")
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1  # the demo's school year
    with django_capture_on_commit_callbacks(execute=True):
        proposal = start_run(
            territory=Territory.objects.get(kind="commune", code="42218"),
            organization=carnot.organization,
            starts_on=datetime.date(year, 9, 1),
            ends_on=datetime.date(year + 1, 6, 30),
            time_limit=5,
            actor=User.objects.get(email="admin@demo.ancrage.fr"),
        )
    proposal.refresh_from_db()
    assert proposal.status == "done", proposal.error
    people = {item["person"]: item for item in proposal.result["assignments"]}
    # The five Jacquard applicants are placed, and nobody already housed in Carnot has to move.
    for name in (
        "Maxence LACROIX",
        "Élise RENAUD",
        "Noé PICARD",
        "Capucine MARCHAL",
        "Gabin LEROUX",
    ):
        assert name in people, proposal.result["unhoused"]
    assert proposal.result["metrics"]["moves"] == 0
    assert people["Maxence LACROIX"]["unit"].startswith("Résidence Alternance Jacquard — J-")
