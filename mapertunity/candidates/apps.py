from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "mapertunity.candidates"
    label = "candidates"
