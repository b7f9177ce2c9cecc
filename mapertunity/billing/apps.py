from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "mapertunity.billing"
    label = "billing"
    verbose_name = "Billing"
