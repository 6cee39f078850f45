from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.queries import role_in
from ancrage.support import services
from ancrage.support.forms import FollowUpForm
from ancrage.support.models import FollowUp
from ancrage.support.views.enrollments import render_detail


@require_POST
def follow_up_record(request, follow_up_id):
    follow_up = get_object_or_404(
        FollowUp.objects.visible_to(request.user).select_related("exit__enrollment"),
        pk=follow_up_id,
    )
    enrollment = follow_up.exit.enrollment
    if role_in(request.user, enrollment.organization_id) not in WRITE_ROLES:
        raise PermissionDenied
    form = FollowUpForm(request.POST, prefix=f"suivi-{follow_up.pk}")
    if form.is_valid():
        try:
            services.record_follow_up(follow_up=follow_up, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{follow_up} enregistré.")
            return redirect("support:enrollment_detail", enrollment.pk)
    return render_detail(
        request, enrollment, status=400, follow_up_form=form, follow_up_id=follow_up.pk
    )
