"""What the browser tests share: Chromium's launch options, axe-core, and the checks every
public page must pass."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
HTML_LANG = {"fr": "fr-CA", "en": "en-CA"}

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


@dataclass(frozen=True)
class Server:
    """The server under test, and the staff login seed_demo printed."""

    url: str
    var_dir: Path
    staff_email: str
    staff_password: str
    inbox: Any = None  # tests.loopback.Inbox: the messages the server's task worker sent


# What Chromium says when a click's navigation replaces the document axe was given.
_NAVIGATED_AWAY = ("Execution context was destroyed", "reading 'appendChild'")


def _run_axe(page: Page) -> list[dict[str, Any]]:
    page.wait_for_load_state()
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, AXE_TAGS)
    return violations


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core on the page as it is now (the context must bypass the page's CSP). When
    a navigation a click started replaces the document meanwhile, axe runs again on the page
    it leads to, once loaded."""
    try:
        return _run_axe(page)
    except PlaywrightError as error:
        if not any(sign in str(error) for sign in _NAVIGATED_AWAY):
            raise
    return _run_axe(page)


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"      at {target}" for target in violation["targets"])
    return "\n".join(lines)


def accessibility_problems(page: Page) -> str:
    """Every axe violation on the page, described; empty when there is none."""
    violations = axe_violations(page)
    return describe_violations(page.url, violations) if violations else ""


def assert_accessible(page: Page) -> None:
    """Fails listing every axe violation (rule, impact, help and the elements at fault)."""
    problems = accessibility_problems(page)
    assert not problems, problems


def language_of(url: str) -> str:
    """The language a public address is in: the first segment of its path."""
    return urlsplit(url).path.strip("/").split("/", 1)[0]


def structure_problems(page: Page, language: str) -> list[str]:
    """What every public page must have: its language declared, one main landmark, one h1,
    the skip link first."""
    problems = []
    html_lang = page.locator("html").get_attribute("lang")
    if html_lang != HTML_LANG[language]:
        problems.append(f"<html lang> is {html_lang!r}, expected {HTML_LANG[language]!r}")
    if (mains := page.locator("main").count()) != 1:
        problems.append(f"{mains} <main> landmarks, expected 1")
    if (headings := page.locator("h1").count()) != 1:
        problems.append(f"{headings} <h1> headings, expected 1")
    if page.locator("a.skip-link[href='#contenu']").count() != 1:
        problems.append("no skip link to #contenu")
    return problems


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for `secret` (RFC 6238, 30-second steps)."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
