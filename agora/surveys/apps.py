from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "agora.surveys"
    label = "surveys"
    verbose_name = _("Sondages")

    def ready(self) -> None:
        from agora.surveys import signals

        signals.connect()
