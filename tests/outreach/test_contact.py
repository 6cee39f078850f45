"""Reaching a target: attempts set its status, consent comes before a file, the file is a person
(duplicates checked) with a typed enrollment, campaigns print letters and record them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ancrage.outreach import services
from ancrage.outreach.models import Attempt, Prospect
from ancrage.people.models import Person
from ancrage.people.services import PossibleDuplicate
from ancrage.support.models import Enrollment
from tests.outreach.conftest import csv_of, line
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def target(outreach, time_machine):
    time_machine.move_to("2026-03-02 10:00 +01:00")
    outreach.load(csv_of(line("A", nom="Lefèvre", prenom="Hélène", telephone="06 12 34 56 78")))
    segment = services.save_segment(
        outreach_list=outreach.outreach_list, name="Tous", min_score=0, actor=outreach.world.owner
    )
    services.add_assignment(
        outreach_list=outreach.outreach_list,
        segment=segment,
        assignee=outreach.association,
        actor=outreach.world.owner,
    )
    return Prospect.objects.get(tenant_ref="A")


def test_the_assignees_member_calls_records_consent_and_opens_a_typed_file(outreach, target):
    volunteer = outreach.volunteer
    services.record_attempt(
        prospect=target, channel="call", outcome="unreachable", occurred_on=DAY, actor=volunteer
    )
    services.record_attempt(
        prospect=target, channel="call", outcome="interested", occurred_on=DAY, actor=volunteer
    )
    assert Prospect.objects.get(pk=target.pk).status == "interested"
    with pytest.raises(ValidationError, match="accord"):
        services.convert_prospect(prospect=target, pathway="adaptation", actor=volunteer)
    assert not Person.objects.exists()
    services.record_consent(prospect=target, on=DAY, actor=volunteer)
    services.convert_prospect(prospect=target, pathway="adaptation", actor=volunteer)
    target.refresh_from_db()
    assert target.status == "converted"
    person = target.person
    assert (person.last_name, person.first_name, person.organization) == (
        "Lefèvre",
        "Hélène",
        outreach.association,
    )
    assert person.commune == outreach.arras
    enrollment = Enrollment.objects.get(person=person)
    assert (enrollment.pathway, enrollment.program) == ("adaptation", outreach.program)
    assert list(Attempt.objects.values_list("organization", flat=True)) == [
        outreach.association.pk,
        outreach.association.pk,
    ]
    with pytest.raises(ValidationError, match="déjà accompagnée"):
        services.record_attempt(
            prospect=target, channel="call", outcome="refused", occurred_on=DAY, actor=volunteer
        )


def test_a_look_alike_person_stops_the_conversion_until_confirmed(outreach, target):
    known = PersonFactory(
        organization=outreach.association,
        last_name="Lefevre",
        first_name="Helene",
        birth_date=datetime.date(1948, 6, 1),
    )
    # Same name, another year: not a look-alike.
    PersonFactory(
        organization=outreach.association,
        last_name="Lefèvre",
        first_name="Hélène",
        birth_date=datetime.date(1990, 6, 1),
    )
    services.record_consent(prospect=target, on=DAY, actor=outreach.volunteer)
    with pytest.raises(PossibleDuplicate) as raised:
        services.convert_prospect(prospect=target, pathway="insertion", actor=outreach.volunteer)
    assert raised.value.candidates == [known]
    assert Person.objects.count() == 2 and not Enrollment.objects.exists()
    with pytest.raises(ValidationError, match="1948"):
        services.convert_prospect(
            prospect=target,
            pathway="insertion",
            birth_date=datetime.date(1950, 1, 1),
            confirmed_not_duplicate=True,
            actor=outreach.volunteer,
        )
    services.convert_prospect(
        prospect=target,
        pathway="insertion",
        birth_date=datetime.date(1948, 6, 2),
        confirmed_not_duplicate=True,
        actor=outreach.volunteer,
    )
    assert Person.objects.count() == 3
    assert Prospect.objects.get(pk=target.pk).person.birth_date == datetime.date(1948, 6, 2)


def test_people_outside_the_operator_and_assignee_cannot_reach_a_target(outreach, target):
    with pytest.raises(PermissionDenied):
        services.record_attempt(
            prospect=target,
            channel="call",
            outcome="refused",
            occurred_on=DAY,
            actor=outreach.world.colleague,
        )
    with pytest.raises(PermissionDenied):
        services.record_consent(prospect=target, on=DAY, actor=outreach.world.outsider)
    assert not Attempt.objects.exists()


def test_bad_dates_and_outcomes_are_refused_and_nothing_is_written(outreach, target):
    with pytest.raises(ValidationError, match="futur"):
        services.record_attempt(
            prospect=target,
            channel="call",
            outcome="contacted",
            occurred_on=DAY + datetime.timedelta(days=1),
            actor=outreach.volunteer,
        )
    with pytest.raises(ValidationError, match="Résultat inconnu"):
        services.record_attempt(
            prospect=target,
            channel="call",
            outcome="converted",
            occurred_on=DAY,
            actor=outreach.volunteer,
        )
    assert not Attempt.objects.exists()
    assert Prospect.objects.get(pk=target.pk).status == "to_contact"


def test_a_campaign_prints_one_letter_per_target_and_records_them(outreach, target):
    import io

    from pypdf import PdfReader

    from ancrage.outreach.letters import letters_pdf
    from ancrage.outreach.services.contact import letter_recipients

    outreach.load(
        csv_of(line("A", nom="Lefèvre", prenom="Hélène"), line("B", nom="Œillet", prenom="Łucja"))
    )
    campaign = services.create_campaign(
        outreach_list=outreach.outreach_list,
        name="Courrier de mars",
        starts_on=DAY,
        letter="Bonjour {prenom} {nom},\n\nNous vous appellerons.",
        actor=outreach.world.owner,
    )
    recipients = list(letter_recipients(campaign))
    reader = PdfReader(io.BytesIO(letters_pdf(campaign, recipients)))
    assert len(reader.pages) == 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Bonjour Hélène Lefèvre" in text and "Łucja Œillet" in text
    assert "3 rue des Lilas" in text
    assert services.record_letters(campaign=campaign, sent_on=DAY, actor=outreach.world.owner) == 2
    assert set(Prospect.objects.values_list("status", flat=True)) == {"contacted"}
    # Sent: nobody is left to write to.
    assert services.record_letters(campaign=campaign, sent_on=DAY, actor=outreach.world.owner) == 0


def test_do_not_contact_survives_the_next_file(outreach, target):
    services.record_attempt(
        prospect=target,
        channel="call",
        outcome="do_not_contact",
        occurred_on=DAY,
        actor=outreach.volunteer,
    )
    job = outreach.load(csv_of(line("A", nom="Lefèvre", prenom="Hélène", etage="5")))
    target.refresh_from_db()
    assert target.status == "do_not_contact"
    assert target.floor == 3  # not rewritten either
    assert job.counts["updated"] == 0
