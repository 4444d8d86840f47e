from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self) -> None:
        from agora.core import search, signals

        search.register(search.PageSearchSource())
        signals.connect()
