"""The yearly satisfaction survey of a residence: prepared by its managers, answered without an
account, anonymous. The answers are written with no actor and no request attached (the audit
trail records surveys and questions, never the answers)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.housing.models import (
    MAX_QUESTIONS,
    QuestionKind,
    Residence,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User

DEFAULT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("Êtes-vous satisfait·e de votre logement ?", QuestionKind.SCALE),
    ("Êtes-vous satisfait·e des espaces communs (salle, jardin, laverie) ?", QuestionKind.SCALE),
    ("Êtes-vous satisfait·e des activités proposées ?", QuestionKind.SCALE),
    ("Êtes-vous satisfait·e de la présence et de l'écoute du personnel ?", QuestionKind.SCALE),
    ("Vous sentez-vous en sécurité dans la résidence ?", QuestionKind.SCALE),
    ("Avez-vous noué des liens avec d'autres résident·es ?", QuestionKind.YES_NO),
    ("Recommanderiez-vous la résidence à un proche ?", QuestionKind.YES_NO),
)


def _clean_questions(questions: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = [((text or "").strip(), kind) for text, kind in questions]
    cleaned = [(text, kind) for text, kind in cleaned if text]
    if not cleaned:
        raise ValidationError({"questions": _("Posez au moins une question.")})
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("%(max)s questions au plus.") % {"max": MAX_QUESTIONS}}
        )
    for number, (text, kind) in enumerate(cleaned, start=1):
        if kind not in QuestionKind.values:
            raise ValidationError(
                {"questions": _("Question %(n)s : type de réponse inconnu.") % {"n": number}}
            )
        if len(text) > 200:
            raise ValidationError(
                {"questions": _("Question %(n)s : 200 caractères au plus.") % {"n": number}}
            )
    return cleaned


def _write_questions(survey: Survey, questions: list[tuple[str, str]]) -> None:
    survey.questions.all().delete()
    for position, (text, kind) in enumerate(questions, start=1):
        SurveyQuestion.objects.create(survey=survey, position=position, text=text, kind=kind)


def create_survey(
    *,
    residence: Residence,
    actor: User,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    title: str = "",
    questions: Iterable[tuple[str, str]] | None = None,
) -> Survey:
    """The residence's survey of ``year``, with the standard questions unless others are given."""
    require(actor, "housing.manage", residence.organization_id)
    cleaned = _clean_questions(DEFAULT_QUESTIONS if questions is None else questions)
    survey = Survey(
        organization_id=residence.organization_id,
        residence=residence,
        year=year,
        title=(title or "").strip() or _("Enquête de satisfaction des résident·es"),
        opens_on=opens_on,
        closes_on=closes_on,
        token=secrets.token_urlsafe(32),
    )
    _check_dates(survey)
    survey.full_clean()
    with acting_as(actor), transaction.atomic():
        survey.save()
        _write_questions(survey, cleaned)
    return survey


def _check_dates(survey: Survey) -> None:
    if survey.opens_on and survey.closes_on:
        if survey.closes_on < survey.opens_on:
            raise ValidationError({"closes_on": _("La fermeture suit l'ouverture.")})
        if (survey.closes_on - survey.opens_on).days > 366:
            raise ValidationError({"closes_on": _("Une enquête reste ouverte un an au plus.")})
        if not 2000 <= survey.opens_on.year <= 2100:
            raise ValidationError({"opens_on": _("Date invraisemblable.")})


def update_survey(
    *,
    survey: Survey,
    actor: User,
    title: Maybe[str] = UNSET,
    opens_on: Maybe[datetime.date] = UNSET,
    closes_on: Maybe[datetime.date] = UNSET,
    questions: Maybe[Iterable[tuple[str, str]]] = UNSET,
) -> Survey:
    """Change the dates or the title; the questions only while nobody has answered."""
    require(actor, "housing.manage", survey.organization_id)
    cleaned = None
    if questions is not UNSET:
        cleaned = _clean_questions(questions)
        if cleaned == [(q.text, q.kind) for q in survey.questions.all()]:
            cleaned = None  # the same questions sent back with the dates: nothing to change
        elif survey.responses.exists():
            raise ValidationError(
                {
                    "questions": _(
                        "Des résident·es ont déjà répondu : les questions ne changent plus."
                    )
                }
            )
    assign(survey, title=title, opens_on=opens_on, closes_on=closes_on)
    _check_dates(survey)
    survey.full_clean()
    with acting_as(actor), transaction.atomic():
        survey.save()
        if cleaned is not None:
            _write_questions(survey, cleaned)
    return survey


def renew_link(*, survey: Survey, actor: User) -> Survey:
    """A new answer link (the old one stops working): when it went further than the residents."""
    require(actor, "housing.manage", survey.organization_id)
    survey.token = secrets.token_urlsafe(32)
    with acting_as(actor), transaction.atomic():
        survey.save(update_fields=["token", "updated_at"])
    return survey


def submit_answers(
    *, survey: Survey, answers: Mapping[int, int], today: datetime.date
) -> SurveyResponse:
    """One resident's answers (question id → value), anonymous; a question may be left out."""
    if not survey.is_open_on(today):
        raise ValidationError(_("Cette enquête n'est pas ouverte aujourd'hui."))
    questions = {question.pk: question for question in survey.questions.all()}
    if not answers:
        raise ValidationError(_("Répondez à au moins une question."))
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(_("Question inconnue."))
        allowed = (1, 2, 3, 4) if question.kind == QuestionKind.SCALE else (0, 1)
        if value not in allowed:
            raise ValidationError(
                {f"q{question.position}": _("Choisissez une des réponses proposées.")}
            )
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, answered_on=today)
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question_id=question_id, value=value)
                for question_id, value in answers.items()
            )
    except IntegrityError:  # pragma: no cover - the survey was deleted meanwhile
        raise ValidationError(_("Cette enquête n'existe plus.")) from None
    return response
