from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from agora.core import views as core_views
from agora.core.content_security import STAFF_AREA_POLICY

# Every page of the staff area (Wagtail's and the apps' own) takes the staff area's policy.
staff_area_urls = decorate_urlpatterns(
    wagtailadmin_urls.urlpatterns, csp_override(STAFF_AREA_POLICY)
)

urlpatterns = [
    path("", core_views.language_home, name="language_home"),
    path("accounts/login/", core_views.login_redirect, name="login_redirect"),
    path("health", core_views.health, name="health"),
    path("altcha/", core_views.altcha_challenge, name="altcha_challenge"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("theme.css", core_views.theme_css, name="theme_css"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("gestion/", include(staff_area_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("open311/v2/", include("agora.citizen_requests.open311_urls")),
    path("passerelles/", include("agora.alerts.gateway_urls")),
    path("cap/", include("agora.alerts.cap_urls")),
]

if settings.MEDIA_STORAGE == "local":
    # The uploads kept on this server: what residents may see of them (core/views.py).
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", core_views.media, name="media"))

urlpatterns += i18n_patterns(
    path("manifest.webmanifest", core_views.manifest, name="manifest"),
    path(_("recherche/"), core_views.search, name="search"),
    path(_("hors-ligne/"), core_views.offline, name="offline"),
    path(_("compte/"), include("agora.accounts.urls")),
    path(_("compte/"), include("allauth.urls")),
    path(_("abonnements/"), include("agora.participation.urls")),
    path(_("idees/"), include("agora.ideas.urls")),
    path(_("participants/"), include("agora.core.participant_urls")),
    path(_("sondages/"), include("agora.surveys.urls")),
    path(_("resultats/"), include("agora.surveys.results_urls")),
    path(_("requetes/"), include("agora.citizen_requests.urls")),
    path(_("alertes/"), include("agora.alerts.urls")),
    path(_("alertes/"), include("agora.alerts.notice_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler403 = "agora.core.views.permission_denied"
handler404 = "agora.core.views.page_not_found"
handler500 = "agora.core.views.server_error"
