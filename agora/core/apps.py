from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self) -> None:
        from agora.core import (
            audit,
            deliveries,
            held,
            jobs,  # noqa: F401  (registers core's scheduled jobs)
            participants,
            search,
            signals,
        )
        from agora.core.channels import email  # noqa: F401  (registers the e-mail channel)

        search.register(search.PageSearchSource())
        search.connect()
        post_migrate.connect(
            search.index_if_empty, sender=self, dispatch_uid="agora-search-index-if-empty"
        )
        signals.connect()
        audit.register_personal_data_of_the_log()
        deliveries.register_personal_data_of_deliveries()
        participants.register_personal_data_of_participants()
        held.register_personal_data_of_held_contributions()
