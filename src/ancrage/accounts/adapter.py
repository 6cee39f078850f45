from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are opened by an organization admin, never by public sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
