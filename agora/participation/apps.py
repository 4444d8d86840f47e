from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "agora.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from agora.participation import publishing_hooks  # noqa: F401  (registers Wagtail hooks)
