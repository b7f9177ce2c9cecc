from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "mapertunity.blog"
    label = "blog"
    verbose_name = "Blog"
