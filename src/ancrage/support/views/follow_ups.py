from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.accounts.permissions import require
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
    require(request.user, "support.record", enrollment)
    form = FollowUpForm(request.POST, prefix=f"suivi-{follow_up.pk}")
    if form.is_valid():
        try:
            services.record_follow_up(follow_up=follow_up, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(follow_up)s enregistré.") % {"follow_up": follow_up})
            return redirect("support:enrollment_detail", enrollment.pk)
    return render_detail(
        request, enrollment, status=400, follow_up_form=form, follow_up_id=follow_up.pk
    )
