"""The member's notifications: the list (with the e-mail preference), opening one, reading all."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import get_for_user
from ancrage.notifications import services
from ancrage.notifications.forms import PreferenceForm
from ancrage.notifications.models import Notification

PAGE_SIZE = 30


@require_GET
def notification_list(request):
    rows = Notification.objects.visible_to(request.user).select_related("organization")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "form": PreferenceForm(user=request.user)},
    )


@require_GET
def notification_open(request, notification_id):
    """Mark it read and follow its link (the page behind checks access again)."""
    notification = get_for_user(
        Notification.objects.visible_to(request.user), notification_id, request.user
    )
    services.mark_read(user=request.user, notification=notification)
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.link)


@require_POST
def notification_read_all(request):
    count = services.mark_read(user=request.user)
    messages.success(
        request, _("%(count)d notification(s) marquée(s) comme lue(s).") % {"count": count}
    )
    return redirect("notifications:list")


@require_http_methods(["POST"])
def notification_preferences(request):
    form = PreferenceForm(request.POST, user=request.user)
    if form.is_valid():
        services.set_email_mode(user=request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Préférence enregistrée."))
        return redirect("notifications:list")
    rows = Notification.objects.visible_to(request.user).select_related("organization")
    page = Paginator(rows, PAGE_SIZE).get_page(1)
    return render(request, "notifications/list.html", {"page": page, "form": form}, status=400)
