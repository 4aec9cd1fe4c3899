"""The sample journal, built for real: what a reader sees on each kind of page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT, build, html, run_invoke, run_pelican, snapshot
from pelican import signals

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Sample:
    """An entry of the sample journal, read here independently of the plugin."""

    path: Path
    meta: dict[str, str]

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def date(self) -> datetime:
        return datetime.fromisoformat(self.meta["date"])

    @property
    def tags(self) -> list[str]:
        return [tag.strip() for tag in self.meta.get("tags", "").split(",") if tag.strip()]

    @property
    def is_draft(self) -> bool:
        return self.meta.get("status") == "draft"

    @property
    def slug(self) -> str:
        return re.sub(r"[\s-]+", "-", re.sub(r"[^\w\s-]", "", self.title.lower())).strip("-")

    def page(self, site: Path) -> Path:
        if self.is_draft:
            return site / "drafts" / self.slug / "index.html"
        return site / f"{self.date:%Y}" / f"{self.date:%m}" / self.slug / "index.html"


def read_samples() -> list[Sample]:
    samples = []
    for path in sorted((ROOT / "content" / "entries").rglob("*.md")):
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict(line.split(": ", 1) for line in header.splitlines())
        samples.append(Sample(path, {key.lower(): value for key, value in meta.items()}))
    return samples


SAMPLES = read_samples()
PUBLISHED = [sample for sample in SAMPLES if not sample.is_draft]
DRAFTS = [sample for sample in SAMPLES if sample.is_draft]


def linked_titles(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".entry-card-title a")]


def test_the_sample_journal_meets_the_brief():
    authors = {sample.meta["author"] for sample in PUBLISHED}
    years = {sample.date.year for sample in PUBLISHED}
    assert 6 <= len(PUBLISHED) <= 10
    assert len(authors) >= 3 and len(years) >= 3 and DRAFTS
    assert {"Julie Hill", "Tom Okafor"} & authors  # supervisors on the roster
    assert len({sample.meta.get("channel") for sample in PUBLISHED}) >= 3


@pytest.mark.parametrize("sample", PUBLISHED, ids=lambda sample: sample.slug)
def test_each_entry_page_shows_its_facts(site, sample):
    page = html(sample.page(site))
    entry = page.select_one("main article.entry")
    assert entry.h1.get_text(strip=True) == sample.title
    assert entry.find("time")["datetime"].startswith(sample.date.strftime("%Y-%m-%dT%H:%M"))
    assert entry.select_one(".entry-author a").get_text(strip=True) == sample.meta["author"]
    assert f"Channel: {sample.meta['channel']}" in entry.select_one(".entry-meta").get_text(
        " ", strip=True
    )
    assert sorted(a.get_text(strip=True) for a in entry.select(".tags a")) == sorted(sample.tags)
    assert entry.select_one(".entry-lede").get_text(strip=True) == sample.meta["summary"]
    assert page.title.get_text().startswith(sample.title)


def test_home_page_lists_published_entries_newest_first(site):
    expected = [s.title for s in sorted(PUBLISHED, key=lambda s: s.date, reverse=True)]
    assert linked_titles(html(site / "index.html")) == expected


def test_home_page_is_paginated(tmp_path):
    site = build(ROOT / "content", tmp_path / "output", DEFAULT_PAGINATION=3)
    newest_first = [s.title for s in sorted(PUBLISHED, key=lambda s: s.date, reverse=True)]
    first, second = html(site / "index.html"), html(site / "page" / "2" / "index.html")
    assert linked_titles(first) == newest_first[:3]
    assert linked_titles(second) == newest_first[3:6]
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/page/2/"
    assert second.select_one('.pagination a[rel="prev"]')["href"] == "/"


def test_tag_index_counts_entries_and_each_tag_page_lists_them(site):
    counts = {}
    for sample in PUBLISHED:
        for tag in sample.tags:
            counts[tag] = counts.get(tag, 0) + 1
    index = html(site / "tags" / "index.html")
    shown = {
        li.a.get_text(strip=True): li.select_one(".count").get_text(strip=True)
        for li in index.select(".tag-index li")
    }
    assert shown == {tag: f"{n} {'entry' if n == 1 else 'entries'}" for tag, n in counts.items()}
    for link in index.select(".tag-index a"):
        tag_page = html(site / link["href"].strip("/") / "index.html")
        expected = sorted(s.title for s in PUBLISHED if link.get_text(strip=True) in s.tags)
        assert sorted(linked_titles(tag_page)) == expected


def test_each_tag_and_author_picks_its_entries_newest_first(tmp_path):
    """Pelican picks a tag's or author's entries out of all entries by date with `in` (plugin:
    membership.py)."""
    generators = []
    signals.all_generators_finalized.connect(generators.extend, weak=False)
    try:
        build(ROOT / "content", tmp_path / "output")
    finally:
        signals.all_generators_finalized.disconnect(generators.extend)
    entries = next(generator for generator in generators if hasattr(generator, "tags"))
    newest_first = sorted(PUBLISHED, key=lambda sample: sample.date, reverse=True)

    def picked(listing) -> list[str]:
        return [entry.title for entry in entries.dates if entry in listing]

    for tag, listing in entries.tags.items():
        assert picked(listing) == [
            sample.title for sample in newest_first if tag.name in sample.tags
        ]
    for author, listing in entries.authors:
        assert picked(listing) == [
            sample.title for sample in newest_first if sample.meta["author"] == author.name
        ]


def test_each_author_has_a_page_and_supervisors_a_badge(site):
    for author in {sample.meta["author"] for sample in PUBLISHED}:
        slug = author.lower().replace(" ", "-")
        page = html(site / "people" / slug / "index.html")
        assert page.h1.get_text(strip=True) == author
        assert sorted(linked_titles(page)) == sorted(
            s.title for s in PUBLISHED if s.meta["author"] == author
        )
    julie = html(site / "people" / "julie-hill" / "index.html")
    assert "Supervisor" in julie.select_one(".page-intro").get_text()
    assert julie.select_one(".entry-author .badge-supervisor")
    assert not html(site / "people" / "priya-nair" / "index.html").select(".badge-supervisor")


def test_archive_lists_every_entry_by_year_and_month(site):
    archive = html(site / "archive" / "index.html")
    years = [h3.get_text(strip=True) for h3 in archive.select("#archive-list h3")]
    assert years == sorted({str(s.date.year) for s in PUBLISHED}, reverse=True)
    listed = [a.get_text(strip=True) for a in archive.select(".archive-list a")]
    assert sorted(listed) == sorted(s.title for s in PUBLISHED)
    for sample in PUBLISHED:
        for period in (f"{sample.date:%Y}/{sample.date:%m}", f"{sample.date:%Y}"):
            listed = html(site / period / "index.html").select(".archive-list a")
            assert sample.title in [a.get_text(strip=True) for a in listed]


def parse_atom(path: Path) -> ET.Element:
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    return feed


def test_feeds_are_atom_for_all_entries_and_per_tag(site):
    feed = parse_atom(site / "feeds" / "all.atom.xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert sorted(titles) == sorted(s.title for s in PUBLISHED)
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href")
    refunds = parse_atom(site / "feeds" / "tags" / "refunds.atom.xml")
    assert sorted(e.findtext(f"{ATOM}title") for e in refunds.findall(f"{ATOM}entry")) == sorted(
        s.title for s in PUBLISHED if "refunds" in s.tags
    )


def lines_of(element) -> list[str]:
    """The visible lines of an element: text split at each <br>."""
    parts = re.split(r"<br\s*/?>", element.decode_contents())
    return [re.sub(r"<[^>]+>", "", part).strip() for part in parts if part.strip()]


def test_transcript_lines_stay_separate_lines(site):
    tracking = next(s for s in PUBLISHED if "tracking number" in s.title)
    quote = html(tracking.page(site)).select("main .entry-body blockquote")[-1]
    assert lines_of(quote.p) == [
        'He said, "Friday. Right. Let me write that down."',
        'He said, "Got it. Thank you."',
        "He hung up.",
    ]
    silence = next(s for s in PUBLISHED if s.title == "Silence on the line")
    paragraph = next(
        p
        for p in html(silence.page(site)).select("main .entry-body p")
        if "I waited" in p.get_text()
    )
    assert len(lines_of(paragraph)) == 4
    assert lines_of(paragraph)[-1] == "She carried on with the address."


def test_paragraphs_still_need_a_blank_line(site):
    silence = next(s for s in PUBLISHED if s.title == "Silence on the line")
    paragraphs = [p.get_text() for p in html(silence.page(site)).select("main .entry-body p")]
    assert any(p.startswith("We rebooked the delivery") for p in paragraphs)


def test_code_and_log_snippets_are_highlighted(site):
    chat = next(s for s in PUBLISHED if "chat widget" in s.title)
    blocks = html(chat.page(site)).select("main .entry-body .highlight pre")
    assert len(blocks) == 2
    assert blocks[1].select("span.nt"), "JSON keys are coloured by Pygments"
    assert "tz=America/New_York" in blocks[0].get_text()


def test_drafts_are_previewed_but_never_listed(site):
    draft = DRAFTS[0]
    preview = html(draft.page(site))
    assert preview.h1.get_text(strip=True) == draft.title
    assert "Draft" in preview.select_one(".draft-note").get_text()
    listings = [
        site / "index.html",
        site / "archive" / "index.html",
        site / "tags" / "index.html",
        *site.glob("tags/*/index.html"),
        *site.glob("people/*/index.html"),
        *site.glob("20*/**/index.html"),
    ]
    for listing in listings:
        assert draft.title not in listing.read_text(encoding="utf-8"), listing
    for feed in site.glob("feeds/**/*.xml"):
        assert draft.title not in feed.read_text(encoding="utf-8"), feed


def test_published_build_leaves_drafts_out(tmp_path):
    site = build(ROOT / "content", tmp_path / "output", "publishconf.py")
    assert not (site / "drafts").exists()
    assert all(DRAFTS[0].title not in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert (
        html(site / "index.html")
        .select_one('link[rel="stylesheet"]')["href"]
        .startswith("https://")
    )


def test_guide_page_is_linked_from_every_page(site):
    guide = html(site / "how-to-write-an-entry" / "index.html")
    assert guide.h1.get_text(strip=True) == "How to write an entry"
    assert "content/people.toml" in guide.get_text()
    for page in (site / "index.html", PUBLISHED[0].page(site)):
        nav = [a["href"] for a in html(page).select("nav[aria-label=Main] a")]
        assert "/how-to-write-an-entry/" in nav


@pytest.mark.parametrize(
    "page, current",
    [
        ("index.html", "Latest"),
        ("tags/index.html", "Tags"),
        ("archive/index.html", "Archive"),
        ("people/index.html", "People"),
    ],
)
def test_pages_have_landmarks_a_skip_link_and_show_where_you_are(site, page, current):
    soup = html(site / page)
    assert [a.get_text() for a in soup.select('nav [aria-current="page"]')] == [current]
    assert soup.html["lang"] == "en"
    skip = soup.body.find("a")
    assert skip["href"] == "#content" and "Skip" in skip.get_text()
    assert (
        soup.select_one("main#content") and soup.select_one("header") and soup.select_one("footer")
    )
    assert soup.select_one("nav[aria-label]")


def test_nothing_is_loaded_from_outside_the_site(site):
    for page in site.rglob("*.html"):
        soup = html(page)
        loaded = [tag.get("src") for tag in soup.select("script[src], img[src], iframe[src]")]
        loaded += [
            link["href"] for link in soup.select('link[rel="stylesheet"], link[rel="preload"]')
        ]
        assert all(not re.match(r"^(https?:)?//", url) for url in loaded), page
    for css in site.rglob("*.css"):
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css.read_text()), css


def relative_luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    colour = "".join(c * 2 for c in colour) if len(colour) == 3 else colour
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_theme_colours_meet_wcag_aa_in_light_and_dark():
    css = (ROOT / "theme/static/css/casebook.css").read_text()
    schemes = [
        dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))
        for block in re.findall(r":root\s*\{(.*?)\}", css, re.S)
    ]
    schemes = [scheme for scheme in schemes if scheme]
    assert len(schemes) == 2  # light, and dark under prefers-color-scheme
    for colours in schemes:
        for text in ("text", "muted", "link", "link-visited", "accent"):
            for background in ("bg", "surface"):
                assert contrast(colours[text], colours[background]) >= 4.5, (
                    text,
                    background,
                    colours,
                )
        assert contrast(colours["badge-text"], colours["badge-bg"]) >= 4.5
        assert contrast(colours["endorsed-text"], colours["endorsed-bg"]) >= 4.5
        assert contrast(colours["focus"], colours["bg"]) >= 3  # a focus ring is not text


def test_code_colours_meet_wcag_aa_in_light_and_dark():
    css = (ROOT / "theme/static/css/pygments.css").read_text()
    for scheme in css.split("@media (prefers-color-scheme: dark)"):
        background = re.search(r"\.highlight \{ background: (#\w+)", scheme).group(1)
        rules = re.findall(r"\.highlight \.(\w+) \{[^}]*?(?<!-)color: (#[0-9a-fA-F]{3,6})", scheme)
        assert len(rules) > 20
        for token, colour in rules:
            if token != "w":  # whitespace: nothing to read
                assert contrast(colour, background) >= 4.5, (token, colour, background)


def test_an_entry_without_summary_lists_its_first_paragraph(project, tmp_path):
    (project / "content/entries/2025/no-summary.md").write_text(
        "Title: No summary here\nDate: 2025-06-01\nAuthor: Dev Patel\n\n## What happened\n\n"
        "The first paragraph says it all.\n\nThe second one does not show.\n"
    )
    site = build(project / "content", tmp_path / "output")
    card = next(
        c
        for c in html(site / "index.html").select(".entry-card")
        if "No summary here" in c.get_text()
    )
    assert (
        card.select_one(".entry-summary").get_text(strip=True) == "The first paragraph says it all."
    )


def test_reading_needs_no_javascript(site):
    scripted = [
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if html(page).find("script")
    ]
    # The search, on top of a complete list; a reading path's ticks (test_paths.py: complete without
    # them).
    assert sorted(scripted) == ["archive/index.html", "paths/first-weeks/index.html"]


def test_theme_supports_dark_mode_print_and_focus():
    css = (ROOT / "theme/static/css/casebook.css").read_text()
    assert "prefers-color-scheme: dark" in css and ":focus-visible" in css
    print_css = (ROOT / "theme/static/css/print.css").read_text()
    assert ".site-header nav" in print_css and "display: none" in print_css


def test_plain_pelican_builds_the_same_site_as_invoke(project, tmp_path):
    via_invoke = run_invoke(project, "build", "--", "-o", str(tmp_path / "invoke"))
    via_pelican = run_pelican(project / "content", tmp_path / "pelican", project)
    assert via_invoke.returncode == 0, via_invoke.stderr
    assert via_pelican.returncode == 0, via_pelican.stderr
    by_invoke, by_pelican = snapshot(tmp_path / "invoke"), snapshot(tmp_path / "pelican")

    def pages_and_fragments(files):
        # Pagefind numbers pages in the order its threads finish, so its index files differ
        # from run to run; what each page contributes (its fragment) does not. The page
        # cache's fingerprints include the settings, and so the output folder.
        return {
            name: data
            for name, data in files.items()
            if name != ".casebook-pages.json"
            and (not name.startswith("pagefind/") or name.startswith("pagefind/fragment/"))
        }

    assert pages_and_fragments(by_invoke) == pages_and_fragments(by_pelican)
    assert len(by_invoke) == len(by_pelican)


def test_pages_are_valid_where_the_nu_checker_looks(site):
    """What the Nu HTML checker reported: a form with an empty action, an article without a
    heading."""
    for page in site.rglob("*.html"):
        soup = html(page)
        assert all(form.get("action") for form in soup.find_all("form")), page
        for article in soup.find_all("article"):
            assert article.find(re.compile(r"^h[1-6]$")), f"{page}: an article without a heading"
        description = soup.select_one('head meta[name="description"]')
        assert description and description["content"].strip(), f"{page}: no meta description"


def test_theme_files_are_linked_with_a_digest_of_their_content(site):
    linked = set()
    for page in site.rglob("*.html"):
        soup = html(page)
        for url in [
            tag["href"]
            for tag in soup.select("link[rel=stylesheet], link[rel=icon]")
            if "/theme/" in tag["href"]
        ] + [tag["src"] for tag in soup.select("script[src]") if "/theme/" in tag["src"]]:
            path, _, version = url.partition("?v=")
            served = site / path.lstrip("/")
            assert served.is_file() and version, f"{page}: {url}"
            linked.add((path, version))
    assert len({path for path, _ in linked}) == len(linked), "one file linked under two versions"
    assert {path for path, _ in linked} == {
        f"/theme/{name}"
        for name in (
            "css/casebook.css",
            "css/print.css",
            "css/pygments.css",
            "images/casebook.svg",
            "js/search.js",
            "js/paths.js",
        )
    }


def test_a_changed_theme_file_gets_a_new_address(project, tmp_path):
    theme = str(project / "theme")
    first = html(build(project / "content", tmp_path / "first", THEME=theme) / "index.html")
    (project / "theme/static/css/casebook.css").write_text("body { color: red; }\n")
    second = html(build(project / "content", tmp_path / "second", THEME=theme) / "index.html")
    stylesheet = 'link[rel=stylesheet][href^="/theme/css/casebook.css"]'
    assert first.select_one(stylesheet)["href"] != second.select_one(stylesheet)["href"]


def test_code_colours_are_loaded_only_by_pages_that_show_code(site):
    with_code = []
    for page in site.rglob("*.html"):
        soup = html(page)
        loads = bool(soup.select('link[href^="/theme/css/pygments.css"]'))
        assert loads == bool(soup.select(".highlight")), page
        if loads:
            with_code.append(page.relative_to(site).parent.as_posix())
    assert sorted(with_code) == [
        "2023/01/the-chat-widget-that-said-we-were-closed",
        "how-to-write-an-entry",
        "paths/first-weeks/handout",
    ]  # the path's handout holds that entry in full
