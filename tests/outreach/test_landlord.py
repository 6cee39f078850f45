"""A landlord sees what became of the tenants its files gave, as figures only: no name, no note,
each count from 1 to 10 withheld as « moins de 11 »."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ancrage.accounts.enums import Role
from ancrage.outreach import services
from ancrage.outreach.models import Prospect
from ancrage.support import services as support
from ancrage.support.models import Enrollment
from tests.accounts.factories import MembershipFactory
from tests.outreach.conftest import csv_of, line

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def followed(outreach, time_machine):
    """Twelve tenants; Hélène Lefèvre called, agreed and followed in an adaptation pathway whose
    works are done and whose home is adapted."""
    time_machine.move_to("2026-03-20 10:00 +01:00")
    refs = [chr(ord("A") + i) for i in range(12)]
    outreach.load(csv_of(*(line(r, nom="Lefèvre" if r == "A" else "Dupont") for r in refs)))
    segment = services.save_segment(
        outreach_list=outreach.outreach_list, name="Tous", min_score=0, actor=outreach.world.owner
    )
    services.add_assignment(
        outreach_list=outreach.outreach_list,
        segment=segment,
        assignee=outreach.association,
        actor=outreach.world.owner,
    )
    target = Prospect.objects.get(tenant_ref="A")
    volunteer = outreach.volunteer
    services.record_attempt(
        prospect=target, channel="call", outcome="interested", occurred_on=DAY, actor=volunteer
    )
    services.record_consent(prospect=target, on=DAY, actor=volunteer)
    services.convert_prospect(prospect=target, pathway="adaptation", actor=volunteer)
    enrollment = Enrollment.objects.get()
    support.add_note(
        enrollment=enrollment, body="Note confidentielle", visibility="team", actor=volunteer
    )
    work = support.plan_work(
        enrollment=enrollment,
        kind="grab_bars",
        planned_on=enrollment.requested_on,
        cost=Decimal("380"),
        actor=volunteer,
    )
    support.record_work_done(
        work=work, done_on=enrollment.requested_on, home_adapted=True, actor=volunteer
    )
    return outreach


def _landlord_client(client, outreach):
    member = MembershipFactory(organization=outreach.landlord, role=Role.READ_ONLY).user
    client.force_login(member)
    return client


def test_the_landlord_sees_figures_with_small_cells_withheld(client, followed):
    page = _landlord_client(client, followed).get(reverse("outreach:landlord_outcomes"))
    assert page.status_code == 200
    text = page.text
    assert "1000 LIANES" in text
    # 11 still to contact: shown; 1 converted, 1 adapted home: withheld.
    assert '<td>À contacter</td><td class="text-end">11</td>' in text
    assert '<td>Logements adaptés</td><td class="text-end">moins de 11</td>' in text
    assert ">12</td>" in text  # the total
    # « Accompagné·e » (1) is the only small count: the smallest other one (a 0) is withheld too,
    # so that 12 − 11 does not give it back.
    statuses = text[text.index("par état du contact") : text.index("Parmi les locataires")]
    assert statuses.count("moins de 11") == 2
    for secret in ("Lefèvre", "Hélène", "Dupont", "Note confidentielle", "3 rue des Lilas"):
        assert secret not in text


def test_the_page_keeps_its_query_count_with_a_second_list(client, followed, count_queries):
    landlord = _landlord_client(client, followed)
    url = reverse("outreach:landlord_outcomes")
    landlord.get(url)
    before = count_queries(lambda: landlord.get(url))
    second = services.create_list(
        organization=followed.world.org,
        program=followed.program,
        name="Emploi 2026",
        actor=followed.world.owner,
    )
    followed.outreach_list = second
    followed.load(csv_of(line("Z1"), line("Z2")))
    assert count_queries(lambda: landlord.get(url)) == before
    assert landlord.get(url).text.count("Parcours « Insertion professionnelle » ouverts") == 2


@pytest.mark.parametrize("persona", ["owner", "outsider"])
def test_other_organizations_see_none_of_the_landlords_figures(client, followed, persona):
    client.force_login(getattr(followed.world, persona))
    page = client.get(reverse("outreach:landlord_outcomes"))
    assert page.status_code == 200
    assert "Aucun de vos fichiers" in page.text and "À contacter" not in page.text


def test_anonymous_is_sent_to_the_login_page(client, followed):
    response = client.get(reverse("outreach:landlord_outcomes"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
