from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "agora.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from agora.participation import (
            jobs,  # noqa: F401  (registers the daily e-mails)
            personal_data,
            publishing_hooks,  # noqa: F401  (registers Wagtail hooks)
        )

        personal_data.register()
