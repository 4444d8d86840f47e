"""Open311 GeoReport v2 at /open311/v2/ (open311_views.py): each resource in XML and JSON,
`<resource>.xml` or `<resource>.json`, and the OpenAPI description of them all."""

from django.urls import URLPattern, path, re_path

from agora.citizen_requests import open311_views as views

app_name = "open311"
FORMAT = r"\.(?P<fmt>xml|json)$"
urlpatterns: list[URLPattern] = [
    re_path(rf"^discovery{FORMAT}", views.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", views.services, name="services"),
    re_path(rf"^services/(?P<code>[^/]*){FORMAT}", views.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}", views.service_requests, name="requests"),
    re_path(rf"^requests/(?P<number>[^/]*){FORMAT}", views.request_detail, name="request"),
    path("openapi.yaml", views.openapi, name="openapi"),
    re_path(r"^schemas/(?P<name>[a-z0-9_]+)\.json$", views.schema, name="schema"),
    # Anything else: the standard's 404, not the site's page.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found, name="not_found"),
]
