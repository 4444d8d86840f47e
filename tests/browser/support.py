"""What the browser tests share: Chromium's launch options, and the checks every page must
pass: axe-core, and the layout check (nothing wider than a 360 or 320 px screen, no text
smaller than 12 CSS px)."""

import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, ViewportSize, expect

ROOT = Path(__file__).resolve().parents[2]
# What the browser tests leave for a person to look at (git-ignored under var/).
ARTEFACTS = Path(os.environ.get("AGORA_ARTEFACTS") or ROOT / "var" / "test-artefacts")
SCREENSHOTS = ARTEFACTS / "screenshots"
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


@dataclass(frozen=True)
class Allowance:
    """One axe rule not applied to the elements of a widget of Wagtail's own that Agora's CSS,
    templates and settings cannot mend; every other rule still runs on them."""

    rule: str
    selector: str
    reason: str


ALLOWANCES = (
    Allowance(
        rule="aria-input-field-name",
        selector=".Draftail-Editor .public-DraftEditor-content[role='textbox']",
        reason=(
            "Wagtail 8's rich text editor (Draftail) gives its text box no name: the field's "
            "<label for> points at the hidden input that carries the value."
        ),
    ),
    Allowance(
        rule="scrollable-region-focusable",
        selector=".w-minimap__list",
        reason=(
            "Wagtail 8's editor minimap, while collapsed, takes its links out of the tab order "
            "(tabindex -1) though its list scrolls; its toggle button opens it for the keyboard."
        ),
    ),
)

_RUN_AXE = """async ([tags, allowances]) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, elementRef: true});
  const allowed = (rule, node) => allowances.some(
    ([allowedRule, selector]) => allowedRule === rule && node.element?.matches(selector));
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.filter((node) => !allowed(violation.id, node))
      .map((node) => node.target.join(" ")),
  })).filter((violation) => violation.targets.length);
}"""


@dataclass(frozen=True)
class Server:
    """The server under test, and the staff login seed_demo printed."""

    url: str
    var_dir: Path
    staff_email: str
    staff_password: str
    inbox: Any = None  # tests.loopback.Inbox: the messages the server's task worker sent
    # The authenticator secret of each member of the team who set one up on this server, by
    # e-mail, and the 30-second step of the last code they logged in with (each code works once).
    second_factors: dict[str, str] = field(default_factory=dict)
    last_code_steps: dict[str, int] = field(default_factory=dict)


# What Chromium says when a click's navigation replaces the document axe was given.
_NAVIGATED_AWAY = ("Execution context was destroyed", "reading 'appendChild'")


def _run_axe(page: Page) -> list[dict[str, Any]]:
    page.wait_for_load_state()
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    allowances = [[allowance.rule, allowance.selector] for allowance in ALLOWANCES]
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, [AXE_TAGS, allowances])
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


# The widths every page must fit: the phone Agora is designed on (360 x 740), and the 320 CSS
# px of WCAG 2.1 success criterion 1.4.10 (Reflow), at which nothing may scroll sideways.
PHONE: ViewportSize = {"width": 360, "height": 740}


def bottom_of(locator: Locator) -> float:
    """How far down the page `locator` ends, in CSS pixels (it must be shown)."""
    box = locator.bounding_box()
    assert box is not None, "not shown"
    return box["y"] + box["height"]


def supports(card_text: str) -> int:
    """The number of supports an idea card says it has."""
    found = re.search(r"(\d+) appuis?", card_text)
    assert found, card_text
    return int(found.group(1))


def support_an_idea_on_the_list(page: Page) -> Locator:
    """On an idea list: support the first idea not yet supported, and check that the resident
    comes back to its card, its button pressed and its count one higher. Returns the card."""
    card = (
        page.locator("main li.idea-card")
        .filter(has=page.locator("button[aria-pressed='false']"))
        .first
    )
    card_id = card.get_attribute("id")
    assert card_id
    before = supports(card.locator(".idea-card__counts").inner_text())

    card.locator("button[aria-pressed='false']").click()

    expect(page).to_have_url(re.compile(rf"#{card_id}$"))
    again = page.locator(f"#{card_id}")
    expect(again.locator("button[name='kind']")).to_have_attribute("aria-pressed", "true")
    assert supports(again.locator(".idea-card__counts").inner_text()) == before + 1
    return again


LAYOUT_WIDTHS: tuple[ViewportSize, ...] = (PHONE, {"width": 320, "height": 740})
SMALLEST_TEXT_PX = 12
# Beyond this many, an element or text of the same kind is counted rather than listed.
LISTED_PER_KIND = 12

# What breaks the layout at the current viewport width, in one pass over the document:
# - its scroll width, when wider than the viewport;
# - every element, and every text too long to wrap, drawn beyond the viewport's left or right
#   edge that no ancestor clips (overflow-x auto, scroll, hidden or clip, or a `clip` or
#   `clip-path`): a deliberate scroll container holds what it scrolls;
# - every text smaller than `smallest` CSS px on screen: its computed font size, scaled for
#   SVG text by the drawing's screen transform (what shrinks a chart's text with its picture).
# What nobody sees counts for nothing: elements not rendered (display: none, inside a closed
# <details>, visibility: hidden) and visually hidden ones, the 1 px clipped boxes that only
# screen readers read (.visually-hidden, the honeypot field), with all they contain.
_LAYOUT = r"""([smallest, listed]) => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const styles = new Map();
  const style = (element) => {
    if (!styles.has(element)) styles.set(element, getComputedStyle(element));
    return styles.get(element);
  };
  const clipsAll = (css) => css.clip !== "auto" || css.clipPath !== "none";
  const visuallyHidden = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const css = style(node);
      if (css.position !== "absolute" && css.position !== "fixed") continue;
      const box = node.getBoundingClientRect();
      const tiny = box.width <= 1 && box.height <= 1;
      if (tiny && (clipsAll(css) || css.overflow !== "visible")) return true;
    }
    return false;
  };
  const heldByAncestor = (element, orSelf = false) => {
    for (let node = orSelf ? element : element.parentElement; node && node !== document.body;
         node = node.parentElement) {
      const css = style(node);
      if (css.overflowX !== "visible" || clipsAll(css)) return true;
    }
    return false;
  };
  const shown = (element) => element.checkVisibility({visibilityProperty: true})
    && !visuallyHidden(element);
  const describe = (element) => {
    const name = (node) => {
      const classes = typeof node.className === "string" ? node.className : node.className.baseVal;
      return node.tagName.toLowerCase() + (node.id ? `#${node.id}` : "")
        + (classes.trim() ? "." + classes.trim().split(/\s+/).slice(0, 2).join(".") : "");
    };
    const path = [name(element)];
    for (let node = element.parentElement; node && node !== document.body && path.length < 3;
         node = node.parentElement) {
      path.unshift(name(node));
      if (node.id) break;
    }
    return path.join(" > ");
  };

  const overflowing = [];
  let overflowingCount = 0;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (!box.width || (box.right <= width + 0.5 && box.left >= -0.5)) continue;
    if (heldByAncestor(element) || !shown(element)) continue;
    overflowingCount += 1;
    if (overflowing.length < listed) overflowing.push({element: describe(element),
      left: Math.round(box.left), right: Math.round(box.right), width: Math.round(box.width)});
  }

  const smallText = [];
  let smallTextCount = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.replace(/\s+/g, " ").trim();
    const element = walker.currentNode.parentElement;
    if (!text || !element || element.closest("script, style, template, noscript, title, desc")) continue;
    // A word too long to wrap runs out of its element's box, which keeps its width.
    range.selectNodeContents(walker.currentNode);
    const box = range.getBoundingClientRect();
    if (box.width && (box.right > width + 0.5 || box.left < -0.5)
        && !heldByAncestor(element, true) && shown(element)) {
      overflowingCount += 1;
      if (overflowing.length < listed) overflowing.push({
        element: `the text '${text.slice(0, 60)}' of ${describe(element)}`,
        left: Math.round(box.left), right: Math.round(box.right), width: Math.round(box.width)});
    }
    let size = parseFloat(style(element).fontSize);
    if (element instanceof SVGElement) {
      const matrix = element.getScreenCTM();
      if (matrix) size *= Math.hypot(matrix.a, matrix.b);
    }
    if (size >= smallest - 0.01 || !shown(element)) continue;
    smallTextCount += 1;
    if (smallText.length < listed) smallText.push({element: describe(element),
      text: text.slice(0, 60), size: Math.round(size * 10) / 10});
  }
  return {width: width, scrollWidth: root.scrollWidth, overflowing, overflowingCount,
          smallText, smallTextCount};
}"""


def _layout_problems_now(page: Page) -> list[str]:
    """What breaks the layout at the page's current viewport width, described. When a
    navigation a click started replaces the document meanwhile, the page it leads to is
    measured, once loaded."""
    arguments = [SMALLEST_TEXT_PX, LISTED_PER_KIND]
    try:
        found: dict[str, Any] = page.evaluate(_LAYOUT, arguments)
    except PlaywrightError as error:
        if not any(sign in str(error) for sign in _NAVIGATED_AWAY):
            raise
        page.wait_for_load_state()
        found = page.evaluate(_LAYOUT, arguments)
    width = found["width"]
    problems = []
    if found["scrollWidth"] > width:
        problems.append(f"the page is {found['scrollWidth']} px wide, wider than its {width} px")
    problems.extend(
        f"{item['element']} spans {item['left']} to {item['right']} px ({item['width']} px wide)"
        for item in found["overflowing"]
    )
    if (more := found["overflowingCount"] - len(found["overflowing"])) > 0:
        problems.append(f"and {more} more element(s) beyond the screen's edges")
    problems.extend(
        f"{item['element']} {item['text']!r} is {item['size']} px, under {SMALLEST_TEXT_PX} px"
        for item in found["smallText"]
    )
    if (more := found["smallTextCount"] - len(found["smallText"])) > 0:
        problems.append(f"and {more} more text(s) under {SMALLEST_TEXT_PX} px")
    return problems


def layout_problems(page: Page, widths: Sequence[ViewportSize] = LAYOUT_WIDTHS) -> str:
    """What breaks the page's layout at its current size, on a 360 px phone and at 320 px
    (WCAG 2.1 Reflow), described by width (which element, how wide, which text how small);
    empty when nothing does. The viewport is resized for the check, then given back its size."""
    original = page.viewport_size
    sizes = list(widths)
    if original is not None and all(size["width"] != original["width"] for size in sizes):
        sizes.insert(0, original)
    sections = []
    try:
        for size in sizes:
            page.set_viewport_size(size)
            if problems := _layout_problems_now(page):
                sections.append(
                    f"At {size['width']} px wide, {len(problems)} layout problem(s) on {page.url}:\n"
                    + "\n".join(f"  {problem}" for problem in problems)
                )
    finally:
        if original is not None:
            page.set_viewport_size(original)
    return "\n".join(sections)


def accessibility_problems(page: Page) -> str:
    """Every axe violation on the page as it is, and every layout problem at its width and at
    360 and 320 px wide, described; empty when there is none."""
    violations = axe_violations(page)
    found = [describe_violations(page.url, violations)] if violations else []
    if layout := layout_problems(page):
        found.append(layout)
    return "\n".join(found)


def assert_accessible(page: Page) -> None:
    """Fails listing every axe violation (rule, impact, help and the elements at fault) and
    every layout problem at the page's width and on a 360 or 320 px wide screen (which
    element, how wide, which text how small)."""
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

    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def next_totp_code(server: Server, email: str) -> str:
    """The code `email`'s authenticator app shows, as a person would type it: one about to
    expire, or the one they last logged in with (the server takes each code once), is left
    for the next."""
    secret = server.second_factors[email]
    now = time.time()
    if now % 30 > 25 or server.last_code_steps.get(email) == int(now // 30):
        time.sleep(30 - now % 30 + 0.5)
        now = time.time()
    server.last_code_steps[email] = int(now // 30)
    return totp_code(secret, at=now)


def set_up_authenticator_app(page: Page, password: str) -> str:
    """On the way to the page that activates an authenticator app (confirming the password
    first, as allauth asks before any change of security): read the secret as a person would
    type it into their app, and confirm with the app's code."""
    # Waits for the redirect to land: right after logging in, the URL may still be the last.
    expect(page).to_have_url(re.compile(r"/reauthenticate/|/totp/activate/"))
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        form = page.locator("main form[method='post']").first
        form.locator("input[name='password']").fill(password)
        form.locator("[type='submit']").first.click()
    expect(page).to_have_url(re.compile(r"/totp/activate/"))
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    form = page.locator("main form[method='post']").first
    # As a person would: a code about to expire is left for the next one, since the server
    # accepts only the current 30-second step.
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    form.locator("input[name='code']").fill(totp_code(secret))
    form.locator("[type='submit']").first.click()
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    return secret


def log_in_to_back_office(page: Page, server: Server, email: str, password: str) -> None:
    """A member of the team logs in at /gestion/ with their password, then their second
    factor: set up at their first login to this server (the secret kept in
    `server.second_factors`), the authenticator's code at the next ones."""
    page.goto("/gestion/")
    form = page.locator("main form[method='post']").first
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    form.locator("[type='submit']").last.click()
    if email in server.second_factors:
        expect(page).to_have_url(re.compile(r"/2fa/authenticate/"))
        form = page.locator("main form[method='post']").first
        form.locator("input[name='code']").fill(next_totp_code(server, email))
        form.locator("[type='submit']").first.click()
        expect(page).not_to_have_url(re.compile(r"/2fa/authenticate/"))
    else:
        page.wait_for_url(re.compile(r"/(reauthenticate|totp/activate)/"))
        server.second_factors[email] = set_up_authenticator_app(page, password)
        server.last_code_steps[email] = int(time.time() // 30)
