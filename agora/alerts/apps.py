from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "agora.alerts"
    label = "alerts"
    verbose_name = _("Alertes")

    def ready(self) -> None:
        from agora.alerts import (
            account,
            bounces,
            channels,
            jobs,  # noqa: F401  (registers the sending of scheduled alerts)
            navigation,
            personal_data,
            rules,
        )

        channels.register()
        bounces.register()
        rules.register()
        navigation.register()
        account.register()
        personal_data.register()
