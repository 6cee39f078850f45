from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, require
from ancrage.core.listing import list_page
from ancrage.people.queries import get_person_for_user
from ancrage.support import queries, services
from ancrage.support.forms import ReferralDecisionForm, ReferralFilterForm, ReferralForm
from ancrage.support.models import Assessment, Referral


def _get_referral(user, referral_id) -> Referral:
    try:
        return (
            Referral.objects.visible_to(user)
            .select_related(
                "sender", "receiver", "person", "sent_by", "decided_by", "receiver_enrollment"
            )
            .get(pk=int(referral_id))
        )
    except (Referral.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def referral_create(request, person_id):
    person = get_person_for_user(request.user, person_id, write=True)
    initial: dict[str, object] = {"consent_on": timezone.localdate()}
    if request.GET.get("structure", "").isdigit():
        initial["receiver"] = int(request.GET["structure"])  # chosen in the partner directory
    form = ReferralForm(request.POST or None, sender=person.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.send_referral(
                person=person, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Orientation envoyée à %(receiver)s.") % {"receiver": referral.receiver}
            )
            return redirect("support:referral_detail", referral.pk)
    return render(request, "support/referral_form.html", {"person": person, "form": form})


@require_GET
def referral_list(request):
    """Referrals sent and received by the current organization, one list: filters by direction,
    state and period, sorted by a click, exported as filtered."""
    organization = request.membership.organization
    filters = ReferralFilterForm(request.GET or None)
    valid = not filters.is_bound or filters.is_valid()
    referrals = (
        Referral.objects.visible_to(request.user)
        .filter(Q(sender=organization) | Q(receiver=organization))
        .select_related("sender", "receiver", "person")
        .annotate(
            direction=Case(When(sender=organization, then=Value(1)), default=Value(0)),
            partner_name=Case(
                When(sender=organization, then=F("receiver__name")), default=F("sender__name")
            ),
        )
    )
    if filters.is_bound and valid:
        data = filters.cleaned_data
        if data["direction"] == "received":
            referrals = referrals.filter(receiver=organization)
        elif data["direction"] == "sent":
            referrals = referrals.filter(sender=organization)
        if data["status"]:
            referrals = referrals.filter(status=data["status"])
        referrals = filters.in_period(referrals, "sent_on")
    return list_page(
        request,
        "support/referral_list.html",
        referrals,
        queries.referral_columns(organization.pk),
        default="-date",
        export_only=queries.REFERRAL_EXPORT_ONLY,
        model=Referral,
        organization_of=lambda _referral: organization.pk,
        name="orientations",
        title=_("Orientations"),
        valid=valid,
        context={"filters": filters, "organization": organization},
    )


@require_GET
def referral_detail(request, referral_id):
    referral = _get_referral(request.user, referral_id)
    is_receiver = can(request.user, "organization.view", referral.receiver_id)
    can_decide = (
        is_receiver
        and can(request.user, "support.record", referral.receiver_id)
        and referral.status == "sent"
    )
    return render(
        request,
        "support/referral_detail.html",
        {
            "referral": referral,
            "is_receiver": is_receiver,
            "is_sender": can(request.user, "organization.view", referral.sender_id),
            "decision_form": ReferralDecisionForm() if can_decide else None,
            "joint_assessed_on": _joint_assessed_on(referral),
        },
    )


def _joint_assessed_on(referral):
    """The date of the joint assessment, if done: both sides see that it happened, not its content."""
    if not referral.joint_assessment or referral.receiver_enrollment_id is None:
        return None
    return (
        Assessment.objects.filter(
            enrollment_id=referral.receiver_enrollment_id, joint_with_id=referral.sender_id
        )
        .order_by("assessed_on")
        .values_list("assessed_on", flat=True)
        .first()
    )


@require_POST
def referral_decide(request, referral_id):
    referral = _get_referral(request.user, referral_id)
    # The sender sees the referral but the decision belongs to the receiver.
    require(request.user, "organization.view", referral.receiver_id)
    form = ReferralDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez d'accepter ou de refuser l'orientation."))
        return redirect("support:referral_detail", referral.pk)
    try:
        if form.cleaned_data["decision"] == "accept":
            referral = services.accept_referral(
                referral=referral,
                actor=request.user,
                joint_assessment=form.cleaned_data["joint_assessment"],
            )
            messages.success(
                request,
                _(
                    "Orientation acceptée : la personne a maintenant une fiche et une demande d'accompagnement chez vous."
                ),
            )
            if referral.joint_assessment:
                return redirect("support:assessment_add", referral.receiver_enrollment_id)
            return redirect("support:enrollment_detail", referral.receiver_enrollment_id)
        services.refuse_referral(
            referral=referral, reason=form.cleaned_data["reason"], actor=request.user
        )
        messages.success(
            request, _("Orientation refusée ; la structure qui oriente voit votre motif.")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("support:referral_detail", referral.pk)


@require_GET
def partner_directory(request):
    """Who to refer to: the organizations that follow people, searchable by name or commune, by
    kind and département, with their programs, desks and how fast they answer. Reached from a
    person's referral form, each row leads back to it with the structure chosen."""
    organization = request.membership.organization
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("type", "")
    departement = request.GET.get("departement", "")
    person = None
    if request.GET.get("personne", "").isdigit():
        person = get_person_for_user(request.user, request.GET["personne"], write=True)
    everyone = queries.partner_directory(organization)
    partners = [
        p
        for p in everyone
        if (not kind or p.organization.kind == kind)
        and (not departement or queries.departement_of(p.organization) == departement)
        and queries.matches(p.organization, query)
    ]
    kinds = sorted({(p.organization.kind, p.organization.get_kind_display()) for p in everyone})
    departements = sorted(
        {
            (code, name)
            for code, name in (queries.departement_label(p.organization) for p in everyone)
            if code
        }
    )
    return render(
        request,
        "support/partner_directory.html",
        {
            "partners": partners,
            "total": len(everyone),
            "query": query,
            "kind": kind,
            "departement": departement,
            "kinds": kinds,
            "departements": departements,
            "person": person,
        },
    )
