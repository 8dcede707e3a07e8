from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "trellis.web.health"
    label = "health"
    verbose_name = "Org health"
