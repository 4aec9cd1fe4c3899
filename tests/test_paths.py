"""Reading paths (content/paths/<name>.toml): their pages, handouts and entry links, and the paths
refused."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT, html, serve_once
from test_site import PUBLISHED

SAMPLE_PATH = ROOT / "content/paths/first-weeks.toml"
PATH = tomllib.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
BY_SLUG = {sample.slug: sample for sample in PUBLISHED}
STOPS = [BY_SLUG[step["slug"]] for step in PATH["entry"]]
PAGE = "paths/first-weeks/index.html"
HANDOUT = "paths/first-weeks/handout/index.html"


def address(sample) -> str:
    return f"/{sample.date:%Y}/{sample.date:%m}/{sample.slug}/"


def lessons_of(sample) -> list[str]:
    section = sample.path.read_text(encoding="utf-8").split("## Lessons learned", 1)[1]
    return [
        re.sub(r"[*_`]", "", line[2:]).strip()
        for line in section.splitlines()
        if line.startswith("- ")
    ]


def test_a_path_page_lists_its_entries_in_order_with_summaries_lessons_and_notes(site):
    page = html(site / PAGE)
    assert page.h1.get_text(strip=True) == PATH["title"]
    intro = " ".join(p.get_text(" ", strip=True) for p in page.select(".page-intro"))
    assert " ".join(PATH["intro"].split()) == " ".join(intro.split())
    stops = page.select("li.path-stop")
    assert [stop.select_one(".path-stop-title a").get_text(strip=True) for stop in stops] == [
        s.title for s in STOPS
    ]
    for stop, step, sample in zip(stops, PATH["entry"], STOPS):
        assert stop.select_one(".path-stop-title a")["href"] == address(sample)
        assert (site / address(sample).strip("/") / "index.html").is_file()
        assert stop.select_one(".entry-summary").get_text(strip=True) == sample.meta["summary"]
        note = stop.select_one(".path-note")
        assert (
            note.get_text(" ", strip=True).removeprefix("Trainer’s note: ") if note else None
        ) == step.get("note")
        assert [a.get_text(" ", strip=True) for a in stop.select(".path-lessons a")] == lessons_of(
            sample
        )
        for link in stop.select(".path-lessons a"):
            target, anchor = link["href"].split("#")
            assert html(site / target.strip("/") / "index.html").select_one(f"li#{anchor}.lesson")
    index = html(site / "paths/index.html")
    assert [a["href"] for a in index.select(".path-index h2 a")] == ["/paths/first-weeks/"]
    assert "/paths/" in [a["href"] for a in html(site / "index.html").select("nav a")]


def test_the_handout_has_every_entry_in_full_with_its_address(site):
    page = html(site / HANDOUT)
    articles = page.select("article.handout-entry")
    assert [a.h2.get_text(strip=True) for a in articles] == [s.title for s in STOPS]
    for article, sample in zip(articles, STOPS):
        link = article.select_one(".handout-address a")
        assert (
            link["href"] == link.get_text(strip=True) == f"http://localhost:8000{address(sample)}"
        )
        entry_page = html(site / address(sample).strip("/") / "index.html")
        assert article.select_one(".entry-body").get_text(" ", strip=True) == entry_page.select_one(
            ".entry-body"
        ).get_text(" ", strip=True)  # the whole text
    ids = [element["id"] for element in page.select("[id]")]
    assert len(ids) == len(set(ids)), "an anchor is on the page twice"
    first_lesson = html(site / address(STOPS[0]).strip("/") / "index.html").select_one("li.lesson")[
        "id"
    ]
    assert page.select_one(
        f'[id="{STOPS[0].slug}--{first_lesson}"]'
    )  # the entry's own anchors, made unique


def test_links_inside_an_entry_still_work_in_the_handout(journal):
    journal.edit(
        f"content/entries/2022/{STOPS[0].path.name}",
        "## What I did",
        "Footnotes work too.[^why] A [bad link](#nowhere).\n\n[^why]: Because.\n\n## What I did",
    )
    assert journal.build().returncode == 0
    page = html(journal.output / HANDOUT)
    links = {
        a.get_text(strip=True): a["href"]
        for a in page.select(f"#{STOPS[0].slug} .entry-body a[href^='#']")
    }
    footnote = next(href for text, href in links.items() if text == "1")
    assert footnote.startswith(f"#{STOPS[0].slug}--") and page.select_one(f'[id="{footnote[1:]}"]')
    assert (
        links["bad link"] == "#nowhere"
    )  # left as written: the link check reports it as the entry's


def test_each_entry_of_a_path_says_what_comes_next(site):
    for number, sample in enumerate(STOPS):
        block = html(site / address(sample).strip("/") / "index.html").select_one(".reading-places")
        place = block.select_one(".reading-place")
        assert place.h2.get_text(" ", strip=True) == f"Next in {PATH['title']}"
        assert place.h2.a["href"] == "/paths/first-weeks/"
        assert f"Entry {number + 1} of {len(STOPS)}" in place.get_text(" ", strip=True)
        following = place.select_one('a[rel="next"]')
        if number + 1 < len(STOPS):
            assert following["href"] == address(STOPS[number + 1])
            assert following.get_text(strip=True) == STOPS[number + 1].title
        else:
            assert following is None and "last entry of the path" in place.get_text()
        previous = place.select_one('a[rel="prev"]')
        assert (previous["href"] if previous else None) == (
            address(STOPS[number - 1]) if number else None
        )
        assert block.get("data-pagefind-ignore") == "all"  # not in the entry's search text
    for sample in [sample for sample in PUBLISHED if sample not in STOPS]:
        assert not html(sample.page(site)).select(".reading-places")


def test_an_entry_in_two_paths_lists_both(journal):
    journal.write(
        "content/paths/escalations.toml",
        'title = "Escalations"\n\n[[entry]]\nslug = "refund-by-friday"\n'
        '\n[[entry]]\nslug = "what-is-a-tracking-number-anyway"\nnote = "Calm first."\n',
    )
    assert journal.build().returncode == 0
    places = html(journal.output / "2022/03/what-is-a-tracking-number-anyway/index.html").select(
        ".reading-place"
    )
    assert [place.h2.a.get_text(strip=True) for place in places] == [
        "Escalations",
        PATH["title"],
    ]  # by title
    assert (
        "Calm first." in places[0].get_text() and "last entry of the path" in places[0].get_text()
    )
    assert places[0].select_one('a[rel="prev"]')["href"] == "/2022/11/refund-by-friday/"
    assert places[1].select_one('a[rel="next"]')["href"] == address(STOPS[1])
    index = html(journal.output / "paths/index.html")
    assert [a.get_text(strip=True) for a in index.select(".path-index h2 a")] == [
        "Escalations",
        PATH["title"],
    ]


def test_bad_paths_are_refused_with_file_and_line_together_with_other_problems(journal):
    journal.write(
        "content/paths/bad.toml",
        'intro = "Read these."\ntitel = "Oops"\n\n'
        '[[entry]]\nslug = "silence-on-the-lin"\n\n'
        '[[entry]]\nslug = "unfinished-notes-on-scheduled-callbacks"\n\n'
        '[[entry]]\nslug = "refund-by-friday"\n\n[[entry]]\nslug = "refund-by-friday"\n',
    )
    journal.write("content/paths/broken.toml", 'title = "Unclosed\n')
    journal.edit(
        "content/entries/2025/2025-02-11-silence-on-the-line.md",
        "Author: Priya Nair",
        "Author: Nobody",
    )
    stderr = journal.fails_with(
        "content/paths/bad.toml:1: This path has no title.",
        'content/paths/bad.toml:2: "titel" is not a field here. Did you mean "title"?',
        'content/paths/bad.toml:5: No entry has the address "silence-on-the-lin". Did you mean '
        '"silence-on-the-line"?',
        'content/paths/bad.toml:8: The entry "unfinished-notes-on-scheduled-callbacks" is a draft',
        'content/paths/bad.toml:14: "refund-by-friday" is already in this path.',
        "content/paths/broken.toml:1: This is not valid TOML",
        'content/entries/2025/2025-02-11-silence-on-the-line.md:3: Author "Nobody" is not on the '
        "roster.",
    )
    assert "Casebook found 7 problems" in stderr


def test_a_path_without_entries_or_with_a_bad_name_is_refused(journal):
    journal.write("content/paths/New Starters.toml", 'title = "New starters"\n')
    journal.fails_with(
        "content/paths/New Starters.toml: A path's file name is its web address",
        "content/paths/New Starters.toml: This path lists no entries.",
    )


def tick(tab, sample):
    return tab.get_by_role("checkbox", name=f"I have read this ({sample.title})")


def test_progress_ticks_are_kept_in_the_browser(browser, serve, site):
    context = browser.new_context(base_url=serve_once(serve, site))
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(f"/{PAGE.removesuffix('index.html')}")
    assert (
        tab.locator(".path-progress").inner_text()
        == "You have read 0 of 4 entries (kept in this browser only)."
    )
    tick(tab, STOPS[1]).check()
    tab.reload()
    assert tick(tab, STOPS[1]).is_checked() and not tick(tab, STOPS[0]).is_checked()
    assert tab.locator(".path-progress").inner_text().startswith("You have read 1 of 4 entries")
    context.close()
    assert errors == []


def test_without_javascript_or_storage_the_path_page_is_complete(browser, serve, site):
    for options in ({"java_script_enabled": False}, {}):
        context = browser.new_context(base_url=serve_once(serve, site), **options)
        if options == {}:  # a browser that keeps nothing: localStorage throws
            context.add_init_script(
                "Object.defineProperty(window, 'localStorage', "
                "{get() { throw new DOMException('denied', 'SecurityError'); }})"
            )
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(f"/{PAGE.removesuffix('index.html')}")
        assert tab.locator(".path-stop-title a").all_inner_texts() == [s.title for s in STOPS]
        assert (
            tab.locator("input[type=checkbox]").count() == 0
            and tab.locator(".path-progress").is_hidden()
        )
        context.close()
        assert errors == []


def test_the_handout_prints_each_entry_on_a_page_of_its_own(browser, serve, site):
    context = browser.new_context(base_url=serve_once(serve, site))
    tab = context.new_page()
    tab.goto(f"/{HANDOUT.removesuffix('index.html')}")
    tab.emulate_media(media="print")
    breaks = tab.eval_on_selector_all(
        "article.handout-entry", "all => all.map(a => getComputedStyle(a).breakBefore)"
    )
    assert breaks == ["page"] * len(STOPS)
    assert (
        tab.locator(".site-header nav").is_hidden()
        and tab.locator(".handout-address").first.is_visible()
    )
    context.close()
