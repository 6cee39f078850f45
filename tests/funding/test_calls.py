"""A call for applications: published by the funder, an organization without an account asks for
access and is invited, applies with its documents before the closing second, reviewers score on
the grid (or declare a conflict), the funder ranks, decides and the winner gets its agreement."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ancrage.accounts.enums import OrganizationKind
from ancrage.accounts.models import Membership, Organization
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.territories import load_territories
from ancrage.funding import queries, services
from ancrage.funding.enums import ApplicationStatus
from ancrage.funding.models import AccessRequest, Application, ApplicationDocument, Call, Review
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import ProgramParticipant
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=2))  # summer time in April
OPENS = datetime.datetime(2026, 2, 1, 9, 0, tzinfo=PARIS)
CLOSES = datetime.datetime(2026, 4, 3, 18, 0, 0, tzinfo=PARIS)  # seed 000: 3 April 2026, 18:00
BEFORE = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def member(organization, role):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def pdf(name="budget.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def clea(db, settings, tmp_path):
    settings.DEMO = True
    settings.ANCRAGE_DOCUMENTS_DIR = str(tmp_path / "documents")
    load_territories(only_departements=["62", "59"])
    arras = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62041")
    lille = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="59350")
    pas_de_calais = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    funder = OrganizationFactory(name="Région (test)", kind=OrganizationKind.FUNDER, commune=arras)
    program = ProgramFactory(name="CLEA Pas-de-Calais")
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    manager = OrganizationFactory(
        name="Résidences Jeunes Actifs", kind=OrganizationKind.RESIDENCE_MANAGER, commune=arras
    )
    other_manager = OrganizationFactory(
        name="Gestionnaire du Nord", kind=OrganizationKind.RESIDENCE_MANAGER, commune=lille
    )
    decider = member(funder, "funder")
    reviewer, second_reviewer = member(funder, "read_only"), member(funder, "read_only")
    with time_machine.travel(datetime.datetime(2026, 1, 15, 10, tzinfo=PARIS), tick=False):
        call = services.create_call(
            funder=funder,
            program=program,
            title="Gestion de la résidence CLEA",
            text="Gérer une résidence de 60 logements pour apprentis.",
            envelope_cents=300_000_00,
            opens_at=OPENS,
            closes_at=CLOSES,
            criteria=[("Qualité du projet", 60, 5), ("Coût", 40, 10)],
            eligible_kinds=[OrganizationKind.RESIDENCE_MANAGER, OrganizationKind.ASSOCIATION],
            territory=pas_de_calais,
            required_documents=["Budget prévisionnel"],
            reviewers=[reviewer, second_reviewer],
            actor=decider,
        )
        services.publish_call(call=call, actor=decider)
    return {
        "call": call,
        "funder": funder,
        "program": program,
        "manager": manager,
        "other_manager": other_manager,
        "arras": arras,
        "decider": decider,
        "reviewer": reviewer,
        "second_reviewer": second_reviewer,
        "applicant": member(manager, "admin"),
        "applicant_reader": member(manager, "read_only"),
        "stranger": member(other_manager, "admin"),
    }


def ready_application(clea) -> Application:
    """The manager's complete draft, before the closing."""
    with time_machine.travel(BEFORE, tick=False):
        application = services.start_application(
            call=clea["call"], applicant=clea["manager"], actor=clea["applicant"]
        )
        services.save_application(
            application=application,
            project="Une équipe sur place deux jours par semaine.",
            amount_cents=100_000_00,
            actor=clea["applicant"],
        )
        services.add_application_document(
            application=application,
            label="Budget prévisionnel",
            upload=pdf(),
            actor=clea["applicant"],
        )
    return application


def test_a_submission_one_second_before_the_closing_lands(clea):
    application = ready_application(clea)
    with time_machine.travel(CLOSES - datetime.timedelta(seconds=1), tick=False):
        services.submit_application(application=application, actor=clea["applicant"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at == CLOSES - datetime.timedelta(seconds=1)


def test_a_submission_at_the_closing_second_is_refused_and_nothing_changes(clea):
    application = ready_application(clea)
    with (
        time_machine.travel(CLOSES, tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.submit_application(application=application, actor=clea["applicant"])
    assert refused.value.messages == [
        "L'appel est clos depuis le 03/04/2026 à 18:00:00 : plus aucun dépôt n'est possible."
    ]
    application.refresh_from_db()
    assert (application.status, application.submitted_at) == (ApplicationStatus.DRAFT, None)


def test_the_page_refuses_a_submission_at_the_closing_second_with_the_message(clea):
    application = ready_application(clea)
    client = client_of(clea["applicant"])
    with time_machine.travel(CLOSES, tick=False):
        response = client.post(
            reverse("calls:application_submit", args=[application.pk]), follow=True
        )
    assert "est clos depuis le 03/04/2026 à 18:00:00" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_missing_required_document_blocks_the_submission(clea):
    with time_machine.travel(BEFORE, tick=False):
        application = services.start_application(
            call=clea["call"], applicant=clea["manager"], actor=clea["applicant"]
        )
        services.save_application(
            application=application, project="Projet", amount_cents=1000, actor=clea["applicant"]
        )
        with pytest.raises(ValidationError) as refused:
            services.submit_application(application=application, actor=clea["applicant"])
    assert refused.value.message_dict["documents"] == ["Pièce manquante : Budget prévisionnel."]


def test_eligibility_kind_and_territory(clea):
    association_elsewhere = clea["other_manager"]
    cllaj = OrganizationFactory(kind=OrganizationKind.CLLAJ, commune=clea["arras"])
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(ValidationError, match="pas sur le territoire"):
            services.start_application(
                call=clea["call"], applicant=association_elsewhere, actor=clea["stranger"]
            )
        with pytest.raises(ValidationError, match="pas éligible"):
            services.start_application(
                call=clea["call"], applicant=cllaj, actor=member(cllaj, "admin")
            )
    assert not Application.objects.exists()


def submitted(clea) -> Application:
    application = ready_application(clea)
    with time_machine.travel(BEFORE, tick=False):
        services.submit_application(application=application, actor=clea["applicant"])
    return application


def criteria(clea):
    quality, cost = clea["call"].criteria.all()
    return quality, cost


def test_reviews_are_weighted_and_a_conflict_does_not_count(clea):
    application = submitted(clea)
    quality, cost = criteria(clea)
    with time_machine.travel(BEFORE, tick=False):
        services.review_application(
            application=application,
            conflict_of_interest=False,
            scores={quality.pk: 4, cost.pk: 5},
            actor=clea["reviewer"],
        )
        services.review_application(
            application=application,
            conflict_of_interest=True,
            scores={},
            actor=clea["second_reviewer"],
        )
    [entry] = queries.ranking(clea["call"])
    # (60 × 4/5 + 40 × 5/10) / 100 = 68/100; the conflicted reviewer is not counted.
    assert (entry.score, entry.reviews, entry.conflicts, entry.rank) == (68.0, 1, 1, 1)


@pytest.mark.parametrize(
    ("scores", "conflict", "message"),
    [
        ({"quality": 6, "cost": 5}, False, "La note de « Qualité du projet » va de 0 à 5."),
        ({"quality": 3}, False, "La note de « Coût » va de 0 à 10."),
        ({"quality": 3, "cost": -1}, False, "La note de « Coût » va de 0 à 10."),
        ({"quality": 3, "cost": 3}, True, "Un conflit d'intérêts déclaré exclut toute note."),
    ],
)
def test_a_score_outside_the_grid_is_refused_and_nothing_written(clea, scores, conflict, message):
    application = submitted(clea)
    quality, cost = criteria(clea)
    ids = {"quality": quality.pk, "cost": cost.pk}
    with (
        time_machine.travel(BEFORE, tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.review_application(
            application=application,
            conflict_of_interest=conflict,
            scores={ids[k]: v for k, v in scores.items()},
            actor=clea["reviewer"],
        )
    assert refused.value.message_dict["scores"] == [message]
    assert not Review.objects.exists()


def test_only_the_calls_reviewers_review(clea):
    application = submitted(clea)
    quality, cost = criteria(clea)
    with pytest.raises(PermissionDenied):
        services.review_application(
            application=application,
            conflict_of_interest=False,
            scores={quality.pk: 1, cost.pk: 1},
            actor=clea["decider"],
        )


def test_the_winner_joins_the_program_with_its_agreement_and_a_letter(clea):
    application = submitted(clea)
    with (
        time_machine.travel(CLOSES - datetime.timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError, match="après la clôture"),
    ):
        services.decide_application(application=application, selected=True, actor=clea["decider"])
    with time_machine.travel(CLOSES + datetime.timedelta(days=10), tick=False):
        services.decide_application(
            application=application,
            selected=True,
            granted_cents=90_000_00,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 8, 31),
            comment="Projet solide.",
            actor=clea["decider"],
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert (
        ProgramParticipant.objects.get(program=clea["program"], organization=clea["manager"]).role
        == ParticipantRole.PARTNER
    )
    agreement = application.agreement
    assert (agreement.funder, agreement.beneficiary) == (clea["funder"], clea["manager"])
    assert [a.amount_cents for a in agreement.amounts.all()] == [90_000_00, 90_000_00]
    assert Call.objects.get(pk=clea["call"].pk).decided_at is not None
    response = client_of(clea["applicant"]).get(
        reverse("calls:application_letter", args=[application.pk])
    )
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Votre candidature est retenue" in text
    assert "Résidences Jeunes Actifs" in text


def test_an_envelope_exceeded_is_refused_with_what_is_left(clea):
    application = submitted(clea)
    with (
        time_machine.travel(CLOSES + datetime.timedelta(days=1), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.decide_application(
            application=application,
            selected=True,
            granted_cents=200_000_00,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 8, 31),
            actor=clea["decider"],
        )
    assert "reste 300\u00a0000,00\u00a0€" in refused.value.message_dict["granted_cents"][0].replace(
        "\u202f", "\u00a0"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not ProgramParticipant.objects.filter(organization=clea["manager"]).exists()


def test_an_organization_without_account_asks_and_is_invited(
    clea, django_capture_on_commit_callbacks
):
    client = Client()
    url = reverse("calls:public_detail", args=[clea["call"].pk])
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert "Demander un accès pour candidater" in page.content.decode()
        response = client.post(
            url,
            {
                "organization_name": "Association Toit d'Abord",
                "kind": OrganizationKind.ASSOCIATION,
                "commune": "62041",
                "first_name": "Łucja",
                "last_name": "Nowak",
                "email": "lucja@example.org",
            },
        )
    assert response.status_code == 302
    access = AccessRequest.objects.get()
    decider = client_of(clea["decider"])
    with django_capture_on_commit_callbacks(execute=True):
        decider.post(
            reverse("calls:access_request_decide", args=[access.pk]), {"decision": "accept"}
        )
    [invitation] = [m for m in mail.outbox if m.to == ["lucja@example.org"]]
    assert "/compte/password/reset/key/" in invitation.body
    organization = Organization.objects.get(name="Association Toit d'Abord")
    assert Membership.objects.get(organization=organization).role == "admin"
    access.refresh_from_db()
    assert access.organization == organization


def test_a_bad_access_request_names_the_field_and_writes_nothing(clea):
    url = reverse("calls:public_detail", args=[clea["call"].pk])
    with time_machine.travel(BEFORE, tick=False):
        response = Client().post(
            url,
            {
                "organization_name": "x" * 500,
                "kind": OrganizationKind.CLLAJ,
                "commune": "nulle part",
                "first_name": "A",
                "last_name": "B",
                "email": "pas-un-email",
            },
        )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"organization_name", "kind", "commune", "email"}
    assert not AccessRequest.objects.exists()


def test_a_draft_call_is_not_public(clea):
    with time_machine.travel(datetime.datetime(2026, 1, 20, tzinfo=PARIS), tick=False):
        draft = services.create_call(
            funder=clea["funder"],
            program=clea["program"],
            title="Brouillon",
            text="…",
            envelope_cents=1000,
            opens_at=OPENS,
            closes_at=CLOSES,
            criteria=[("Projet", 1, 5)],
            actor=clea["decider"],
        )
    assert Client().get(reverse("calls:public_detail", args=[draft.pk])).status_code == 404
    assert draft not in queries.published_calls()


@pytest.mark.parametrize(
    "who", ["applicant", "applicant_reader", "stranger", "decider", "reviewer"]
)
def test_who_sees_an_application(clea, who):
    application = submitted(clea)
    response = client_of(clea[who]).get(reverse("calls:application_detail", args=[application.pk]))
    assert response.status_code == (404 if who == "stranger" else 200)


def test_a_draft_is_seen_by_its_organization_only(clea):
    application = ready_application(clea)
    url = reverse("calls:application_detail", args=[application.pk])
    assert client_of(clea["decider"]).get(url).status_code == 404
    assert client_of(clea["reviewer"]).get(url).status_code == 404
    assert client_of(clea["applicant"]).get(url).status_code == 200
    assert Client().get(url).status_code == 302


def test_a_document_too_big_or_not_a_pdf_is_refused_and_nothing_kept(clea, settings):
    application = ready_application(clea)
    client = client_of(clea["applicant"])
    url = reverse("calls:application_document_add", args=[application.pk])
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            url,
            {
                "label": "Budget prévisionnel",
                "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"),
            },
        )
    assert response.status_code == 400
    assert "Format refusé" in response.content.decode()
    assert ApplicationDocument.objects.count() == 1  # the one of the fixture


def test_the_api_runs_an_application_from_draft_to_decision(clea):
    applicant = token_client(clea["applicant"])
    with time_machine.travel(BEFORE, tick=False):
        created = applicant.post_json(reverse("api:application-list"), {"call": clea["call"].pk})
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        detail = reverse("api:application-detail", args=[pk])
        assert (
            applicant.patch_json(
                detail, {"project": "Projet", "amount_cents": 50_000_00}
            ).status_code
            == 200
        )
        upload = applicant.post(
            reverse("api:application-documents", args=[pk]),
            {"label": "Budget prévisionnel", "file": pdf()},
        )
        assert upload.status_code == 201, upload.content
    with time_machine.travel(CLOSES, tick=False):
        late = applicant.post_json(reverse("api:application-submit", args=[pk]), {})
    assert late.status_code == 400
    assert "clos depuis le 03/04/2026 à 18:00:00" in late.content.decode()
    with time_machine.travel(CLOSES - datetime.timedelta(seconds=1), tick=False):
        on_time = applicant.post_json(reverse("api:application-submit", args=[pk]), {})
    assert on_time.json()["status"] == "submitted"
    quality, cost = criteria(clea)
    reviewer = token_client(clea["reviewer"])
    with time_machine.travel(CLOSES + datetime.timedelta(days=1), tick=False):
        review = reviewer.post_json(
            reverse("api:application-review", args=[pk]),
            {"conflict_of_interest": False, "scores": {str(quality.pk): 5, str(cost.pk): 11}},
        )
        assert review.status_code == 400
        assert review.json()["scores"] == ["La note de « Coût » va de 0 à 10."]
        decided = token_client(clea["decider"]).post_json(
            reverse("api:application-decide", args=[pk]),
            {"selected": False, "comment": "Budget trop élevé."},
        )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "rejected"
    letter = applicant.get(reverse("api:application-letter", args=[pk]))
    assert letter.status_code == 200
    assert letter.content.startswith(b"%PDF")


def test_access_requests_are_forgotten_after_a_year(clea):
    from ancrage.funding import notices

    with time_machine.travel(BEFORE, tick=False):
        services.request_access(
            call=clea["call"],
            organization_name="Association",
            kind=OrganizationKind.ASSOCIATION,
            commune=clea["arras"],
            first_name="Ana",
            last_name="Lima",
            email="ana@example.org",
        )
    assert notices.forget_old_access_requests(BEFORE + datetime.timedelta(days=364)) == 0
    assert notices.forget_old_access_requests(BEFORE + datetime.timedelta(days=366)) == 1
    assert not AccessRequest.objects.exists()


def test_the_api_serves_and_removes_a_document_of_the_draft(clea):
    application = ready_application(clea)
    document = application.documents.get()
    url = reverse("api:application-document", args=[application.pk, document.pk])
    assert token_client(clea["applicant_reader"]).get(url).content == PDF
    assert token_client(clea["stranger"]).get(url).status_code == 404
    with time_machine.travel(BEFORE, tick=False):
        assert token_client(clea["applicant_reader"]).delete(url).status_code == 403
        assert token_client(clea["applicant"]).delete(url).status_code == 204
    assert not application.documents.exists()


def test_the_call_pages_read_a_constant_number_of_queries(clea, count_queries):
    submitted(clea)
    decider = client_of(clea["decider"])
    detail = reverse("calls:call_detail", args=[clea["call"].pk])
    public = reverse("calls:public_list")
    with time_machine.travel(BEFORE, tick=False):
        decider.get(detail)
        before = (
            count_queries(lambda: decider.get(detail)),
            count_queries(lambda: Client().get(public)),
        )
        for index in range(3):
            organization = OrganizationFactory(
                kind=OrganizationKind.ASSOCIATION, commune=clea["arras"], name=f"Asso {index}"
            )
            writer = member(organization, "admin")
            application = services.start_application(
                call=clea["call"], applicant=organization, actor=writer
            )
            services.save_application(
                application=application, project="P", amount_cents=100, actor=writer
            )
            services.add_application_document(
                application=application, label="Budget prévisionnel", upload=pdf(), actor=writer
            )
            services.submit_application(application=application, actor=writer)
            services.request_access(
                call=clea["call"],
                organization_name=f"Demande {index}",
                kind=OrganizationKind.ASSOCIATION,
                commune=clea["arras"],
                first_name="A",
                last_name="B",
                email=f"a{index}@example.org",
            )
        after = (
            count_queries(lambda: decider.get(detail)),
            count_queries(lambda: Client().get(public)),
        )
    assert after == before


def test_the_followed_calls_list_reads_a_constant_number_of_queries(clea, count_queries):
    reviewer = client_of(clea["reviewer"])
    url = reverse("calls:call_list")
    reviewer.get(url)
    before = count_queries(lambda: reviewer.get(url))
    with time_machine.travel(datetime.datetime(2026, 1, 20, tzinfo=PARIS), tick=False):
        for index in range(3):
            services.create_call(
                funder=clea["funder"],
                program=clea["program"],
                title=f"Appel {index}",
                text="…",
                envelope_cents=1000,
                opens_at=OPENS,
                closes_at=CLOSES,
                criteria=[("Projet", 1, 5)],
                reviewers=[clea["reviewer"]],
                actor=clea["decider"],
            )
    response = reviewer.get(url)
    assert [c.title for c, _state in response.context["calls"]].count("Appel 0") == 1
    assert count_queries(lambda: reviewer.get(url)) == before
