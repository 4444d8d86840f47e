from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "agora.ideas"
    label = "ideas"
    verbose_name = _("Boîte à idées")

    def ready(self) -> None:
        from agora.ideas import personal_data, phases  # noqa: F401  (phases: the component)

        personal_data.register()
