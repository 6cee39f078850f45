from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts import services
from ancrage.accounts.forms import ApiTokenForm
from ancrage.accounts.models import ApiToken
from ancrage.accounts.queries import get_api_token_for_user


@require_GET
def token_list(request):
    tokens = ApiToken.objects.visible_to(request.user)
    return render(request, "accounts/token_list.html", {"tokens": tokens, "form": ApiTokenForm()})


@require_http_methods(["POST"])
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("name", exc.messages[0])
        else:
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    tokens = ApiToken.objects.visible_to(request.user)
    return render(request, "accounts/token_list.html", {"tokens": tokens, "form": form}, status=400)


@require_POST
def token_revoke(request, token_id):
    token = get_api_token_for_user(request.user, token_id)
    services.revoke_api_token(token=token, actor=request.user)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("accounts:token_list")
