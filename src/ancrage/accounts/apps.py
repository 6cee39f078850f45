from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ancrage.accounts"
    label = "accounts"
    verbose_name = "Comptes et structures"
