"""The residents' yearly survey: prepared and read by the residence's team, answered without an
account through its link (or on a tablet at the residence: the form comes back empty)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.core.forms import add_service_errors
from ancrage.housing import services
from ancrage.housing.forms import SurveyAnswerForm, SurveyForm, questions_text
from ancrage.housing.models import Survey
from ancrage.housing.queries import get_residence_for_user, survey_results
from ancrage.housing.views.residences import render_residence


def _survey(request, residence_id, survey_id, *, write=False) -> Survey:
    residence = get_residence_for_user(request.user, residence_id, write=write)
    return get_object_or_404(Survey, pk=survey_id, residence=residence)


def _render_survey(request, survey, *, form=None, status=200):
    can_write = can(request.user, "housing.manage", survey)
    questions = list(survey.questions.all())
    if can_write and form is None:
        form = SurveyForm(
            editing=True,
            initial={
                "title": survey.title,
                "opens_on": survey.opens_on,
                "closes_on": survey.closes_on,
                "questions": questions_text(questions),
            },
        )
    link = request.build_absolute_uri(reverse("survey:answer", args=[survey.token]))
    return render(
        request,
        "housing/survey_detail.html",
        {
            "survey": survey,
            "residence": survey.residence,
            "questions": questions,
            "results": survey_results(survey),
            "link": link,
            "is_open": survey.is_open_on(timezone.localdate()),
            "form": form if can_write else None,
            "can_write": can_write,
        },
        status=status,
    )


@require_POST
def survey_add(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = SurveyForm(request.POST, prefix="survey")
    if form.is_valid():
        try:
            survey = services.create_survey(
                residence=residence, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Enquête créée : partagez son lien aux résident·es."))
            return redirect("housing:survey_detail", residence.pk, survey.pk)
    return render_residence(request, residence, survey_form=form, status=400)


@require_http_methods(["GET"])
def survey_detail(request, residence_id, survey_id):
    return _render_survey(request, _survey(request, residence_id, survey_id))


@require_POST
def survey_edit(request, residence_id, survey_id):
    survey = _survey(request, residence_id, survey_id, write=True)
    form = SurveyForm(request.POST, editing=True)
    if form.is_valid():
        values = dict(form.cleaned_data)
        if values["questions"] is None:  # left empty: the questions stay as they are
            values.pop("questions")
        try:
            services.update_survey(survey=survey, actor=request.user, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Enquête enregistrée."))
            return redirect("housing:survey_detail", residence_id, survey.pk)
    survey.refresh_from_db()
    return _render_survey(request, survey, form=form, status=400)


@require_POST
def survey_renew_link(request, residence_id, survey_id):
    survey = _survey(request, residence_id, survey_id, write=True)
    services.renew_link(survey=survey, actor=request.user)
    messages.success(request, _("Nouveau lien créé : l'ancien ne fonctionne plus."))
    return redirect("housing:survey_detail", residence_id, survey.pk)


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The public answer page: no account, nothing kept about who answers."""
    survey = Survey.objects.select_related("residence").filter(token=token).first()
    if survey is None:
        return render(request, "housing/survey_closed.html", {"survey": None}, status=404)
    today = timezone.localdate()
    if not survey.is_open_on(today):
        return render(request, "housing/survey_closed.html", {"survey": survey}, status=410)
    kiosk = request.GET.get("borne") == "1"
    form = SurveyAnswerForm(request.POST if request.method == "POST" else None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_answers(survey=survey, answers=form.answers(), today=today)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if kiosk:
                messages.success(request, _("Merci ! Vos réponses sont enregistrées."))
                return redirect(reverse("survey:answer", args=[token]) + "?borne=1")
            return render(request, "housing/survey_thanks.html", {"survey": survey})
    return render(
        request,
        "housing/survey_answer.html",
        {"survey": survey, "form": form, "kiosk": kiosk},
        status=400 if form.errors else 200,
    )
