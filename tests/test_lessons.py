"""The "lessons learned" index, built from the sample journal and from made-up entries."""

from __future__ import annotations

import json
import re

from conftest import ROOT, build, html, run_pelican
from test_site import PUBLISHED, Sample

ENDORSED_SLUGS = {
    path.parent.name
    for path in (ROOT / "content/comments").rglob("*.md")
    if "\nEndorsement: yes" in path.read_text()
}


def source_lessons(sample: Sample) -> list[str]:
    """The sample's lessons as plain text, read from its Markdown source."""
    section = re.split(r"^#+ Lessons learned:?\s*$", sample.path.read_text(), flags=re.M | re.I)[1]
    items = re.findall(r"^- (.+)$", re.split(r"^#", section, flags=re.M)[0], flags=re.M)
    return [item.replace("**", "").replace("*", "") for item in items]


def group_lessons(page) -> dict[str, list[tuple[str, str, bool]]]:
    """For each group on a lessons page: (lesson text, link, endorsed) in page order."""
    groups = {}
    for section in page.select("section.lesson-group"):
        name = section.h2.contents[0].strip()
        groups[name] = [
            (
                normalise(item.select_one(".lesson-text").get_text()),
                item.select_one(".lesson-source a")["href"],
                "lesson-endorsed" in item["class"],
            )
            for item in section.select(".lesson-item")
        ]
    return groups


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_every_lesson_appears_under_each_of_its_tags(site):
    groups = group_lessons(html(site / "lessons/index.html"))
    expected: dict[str, list[str]] = {}
    for sample in sorted(PUBLISHED, key=lambda s: s.date, reverse=True):
        for tag in sample.tags:
            expected.setdefault(tag, []).extend(source_lessons(sample))
    assert list(groups) == sorted(expected)  # alphabetical
    for tag, lessons in expected.items():
        assert [normalise(text) for text, _, _ in groups[tag]] == [
            normalise(lesson) for lesson in lessons
        ], tag


def test_table_of_contents_links_each_group_with_its_count(site):
    page = html(site / "lessons/index.html")
    for link in page.select(".lessons-toc a"):
        section = page.select_one(link["href"])
        assert section and "lesson-group" in section["class"]
        count = link.find_next_sibling(class_="count").get_text()
        assert count == f"{len(section.select('.lesson-item'))} lessons"
    assert len(page.select(".lessons-toc a")) == len(page.select("section.lesson-group"))
    assert "/lessons/" in [a["href"] for a in page.select("nav[aria-label=Main] a")]


def test_every_lesson_link_resolves_to_its_item_on_the_entry_page(site):
    links = {
        href
        for group in group_lessons(html(site / "lessons/index.html")).values()
        for _, href, _ in group
    }
    assert len(links) == sum(len(source_lessons(s)) for s in PUBLISHED)
    for link in links:
        path, anchor = link.split("#")
        target = html(site / path.strip("/") / "index.html").find(id=anchor)
        assert target is not None and target.name == "li" and "lesson" in target["class"], link


def test_lessons_keep_their_formatting_and_show_their_source(site):
    page = html(site / "lessons/index.html")
    item = next(i for i in page.select(".lesson-item") if "has in front of them" in i.get_text())
    assert item.select_one(".lesson-text strong").get_text() == "has in front of them"
    source = item.select_one(".lesson-source").get_text(" ", strip=True)
    assert (
        "What is a tracking number, anyway?" in source
        and "Priya Nair" in source
        and "14 March 2022" in source
    )


def test_lessons_of_endorsed_entries_are_marked(site):
    for group in group_lessons(html(site / "lessons/index.html")).values():
        for _, href, endorsed in group:
            assert endorsed == (href.split("#")[0].strip("/").split("/")[-1] in ENDORSED_SLUGS), (
                href
            )


def test_endorsed_only_view_has_exactly_the_endorsed_lessons(site):
    everything = group_lessons(html(site / "lessons/index.html"))
    endorsed = group_lessons(html(site / "lessons/endorsed/index.html"))
    expected = {
        tag: [lesson for lesson in lessons if lesson[2]] for tag, lessons in everything.items()
    }
    assert endorsed == {tag: lessons for tag, lessons in expected.items() if lessons}
    assert html(site / "lessons/endorsed/index.html").find("script") is None


def test_each_tag_page_shows_its_lessons(site):
    everything = group_lessons(html(site / "lessons/index.html"))
    for tag, lessons in everything.items():
        slug = tag.replace(" ", "-")
        page = html(site / "tags" / slug / "index.html")
        shown = [
            normalise(i.select_one(".lesson-text").get_text())
            for i in page.select(".tag-lessons .lesson-item")
        ]
        assert shown == [normalise(text) for text, _, _ in lessons], tag


def test_export_is_valid_json_that_matches_the_page(site):
    records = json.loads((site / "lessons.json").read_text(encoding="utf-8"))
    page = group_lessons(html(site / "lessons/index.html"))
    on_page = {
        (normalise(text), href, endorsed)
        for group in page.values()
        for text, href, endorsed in group
    }
    exported = {
        (normalise(r["text"]), r["url"].removeprefix("http://localhost:8000"), r["endorsed"])
        for r in records
    }
    assert exported == on_page
    for record in records:
        assert set(record) == {"text", "html", "url", "title", "author", "date", "tags", "endorsed"}
        sample = next(s for s in PUBLISHED if s.title == record["title"])
        assert record["author"] == sample.meta["author"] and record["tags"] == sample.tags
        assert record["date"].startswith(sample.date.strftime("%Y-%m-%dT%H:%M"))


def test_headings_in_any_case_and_level_count_drafts_and_entries_without_lessons_do_not(
    project, tmp_path
):
    entries = project / "content/entries/2025"
    (entries / "variant.md").write_text(
        "Title: A variant heading\nDate: 2025-07-01\nAuthor: Dev Patel\nTags: variants\n\n"
        "### lessons LEARNED:\n\n1. Numbered *lessons* count too\n2. So does the second\n\n"
        "### Something else\n\n- Not a lesson\n"
    )
    (entries / "none.md").write_text(
        "Title: No lessons here\nDate: 2025-07-02\nAuthor: Dev Patel\nTags: variants\n\nJust a "
        "story.\n"
    )
    (entries / "draft.md").write_text(
        "Title: Draft lessons\nDate: 2025-07-03\nAuthor: Dev Patel\nTags: variants\n"
        "Status: draft\n\n## Lessons learned\n\n- A draft lesson\n"
    )
    site = build(project / "content", tmp_path / "output")
    groups = group_lessons(html(site / "lessons/index.html"))
    assert [text for text, _, _ in groups["variants"]] == [
        "Numbered lessons count too",
        "So does the second",
    ]
    records = json.loads((site / "lessons.json").read_text())
    assert not [r for r in records if r["title"] in ("Draft lessons", "No lessons here")]
    assert all("A draft lesson" not in p.read_text() for p in site.glob("lessons/**/*.html"))


def test_an_entry_without_lessons_is_a_warning_not_an_error(project):
    (project / "content/entries/2025/none.md").write_text(
        "Title: No lessons here\nDate: 2025-07-02\nAuthor: Dev Patel\n\nA story.\n"
    )
    result = run_pelican(project / "content", project / "output", project, "--log-handler", "plain")
    assert result.returncode == 0, result.stderr
    assert (
        'content/entries/2025/none.md: This entry has no "Lessons learned" section'
        in result.stdout + result.stderr
    )
    assert (project / "output/2025/07/no-lessons-here/index.html").exists()


def test_nothing_carries_over_from_one_entry_to_the_next(project, tmp_path):
    """The reader reuses one Markdown for every file: footnotes, abbreviations and lessons stay
    put."""
    entries = project / "content/entries/2025"
    plain = "Date: 2025-07-0{day}\nAuthor: Dev Patel\nTags: variants\n\nA plain story about HTML.\n"
    (entries / "a-plain.md").write_text("Title: First plain\n" + plain.format(day=1))
    (entries / "b-rich.md").write_text(
        "Title: Rich\nDate: 2025-07-02\nAuthor: Dev Patel\nTags: variants\n\n"
        "A story about HTML.[^1]\n\n[^1]: A footnote.\n\n*[HTML]: Hypertext\n\n"
        "## Lessons learned\n\n- Only the rich entry has this lesson\n"
    )
    (entries / "c-plain.md").write_text("Title: Last plain\n" + plain.format(day=3))
    site = build(project / "content", tmp_path / "output")
    rich = html(site / "2025/07/rich/index.html")
    assert rich.select(".footnote") and rich.find("abbr") and rich.select("li.lesson")
    for slug in ("first-plain", "last-plain"):
        page = html(site / f"2025/07/{slug}/index.html")
        assert (
            not page.select(".footnote") and not page.find("abbr") and not page.select("li.lesson")
        )
    groups = group_lessons(html(site / "lessons/index.html"))
    assert [title for _, title, _ in groups["variants"]] == [
        "/2025/07/rich/#lesson-only-the-rich-entry-has-this-lesson"
    ]
