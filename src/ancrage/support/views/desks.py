from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ancrage.support import services
from ancrage.support.forms import DeskForm
from ancrage.support.models import Desk


@require_http_methods(["GET", "POST"])
def desk_list(request):
    """The organization's decentralised desks, and a form to add one."""
    organization = request.membership.organization
    form = DeskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            desk = services.create_desk(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Permanence « %(desk)s » ajoutée.") % {"desk": desk})
            return redirect("support:desk_list")
    desks = Desk.objects.filter(organization=organization).select_related("commune")
    return render(request, "support/desk_list.html", {"desks": desks, "form": form})
