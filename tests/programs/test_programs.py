import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ancrage.support import services
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_an_enrollment_counts_in_a_program_the_organization_supports(world):
    participation = ParticipantFactory(organization=world.org)
    enrollment = services.open_enrollment(
        person=PersonFactory(organization=world.org),
        referent=world.owner,
        requested_on=TODAY,
        program=participation.program,
        actor=world.owner,
    )
    assert enrollment.program == participation.program


@pytest.mark.parametrize("role", ["funder", None])
def test_a_program_the_organization_only_funds_or_ignores_is_refused(world, role):
    program = ProgramFactory()
    if role:
        ParticipantFactory(program=program, organization=world.org, role=role)
    with pytest.raises(ValidationError) as exc:
        services.open_enrollment(
            person=PersonFactory(organization=world.org),
            referent=world.owner,
            requested_on=TODAY,
            program=program,
            actor=world.owner,
        )
    assert "ne porte pas ce dispositif" in exc.value.message_dict["program"][0]


def test_a_program_that_has_ended_is_refused(world):
    program = ProgramFactory(ends_on=TODAY - datetime.timedelta(days=1))
    ParticipantFactory(program=program, organization=world.org)
    with pytest.raises(ValidationError, match="pas en cours"):
        services.open_enrollment(
            person=PersonFactory(organization=world.org),
            referent=world.owner,
            requested_on=TODAY,
            program=program,
            actor=world.owner,
        )


def test_the_request_form_offers_the_only_program_and_saves_it(client, world):
    participation = ParticipantFactory(organization=world.org, program__name="Action CLLAJ 2026")
    ProgramFactory(name="Dispositif d'une autre structure")
    person = PersonFactory(organization=world.org)
    client.force_login(world.owner)
    url = reverse("support:enrollment_open", args=[person.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["program"].queryset) == [participation.program]
    assert form.initial["program"] == participation.program.pk
    response = client.post(
        url,
        {
            "program": participation.program.pk,
            "referent": world.owner.pk,
            "requested_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Action CLLAJ 2026" in page.text


def test_program_page_lists_the_organizations_programs_only(client, world):
    mine = ParticipantFactory(organization=world.org, program__name="Action CLLAJ 2026")
    ParticipantFactory(program=mine.program, organization=world.other_org, role="funder")
    ParticipantFactory(organization=world.other_org, program__name="Programme lyonnais")
    client.force_login(world.owner)
    page = client.get(reverse("programs:program_list"))
    assert "Action CLLAJ 2026" in page.text
    assert "Toit Partagé Rhône" in page.text  # the funder, a participant of our program
    assert "Programme lyonnais" not in page.text


def test_api_filters_enrollments_by_program(client, world):
    participation = ParticipantFactory(organization=world.org)
    inside = services.open_enrollment(
        person=PersonFactory(organization=world.org),
        referent=world.owner,
        requested_on=TODAY,
        program=participation.program,
        actor=world.owner,
    )
    services.open_enrollment(
        person=PersonFactory(organization=world.org),
        referent=world.owner,
        requested_on=TODAY,
        actor=world.owner,
    )
    client.force_login(world.owner)
    data = client.get(reverse("api:enrollment-list"), {"program": participation.program.pk}).json()
    assert [e["id"] for e in data["results"]] == [inside.pk]
    assert data["results"][0]["program"] == participation.program.pk


def test_the_programs_api_lists_those_of_the_users_organizations(world):
    from tests.api.clients import token_client
    from tests.programs.factories import ParticipantFactory

    mine = ParticipantFactory(organization=world.org, program__name="Action CLLAJ Artois")
    ParticipantFactory(program=mine.program, organization=world.other_org, role="funder")
    ParticipantFactory(organization=world.other_org, program__name="Ailleurs")
    rows = token_client(world.owner).get("/api/v1/programs/").json()["results"]
    assert [row["name"] for row in rows] == ["Action CLLAJ Artois"]
    assert {p["role"] for p in rows[0]["participants"]} == {"operator", "funder"}
    assert (
        token_client(world.outsider).get(f"/api/v1/programs/{mine.program_id}/").status_code == 200
    )
    stranger = ParticipantFactory(organization=world.other_org).program_id
    assert token_client(world.owner).get(f"/api/v1/programs/{stranger}/").status_code == 404
