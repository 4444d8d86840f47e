from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "agora.pages"
    label = "pages"
    verbose_name = _("Contenu")

    def ready(self) -> None:
        from agora.core import search
        from agora.pages.search import ServiceSearchSource

        search.register(ServiceSearchSource())
