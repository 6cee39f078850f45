"""The residents' yearly survey: answered without an account, anonymous by construction, and
shown only as aggregates once at least 11 residents answered."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.housing import services
from ancrage.housing.models import Survey, SurveyAnswer, SurveyResponse
from ancrage.housing.queries import survey_results
from tests.api.clients import token_client
from tests.housing.factories import ResidenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    today = timezone.localdate()
    return services.create_survey(
        residence=ResidenceFactory(organization=world.org, name="Maison du Lien"),
        actor=world.owner,
        year=today.year,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )


def answer_url(survey):
    return reverse("survey:answer", args=[survey.token])


def answers(survey, values):
    """The answer page's POST: ``values`` by question position (1-based)."""
    return {f"q{position}": str(value) for position, value in values.items()}


def test_the_standard_questions_and_the_limit_of_ten(world, survey):
    assert [q.kind for q in survey.questions.all()] == ["scale"] * 5 + ["yes_no"] * 2
    residence = survey.residence
    with pytest.raises(ValidationError) as exc:
        services.create_survey(
            residence=residence,
            actor=world.owner,
            year=survey.year + 1,
            opens_on=survey.opens_on,
            closes_on=survey.closes_on,
            questions=[(f"Question {n}", "scale") for n in range(11)],
        )
    assert "10 questions au plus" in exc.value.message_dict["questions"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_survey(
            residence=residence,
            actor=world.owner,
            year=survey.year,
            opens_on=survey.opens_on,
            closes_on=survey.closes_on,
        )
    assert "déjà son enquête de cette année" in str(exc.value)
    assert Survey.objects.count() == 1


def test_a_resident_answers_without_an_account_and_nothing_says_who(world, survey):
    anonymous = Client(REMOTE_ADDR="203.0.113.9")
    page = anonymous.get(answer_url(survey))
    assert page.status_code == 200
    assert "C'est anonyme" in page.text
    events_before = AuditEvent.objects.count()
    sent = anonymous.post(answer_url(survey), answers(survey, {1: 4, 2: 3, 6: 1}))
    assert sent.status_code == 200 and "Merci" in sent.text
    response = SurveyResponse.objects.get()
    assert response.answered_on == timezone.localdate()
    assert sorted(SurveyAnswer.objects.values_list("value", flat=True)) == [1, 3, 4]
    # No person, no time of day, no address kept; the trail holds nothing of it.
    field_names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert field_names == {"id", "survey", "answered_on", "answers"}
    answer_types = ContentType.objects.get_for_models(SurveyResponse, SurveyAnswer).values()
    assert not AuditEvent.objects.filter(content_type__in=list(answer_types)).exists()
    assert AuditEvent.objects.count() == events_before
    assert "203.0.113.9" not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_the_tablet_comes_back_empty_for_the_next_resident(survey):
    tablet = Client()
    sent = tablet.post(answer_url(survey) + "?borne=1", answers(survey, {1: 2}))
    assert sent.status_code == 302 and sent.url.endswith("?borne=1")
    assert "Merci ! Vos réponses sont enregistrées." in tablet.get(sent.url).text
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_and_closed_links_write_nothing(world, survey):
    anonymous = Client()
    empty = anonymous.post(answer_url(survey), {})
    assert empty.status_code == 400 and "Répondez à au moins une question" in empty.text
    wrong = anonymous.post(answer_url(survey), {"q1": "9", "q6": "x" * 10_000})
    assert wrong.status_code == 400 and "Sélectionnez un choix valide" in wrong.text
    assert anonymous.get(reverse("survey:answer", args=["inconnu"])).status_code == 404
    services.update_survey(
        survey=survey,
        actor=world.owner,
        opens_on=survey.opens_on - datetime.timedelta(days=40),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    closed = anonymous.post(answer_url(survey), answers(survey, {1: 4}))
    assert closed.status_code == 410 and "Cette enquête est fermée" in closed.text
    old = survey.token
    services.update_survey(
        survey=survey,
        actor=world.owner,
        closes_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    services.renew_link(survey=survey, actor=world.owner)
    assert anonymous.get(reverse("survey:answer", args=[old])).status_code == 404
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_ten_answers_show_no_breakdown_eleven_do(client, world, survey):
    anonymous = Client()
    # Question 1: six « 4 » and five « 3 »; question 6 (yes/no): seven « oui », four « non ».
    for n in range(11):
        values = {1: 4 if n < 6 else 3, 6: 1 if n < 7 else 0}
        if n == 10:
            client.force_login(world.owner)
            page = client.get(
                reverse("housing:survey_detail", args=[survey.residence_id, survey.pk])
            )
            assert "Moins de 11 réponses : aucun détail" in page.text
            assert survey_results(survey).questions == []
        assert anonymous.post(answer_url(survey), answers(survey, values)).status_code == 200
    results = survey_results(survey)
    first, sixth = results.questions[0], results.questions[5]
    assert (results.responses, first.answered, round(first.mean, 4)) == (11, 11, 3.5455)
    assert [round(s, 1) for s in first.shares] == [0.0, 0.0, 45.5, 54.5]
    assert sixth.mean is None and round(sixth.shares[0], 1) == 63.6
    page = client.get(reverse("housing:survey_detail", args=[survey.residence_id, survey.pk]))
    assert "3,5" in page.text and "oui : 64 %" in page.text


def test_questions_do_not_change_once_someone_answered(world, survey):
    Client().post(answer_url(survey), answers(survey, {1: 4}))
    with pytest.raises(ValidationError) as exc:
        services.update_survey(survey=survey, actor=world.owner, questions=[("Autre ?", "scale")])
    assert "ne changent plus" in exc.value.message_dict["questions"][0]
    assert survey.questions.count() == 7
    # The same questions sent back with new dates (the edit form does so) change only the dates.
    same = [(q.text, q.kind) for q in survey.questions.all()]
    later = survey.closes_on + datetime.timedelta(days=7)
    services.update_survey(survey=survey, actor=world.owner, questions=same, closes_on=later)
    survey.refresh_from_db()
    assert survey.closes_on == later and survey.questions.count() == 7


def test_pages_as_owner_colleague_outsider_anonymous(client, world, survey):
    detail = reverse("housing:survey_detail", args=[survey.residence_id, survey.pk])
    edit = reverse("housing:survey_edit", args=[survey.residence_id, survey.pk])
    client.force_login(world.owner)
    changed = client.post(
        edit,
        {
            "title": "Votre avis",
            "opens_on": survey.opens_on.isoformat(),
            "closes_on": survey.closes_on.isoformat(),
            "questions": "Le jardin vous plaît-il ?\nVenez-vous aux ateliers ? (oui/non)",
        },
    )
    assert changed.status_code == 302
    assert [(q.text, q.kind) for q in survey.questions.all()] == [
        ("Le jardin vous plaît-il ?", "scale"),
        ("Venez-vous aux ateliers ?", "yes_no"),
    ]
    bad = client.post(edit, {"title": "x", "opens_on": "2027-02-30", "closes_on": ""})
    assert bad.status_code == 400
    survey.refresh_from_db()
    assert survey.title == "Votre avis"
    client.force_login(world.colleague)
    assert client.get(detail).status_code == 200
    assert client.post(edit, {}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(detail).status_code == 404
    client.logout()
    assert client.get(detail).status_code == 302


def test_the_api_prepares_a_survey_and_reads_its_aggregates(world):
    residence = ResidenceFactory(organization=world.org)
    api = token_client(world.owner)
    today = timezone.localdate()
    created = api.post_json(
        "/api/v1/surveys/",
        {
            "residence": residence.pk,
            "year": today.year,
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=10)).isoformat(),
            "questions": [{"text": "Satisfait·e ?", "kind": "scale"}],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["results"] == {"responses": 0, "threshold": 11, "withheld": True, "questions": []}
    refused = api.post_json(
        "/api/v1/surveys/",
        {
            "residence": residence.pk,
            "year": today.year + 1,
            "opens_on": today.isoformat(),
            "closes_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert refused.status_code == 400 and "closes_on" in refused.json()
    assert (
        token_client(world.colleague)
        .patch_json(f"/api/v1/surveys/{body['id']}/", {"title": "x"})
        .status_code
        == 403
    )
    assert token_client(world.outsider).get(f"/api/v1/surveys/{body['id']}/").status_code == 404
    assert Client().get(f"/api/v1/surveys/{body['id']}/").status_code == 401
    assert Survey.objects.count() == 1
