"""API token authentication: ``Authorization: Token anc_<prefix>_<secret>``; only hashes are stored."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ancrage.accounts.models import ApiToken, hash_token
from ancrage.accounts.queries import has_mfa, memberships_of, mfa_required


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("En-tête Authorization mal formé."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Jeton invalide.")) from None
        token = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton invalide ou révoqué."))
        if mfa_required(token.user) and not has_mfa(token.user):
            # A token is worth what its owner's login is worth: without the second factor the team
            # must use, it is suspended (it works again once TOTP is active again).
            raise exceptions.PermissionDenied(
                _(
                    "Activez la double authentification sur votre compte avant d'utiliser l'API : "
                    "vos jetons sont suspendus tant qu'elle n'est pas active."
                )
            )
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The middleware ran before DRF knew the user: give the token the browser's default
        # current organization (the first membership), so that defaults (an indicator's scope…)
        # are the same through the API as on the pages.
        memberships = memberships_of(token.user)
        django_request = request._request
        django_request.membership = memberships[0] if memberships else None
        django_request.other_memberships = tuple(memberships[1:])
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI schema."""

    target_class = "ancrage.accounts.authentication.ApiTokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token anc_…` — créez un jeton depuis votre compte (menu « Jetons d'API »).",
        }
