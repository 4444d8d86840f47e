from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "agora.ideas"
    label = "ideas"
    verbose_name = _("Boîte à idées")

    def ready(self) -> None:
        from agora.core import search
        from agora.ideas import held_kinds, personal_data, phases  # noqa: F401  (phases: the component)
        from agora.ideas.search import IdeaSearchSource

        personal_data.register()
        held_kinds.register()
        search.register(IdeaSearchSource())
