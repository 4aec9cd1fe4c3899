"""PAGE_INPUTS alone: what each cached page is drawn from, so that a kept page is never stale.

No site is built: contexts are made of plain objects. (tests/test_page_cache.py compares whole
rebuilds with fresh builds.)
"""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace as Thing

from pelican.plugins.casebook.page_cache.fingerprints import fingerprint
from pelican.plugins.casebook.page_cache.inputs import PAGE_INPUTS

TEMPLATES = Path(__file__).resolve().parent.parent / "theme" / "templates"


def entry(title="A call", slug="a-call", comments=0, endorsed=False, text="<p>Text</p>"):
    return Thing(
        title=title,
        slug=slug,
        date=datetime.datetime(2024, 3, 5, 9, 30),
        author=Thing(name="Ana Sousa"),
        discussion=Thing(count=comments, endorsements=["Julie Hill"] if endorsed else []),
        content=text,
    )


def inputs(template: str, **context) -> str:
    return fingerprint(*PAGE_INPUTS[template](context))


def test_every_cached_template_is_one_of_the_themes_pages():
    pages = {path.name for path in TEMPLATES.glob("*.html") if not path.name.startswith("_")}
    assert set(PAGE_INPUTS) <= pages - {"base.html"}


def test_an_archive_line_changes_with_what_it_shows_and_not_with_the_text():
    def archive(*entries):
        return inputs("archives.html", dates=list(entries))

    shown = archive(entry())
    assert archive(entry(text="<p>Other text</p>")) == shown
    for changed in (
        entry(title="Another call"),
        entry(slug="another"),
        entry(comments=1),
        entry(endorsed=True),
    ):
        assert archive(changed) != shown
    assert archive(entry(), entry(slug="b")) != archive(entry(slug="b"), entry())


def tag_context(number: int, count: int = 2):
    return {
        "tag": Thing(name="refunds"),
        "articles": [entry()] * count,
        "articles_page": Thing(number=number, object_list=[entry()]),
        "articles_paginator": Thing(num_pages=2),
        "lessons_by_tag": {
            "refunds": Thing(
                name="refunds",
                anchor="refunds",
                lessons=[
                    Thing(
                        html="Say when.",
                        url="2024/03/a-call/#lesson-say-when",
                        endorsed=False,
                        entry=entry(),
                    )
                ],
            )
        },
    }


def test_a_tag_page_shows_its_count_everywhere_and_its_lessons_on_the_first_page_only():
    first, second = tag_context(1), tag_context(2)
    assert inputs("tag.html", **first) != inputs("tag.html", **tag_context(1, count=3))
    assert inputs("tag.html", **second) != inputs("tag.html", **tag_context(2, count=3))
    first["lessons_by_tag"]["refunds"].lessons[0].html = "Say when you will call."
    second["lessons_by_tag"]["refunds"].lessons[0].html = "Say when you will call."
    assert inputs("tag.html", **first) != inputs("tag.html", **tag_context(1))
    assert inputs("tag.html", **second) == inputs("tag.html", **tag_context(2))


def test_the_not_found_page_depends_on_nothing_of_its_own():
    assert PAGE_INPUTS["404.html"]({}) == []


def test_a_fingerprint_keeps_its_parts_apart_and_in_order():
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint("a", "b") != fingerprint("b", "a")
    assert fingerprint("a", b"b") == fingerprint("a", "b") and len(fingerprint()) == 32
