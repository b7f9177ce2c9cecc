from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mapertunity.accounts"
    label = "accounts"
