"""Reading rendered HTML in tests the way a visitor's browser would: elements, their
attributes and their text, looked up by tag and attributes, within other elements."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text a reader gets, whitespace collapsed."""
        parts: list[str] = []

        def collect(element: Element) -> None:
            for child in element.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    collect(child)

        collect(self)
        return " ".join("".join(parts).split())

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def descendants(self) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                found.append(child)
                found.extend(child.descendants())
        return found

    def matches(self, tag: str, attrs: dict[str, str]) -> bool:
        if tag not in ("*", self.tag):
            return False
        for name, value in attrs.items():
            if name == "class":
                if value not in self.attrs.get("class", "").split():
                    return False
            elif self.attrs.get(name) != value:
                return False
        return True


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str | bytes | Element) -> Element:
    if isinstance(html, Element):
        return html
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def _wanted(attrs: dict[str, str]) -> dict[str, str]:
    # class_ -> class, aria_current -> aria-current, data_x -> data-x
    return {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}


def find_all(html: str | bytes | Element, tag: str, **attrs: str) -> list[Element]:
    """Elements named `tag` ("*" for any) whose attributes match; `class_` matches one of
    the classes."""
    wanted = _wanted(attrs)
    return [element for element in parse(html).descendants() if element.matches(tag, wanted)]


def find(html: str | bytes | Element, tag: str, **attrs: str) -> Element:
    """The one element named `tag` with these attributes (fails if none or several)."""
    elements = find_all(html, tag, **attrs)
    assert len(elements) == 1, f"expected one <{tag} {attrs}>, found {len(elements)}"
    return elements[0]


def text_of(html: str | bytes | Element) -> str:
    """The document's text, whitespace collapsed, entities decoded."""
    return parse(html).text
