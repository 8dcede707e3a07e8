from django.apps import AppConfig


class LaddersConfig(AppConfig):
    name = "trellis.web.ladders"
    label = "ladders"
    verbose_name = "Ladders"
