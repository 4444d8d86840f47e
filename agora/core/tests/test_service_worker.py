"""The service worker keeps the portal's shell for slow or absent networks and answers with
the offline page in the visitor's language when the network is gone."""

import json
from typing import Any

import pytest
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.core import views
from agora.core.tests.responses import ClientResponse


def js_constant(body: str, name: str) -> Any:
    """A constant of the script, read as JSON: JavaScript string escapes are JSON's."""
    line = next(line for line in body.splitlines() if line.startswith(f"const {name} = "))
    return json.loads(line.removeprefix(f"const {name} = ").removesuffix(";"))


def offline_url(language: str) -> str:
    with translation.override(language):
        return reverse("offline")


@pytest.fixture
def service_worker(client: Client) -> ClientResponse:
    response = client.get("/sw.js")
    assert response.status_code == 200
    return response


def test_the_service_worker_is_javascript(service_worker: ClientResponse) -> None:
    assert service_worker["Content-Type"] == "text/javascript; charset=utf-8"
    assert service_worker.content.decode().lstrip().startswith("//")
    assert 'self.addEventListener("fetch"' in service_worker.content.decode()


def test_the_service_worker_is_never_served_stale(service_worker: ClientResponse) -> None:
    cache_control = service_worker["Cache-Control"]

    assert "no-cache" in cache_control
    assert "max-age=0" in cache_control


def test_the_service_worker_knows_the_offline_page_in_each_language(
    service_worker: ClientResponse,
) -> None:
    offline = js_constant(service_worker.content.decode(), "OFFLINE")

    assert offline == {"fr": offline_url("fr"), "en": offline_url("en")}
    assert offline["fr"] == "/fr/hors-ligne/"


def test_the_service_worker_keeps_the_shell(service_worker: ClientResponse) -> None:
    shell = js_constant(service_worker.content.decode(), "SHELL")

    assert shell == [
        static("core/agora.css"),
        static("core/agora.js"),
        static("core/icons/icon.svg"),
        static("core/icons/icon-192.png"),
        offline_url("fr"),
        offline_url("en"),
    ]


def test_a_new_shell_gets_a_new_cache(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    before = client.get("/sw.js").content.decode()
    monkeypatch.setattr(views, "_shell_urls", lambda: ["/static/core/agora.v2.css"])

    after = client.get("/sw.js").content.decode()

    cache_name = [line for line in before.splitlines() if line.startswith("const CACHE")]
    assert cache_name
    assert cache_name[0] not in after


def test_the_service_worker_is_served_from_the_root_to_control_every_page(
    service_worker: ClientResponse,
) -> None:
    assert service_worker.request["PATH_INFO"] == "/sw.js"
