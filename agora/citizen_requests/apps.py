from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenRequestsConfig(AppConfig):
    name = "agora.citizen_requests"
    label = "citizen_requests"
    verbose_name = _("Requêtes citoyennes")

    def ready(self) -> None:
        from agora.citizen_requests import (
            account,
            held_kinds,
            navigation,
            personal_data,
            rules,  # noqa: F401  (registers the permissions)
        )

        personal_data.register()
        navigation.register()
        account.register()
        held_kinds.register()
