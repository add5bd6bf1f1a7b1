"""A page's elements as a test reads them: tag, attributes, and the text inside (whitespace folded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.found.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def elements(page: str, tag: str | None = None, **attrs: str) -> list[Element]:
    """The page's elements in document order, those of this tag with these attributes if given
    (an attribute name with "_" for "-": data_language="ar")."""
    reader = _Reader()
    reader.feed(page)
    wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
    return [
        element
        for element in reader.found
        if (tag is None or element.tag == tag) and all(element.attrs.get(k) == v for k, v in wanted.items())
    ]
