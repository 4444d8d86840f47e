from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After `migrate`, once every app's permissions exist, the roles get theirs."""
    last_app_with_models = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender is not last_app_with_models:
        return
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    from agora.accounts.roles import ensure_role_groups

    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        post_migrate.connect(_ensure_role_groups, dispatch_uid="agora-ensure-role-groups")
        from agora.accounts import access_audit

        access_audit.connect()
        # Wagtail's Users screens (/gestion/users/) with Agora's forms and saves: Wagtail reads
        # the viewset from its app's config when it builds the back-office's URLs.
        apps.get_app_config("wagtailusers").user_viewset = (  # type: ignore[attr-defined]
            "agora.accounts.wagtail_hooks.AgoraUserViewSet"
        )
        from agora.accounts import personal_data
        from agora.accounts.privacy_link import privacy_policy_link
        from agora.core import navigation

        personal_data.register()
        navigation.register_footer(privacy_policy_link)
