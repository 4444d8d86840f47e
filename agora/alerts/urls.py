"""Public pages of the alerts, under /fr/alertes/ (/en/alerts/): subscribing
(subscribe_views.py), confirming an e-mail address, asking for the management link again,
and managing a subscription by its private link or from "Mon compte" (manage_views.py)."""

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from agora.alerts import manage_views, one_click_views, subscribe_views

app_name = "alerts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", subscribe_views.subscribe, name="subscribe"),
    path(
        _("confirmer/<int:contact_id>/<str:secret>/"),
        subscribe_views.confirm_email,
        name="confirm_email",
    ),
    path(_("lien/"), subscribe_views.ask_link, name="ask_link"),
    path(_("gerer/<str:token>/"), manage_views.manage, name="manage"),
    path(_("mon-abonnement/"), manage_views.mine, name="mine"),
    path(_("desabonnement/<str:token>/"), one_click_views.unsubscribe, name="one_click"),
]
