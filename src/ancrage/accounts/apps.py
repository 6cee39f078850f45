from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ancrage.accounts"
    label = "accounts"
    verbose_name = "Comptes et structures"

    def ready(self):
        from ancrage.accounts import home
        from ancrage.core.home import register

        register(
            name="no_organization",
            template="accounts/_home_no_organization.html",
            order=0,
            build=home.no_organization,
        )
        register(
            name="operator", template="accounts/_home_operator.html", order=10, build=home.operator
        )
        register(
            name="read_only",
            template="accounts/_home_read_only.html",
            order=60,
            build=home.read_only,
        )
        register(name="team", template="accounts/_home_team.html", order=70, build=home.team)
        register(
            name="security", template="accounts/_home_security.html", order=90, build=home.security
        )
