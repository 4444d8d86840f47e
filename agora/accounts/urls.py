from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agora.accounts import views

urlpatterns = [
    path(_("mon-compte/"), views.account_home, name="account_home"),
    path(_("mon-nom/"), views.change_name, name="account_change_name"),
    path(_("consentements/"), views.consents, name="account_consents"),
    path(_("mes-donnees/"), views.download_personal_data, name="account_download_data"),
    path(_("supprimer/"), views.delete_account, name="account_delete"),
    path(_("compte-supprime/"), views.account_deleted, name="account_deleted"),
    path("", include("agora.accounts.team_urls")),
]
