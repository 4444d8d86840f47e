from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agora.accounts import views

urlpatterns = [
    path(_("mon-compte/"), views.account_home, name="account_home"),
    path("", include("agora.accounts.team_urls")),
]
