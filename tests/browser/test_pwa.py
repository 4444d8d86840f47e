"""The portal installs on a phone's home screen and still answers when the network is gone.
Chromium treats http://127.0.0.1 as a secure origin, so service workers run against the test
server."""

import json
import struct
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import assert_accessible, structure_problems

pytestmark = pytest.mark.browser

SERVICE_WORKER_TIMEOUT_MS = 10_000
# Resolves with the active worker's script once a service worker controls the page's scope.
SERVICE_WORKER_READY = """(timeout) => Promise.race([
  navigator.serviceWorker.ready.then((registration) => registration.active.scriptURL),
  new Promise((resolve) => setTimeout(() => resolve(null), timeout)),
])"""


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def wait_for_service_worker(page: Page) -> str:
    script = page.evaluate(SERVICE_WORKER_READY, SERVICE_WORKER_TIMEOUT_MS)
    assert script, f"no service worker became active within {SERVICE_WORKER_TIMEOUT_MS} ms"
    return str(script)


def test_manifest_is_linked_and_valid(context: BrowserContext, page: Page) -> None:
    page.goto("/fr/")
    assert_accessible(page)
    href = page.locator("link[rel='manifest']").get_attribute("href")
    assert href == "/fr/manifest.webmanifest"

    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Ville de Démo"
    assert manifest["short_name"] == "Démo"
    assert manifest["start_url"] == "/fr/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    theme_colour = page.locator("meta[name='theme-color']").get_attribute("content")
    assert manifest["theme_color"] == theme_colour
    any_purpose = {icon["sizes"] for icon in manifest["icons"] if "purpose" not in icon}
    assert {"192x192", "512x512"} <= any_purpose
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.status == 200, icon["src"]
        assert image.headers["content-type"] == icon["type"] == "image/png"
        width, height = png_size(image.body())
        assert f"{width}x{height}" == icon["sizes"], icon["src"]

    # Chromium's own reading of the manifest the page links.
    cdp = context.new_cdp_session(page)
    app_manifest = cdp.send("Page.getAppManifest")
    assert app_manifest["url"].endswith("/manifest.webmanifest")
    assert app_manifest["errors"] == []


def test_service_worker_registers_and_chromium_finds_the_portal_installable(
    persistent_context: BrowserContext,
) -> None:
    page = persistent_context.new_page()
    page.goto("/fr/")
    assert wait_for_service_worker(page).endswith("/sw.js")
    cdp = persistent_context.new_cdp_session(page)
    deadline = time.monotonic() + 5
    while errors := cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]:
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert errors == [], f"Chromium would not install the portal: {errors}"
    assert_accessible(page)


def test_offline_visitor_gets_the_offline_page_in_the_language_of_the_address(
    context: BrowserContext, page: Page
) -> None:
    # The English offline page, reached by the language switch: its address is translated.
    page.goto("/fr/hors-ligne/")
    assert_accessible(page)
    page.locator(".language-switch a[hreflang='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    english_heading = page.locator("h1").inner_text()
    assert_accessible(page)
    page.goto("/fr/")
    wait_for_service_worker(page)
    page.reload()  # the worker controls the pages loaded after it activated
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert_accessible(page)

    context.set_offline(True)
    try:
        page.goto("/fr/nouvelles/")  # never visited: not in any cache
        expect(page.locator("h1")).to_have_text("Vous êtes hors ligne")
        assert structure_problems(page, "fr") == []
        assert_accessible(page)

        page.goto("/en/news/")
        expect(page.locator("h1")).to_have_text(english_heading)
        assert structure_problems(page, "en") == []
        assert_accessible(page)
    finally:
        context.set_offline(False)


def test_public_pages_work_under_their_own_content_security_policy(
    new_context: Callable[..., BrowserContext], check_accessible_at: Callable[[str], None]
) -> None:
    """The other tests bypass the CSP to inject axe; this one keeps it, as residents have it."""
    page = new_context(bypass_csp=False).new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    paths = [
        "/fr/",
        "/fr/services/?categorie=permis-et-licences",
        "/fr/recherche/?q=permis",
        "/en/news/snow-removal-begins/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        # Both stylesheets loaded (a blocked one has no sheet) and apply.
        sheets = page.evaluate(
            "[...document.styleSheets].map((sheet) => new URL(sheet.href).pathname)"
        )
        assert sheets == ["/static/core/agora.css", "/theme.css"], path
        expect(page.locator(".site-header__inner")).to_have_css("display", "flex")
        if path == "/fr/":
            # agora.js ran: it is what registers the service worker.
            assert wait_for_service_worker(page).endswith("/sw.js")
    assert not errors, "Console errors (CSP violations among them):\n" + "\n".join(errors)
    for path in paths:
        check_accessible_at(path)


def test_manifest_speaks_the_language_of_the_page_that_links_it(
    new_context: Callable[..., BrowserContext],
) -> None:
    context = new_context(locale="en-CA")  # a browser set to English, reading the French site
    page = context.new_page()
    page.goto("/fr/")
    assert_accessible(page)
    cdp = context.new_cdp_session(page)
    manifest = json.loads(cdp.send("Page.getAppManifest")["data"])
    assert manifest["lang"] == "fr-CA", f"the French site installs as: {manifest}"
