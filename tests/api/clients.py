"""An integrator's view of the API: a client holding a personal token, sending JSON."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ancrage.accounts.services import create_api_token


class TokenClient(Client):
    """A test client with ``user``'s token; ``post_json`` sends a JSON body (the API's only one)."""

    def post_json(self, url: str, data: Any = None, **headers: Any):
        return self.post(
            url, data if data is not None else {}, content_type="application/json", **headers
        )

    def patch_json(self, url: str, data: Any, **headers: Any):
        return self.patch(url, data, content_type="application/json", **headers)


def token_client(user, name: str = "tests") -> TokenClient:
    _, raw = create_api_token(user=user, name=name, actor=user)
    return TokenClient(HTTP_AUTHORIZATION=f"Token {raw}")
