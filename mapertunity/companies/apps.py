from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "mapertunity.companies"
    label = "companies"
