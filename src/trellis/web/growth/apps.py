from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "trellis.web.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        from trellis.web.growth.relations import register

        register()
