from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "trellis.web.org"
    label = "org"
    verbose_name = "Organisation"
