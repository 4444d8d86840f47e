"""Page weight: a page and everything it makes a browser fetch (stylesheets, scripts, icons,
images, the manifest, and every `url()` of the stylesheets), as transferred with gzip."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from harness import KB, REQUEST_HEADERS, MeasurementError, decoded, fetch, header_bytes


@dataclass
class Reference:
    url: str
    kind: str
    counted: bool = True
    note: str = ""


class ResourceFinder(HTMLParser):
    """Stylesheets, scripts, icons, the manifest and images a page references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link":
            rel = set(attributes.get("rel", "").lower().split())
            href = attributes.get("href", "")
            if not href:
                return
            if "stylesheet" in rel:
                self.found.append((href, "stylesheet"))
            elif "manifest" in rel:
                self.found.append((href, "manifest"))
            elif rel & {"icon", "apple-touch-icon", "mask-icon"}:
                self.found.append((href, "icon"))
            elif rel & {"preload", "modulepreload"}:
                self.found.append((href, attributes.get("as", "preload") or "preload"))
        elif tag == "script" and attributes.get("src"):
            self.found.append((attributes["src"], "script"))
        elif tag in ("img", "input") and (attributes.get("src") or attributes.get("srcset")):
            # A browser fetches one candidate of a srcset: src, or else the first candidate.
            source = attributes.get("src") or attributes["srcset"].split(",")[0].split()[0]
            self.found.append((source, "image"))
        elif tag == "source" and attributes.get("srcset"):
            self.found.append((attributes["srcset"].split(",")[0].split()[0], "image"))
        elif tag == "video" and attributes.get("poster"):
            self.found.append((attributes["poster"], "image"))


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
TEXT_TYPES = frozenset({"application/javascript", "application/json", "application/xml"})
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")


def css_references(css: str) -> list[tuple[str, str]]:
    found = [(match.group(2), "stylesheet") for match in CSS_IMPORT.finditer(css)]
    for match in CSS_URL.finditer(css):
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            continue
        path = urlsplit(target).path.lower()
        kind = "font" if path.endswith(FONT_EXTENSIONS) else "stylesheet"
        if not path.endswith((".css", *FONT_EXTENSIONS)):
            kind = "image"
        found.append((target, kind))
    return found


@dataclass
class Resource:
    path: str
    kind: str
    status: int = 0
    content_type: str = ""
    content_encoding: str = "identity"
    bytes_sent: int = 0
    header_bytes: int = 0
    bytes_decoded: int = 0
    gzip9_bytes: int = 0
    counted: bool = True
    note: str = ""
    body: bytes = field(default=b"", repr=False)

    @property
    def is_text(self) -> bool:
        kind = self.content_type
        return kind.startswith("text/") or kind in TEXT_TYPES or kind.endswith(("+json", "+xml"))

    @property
    def compressible(self) -> bool:
        """Sent as is, though gzip -9 would save more than a tenth of it."""
        return self.content_encoding == "identity" and self.gzip9_bytes < self.bytes_sent * 0.9

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "status": self.status,
            "content_type": self.content_type,
            "content_encoding": self.content_encoding,
            "bytes_sent": self.bytes_sent,
            "header_bytes": self.header_bytes,
            "bytes_decoded": self.bytes_decoded,
            "gzip9_bytes": self.gzip9_bytes,
            "counted": self.counted,
            "note": self.note,
        }


def load(port: int, path: str, kind: str) -> Resource:
    status, headers, body = fetch(port, path)
    plain = decoded(headers, body)
    return Resource(
        path=path,
        kind=kind,
        status=status,
        content_type=headers.get("content-type", "").split(";")[0],
        content_encoding=headers.get("content-encoding", "identity"),
        bytes_sent=len(body),
        header_bytes=header_bytes(status, headers),
        bytes_decoded=len(plain),
        gzip9_bytes=len(gzip.compress(plain, compresslevel=9, mtime=0)),
        body=plain,
    )


def same_origin_path(base: str, reference: str) -> str | None:
    """The path and query of `reference` if it is on this server, else None."""
    absolute = urlsplit(urljoin(base, reference))
    origin = urlsplit(base)
    if (absolute.scheme, absolute.netloc) != (origin.scheme, origin.netloc):
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def page_weight(port: int, path: str, budget_kb: float) -> dict[str, Any]:
    """The page and everything it makes a browser fetch, as transferred with gzip."""
    base = f"http://127.0.0.1:{port}"
    page = load(port, path, "document")
    if page.status != 200:
        raise MeasurementError(f"{path} answered {page.status}")
    resources = [page]
    seen = {path}
    external: list[str] = []
    finder = ResourceFinder()
    finder.feed(page.body.decode("utf-8", errors="replace"))
    queue = [Reference(urljoin(base + path, ref), kind) for ref, kind in finder.found]
    while queue:
        reference = queue.pop(0)
        target = same_origin_path(base + "/", reference.url)
        if target is None:
            external.append(reference.url)
            continue
        if target in seen:
            continue
        seen.add(target)
        resource = load(port, target, reference.kind)
        resource.counted = reference.counted
        resource.note = reference.note
        resources.append(resource)
        if resource.status != 200:
            continue
        if resource.kind == "stylesheet" or resource.content_type == "text/css":
            css_url = base + target
            css = resource.body.decode("utf-8", errors="replace")
            queue += [Reference(urljoin(css_url, ref), kind) for ref, kind in css_references(css)]
        elif resource.kind == "manifest":
            queue += manifest_icons(base + target, resource.body)
    counted = [r for r in resources if r.counted]
    failed = [f"{r.path} answered {r.status}" for r in resources if r.status != 200]
    total_sent = sum(r.bytes_sent for r in counted)
    return {
        "page": path,
        "accept_encoding": REQUEST_HEADERS["Accept-Encoding"],
        "resources": [r.as_json() for r in resources],
        "external_not_fetched": external,
        "failed": failed,
        "total_bytes_sent": total_sent,
        "total_kb_sent": round(total_sent / KB, 1),
        "total_header_bytes": sum(r.header_bytes for r in counted),
        "total_bytes_decoded": sum(r.bytes_decoded for r in counted),
        "total_gzip9_bytes": sum(r.gzip9_bytes for r in counted),
        "total_kb_if_text_gzip9": round(
            sum(min(r.bytes_sent, r.gzip9_bytes) if r.is_text else r.bytes_sent for r in counted)
            / KB,
            1,
        ),
        "uncompressed_text": [r.path for r in counted if r.is_text and r.compressible],
        "images_gzip_shrinks": [r.path for r in counted if not r.is_text and r.compressible],
        "budget_kb": budget_kb,
        "within_budget": total_sent / KB <= budget_kb,
    }


def manifest_icons(manifest_url: str, body: bytes) -> list[Reference]:
    """Listed for information: a browser fetches them when installing, not on each visit."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    icons = data.get("icons", []) if isinstance(data, dict) else []
    return [
        Reference(urljoin(manifest_url, icon["src"]), "manifest icon", False, "on install only")
        for icon in icons
        if isinstance(icon, dict) and isinstance(icon.get("src"), str)
    ]


def print_transfer(weight: dict[str, Any]) -> None:
    print()
    print(f"Page weight of {weight['page']} (Accept-Encoding: gzip; KB = {KB} bytes)")
    print(f"{'resource':<46} {'kind':<14} {'enc':<5} {'sent B':>8} {'raw B':>8} {'gzip-9 B':>9}")
    for r in weight["resources"]:
        path = r["path"] if len(r["path"]) <= 46 else "..." + r["path"][-43:]
        encoding = "gzip" if r["content_encoding"] == "gzip" else "none"
        extra = "" if r["counted"] else f"  (not counted: {r['note']})"
        if r["status"] != 200:
            extra += f"  status {r['status']}"
        print(
            f"{path:<46} {r['kind']:<14} {encoding:<5} {r['bytes_sent']:>8} "
            f"{r['bytes_decoded']:>8} {r['gzip9_bytes']:>9}{extra}"
        )
    verdict = "within" if weight["within_budget"] else "OVER"
    print(
        f"total transferred: {weight['total_kb_sent']:.1f} KB (bodies; +"
        f"{weight['total_header_bytes'] / KB:.1f} KB of headers) - budget "
        f"{weight['budget_kb']:.0f} KB: {verdict}"
    )
    if weight["uncompressed_text"]:
        print(
            f"text sent without compression: {', '.join(weight['uncompressed_text'])} "
            f"(total if they were gzip -9: {weight['total_kb_if_text_gzip9']:.1f} KB)"
        )
    if weight["images_gzip_shrinks"]:
        print(
            f"images that gzip -9 still shrinks by over 10% (not optimised): "
            f"{', '.join(weight['images_gzip_shrinks'])}"
        )
    if weight["external_not_fetched"]:
        print(f"other origins, not fetched: {', '.join(weight['external_not_fetched'])}")


def weigh(port: int, pages: list[tuple[str, str]], budget_kb: float) -> dict[str, Any]:
    """The weight of each page; fails when one of their resources did not answer 200."""
    weights = {name: page_weight(port, path, budget_kb) for name, path in pages}
    failures = [f for weight in weights.values() for f in weight["failed"]]
    if failures:
        raise MeasurementError("resources did not answer 200: " + "; ".join(failures))
    return weights
