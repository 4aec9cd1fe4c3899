"""After a build: does every internal link and anchor lead somewhere?"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("form", "action"),
}


class PageParser(HTMLParser):
    """The ids and the links of one page (with their lines)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.links.append((self.getpos()[0], value))


def parse(page: Path) -> PageParser:
    parser = PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def target_file(output: Path, path: str) -> Path:
    target = output / unquote(path).lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def broken_links(output: Path, site_urls: list[str]) -> list[str]:
    """Every internal link in the built site that leads to no file, or to no such anchor."""
    pages = {page: parse(page) for page in sorted(output.rglob("*.html"))}
    problems = []
    for page, parsed in pages.items():
        page_url = "/" + page.relative_to(output).as_posix().removesuffix("index.html")
        for line, link in parsed.links:
            internal = next(
                (link[len(base) :] or "/" for base in site_urls if base and link.startswith(base)),
                link,
            )
            parts = urlsplit(internal)
            if parts.scheme or parts.netloc or internal.startswith(("mailto:", "tel:")):
                continue  # another site
            path = (
                parts.path
                if parts.path.startswith("/")
                else page_url.rsplit("/", 1)[0] + "/" + parts.path
            )
            target = target_file(output, path) if parts.path else page
            where = f"On the page {page_url} (line {line} of its HTML), the link to {link}"
            if not target.is_file():
                problems.append(
                    f"{where} leads to no page of the site. Correct the link in the entry or page "
                    "it comes from."
                )
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(
                        f"{where} points to #{parts.fragment}, which is not on that page."
                    )
    return problems
