"""django-axes needs to know which account a failed login aimed at; allauth names the field "login"."""


def login_identifier(request, credentials) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("login")
    return value.strip().lower() if value else None
