"""The Markdown reader alone (rendering/reader.py): safe HTML, metadata and lessons of one file,
read as Pelican asks for it, without building a site. (Its only writes: the files it reads, in a
temporary folder.)
"""

from __future__ import annotations

import copy

import pytest
from pelican.plugins.casebook.content.headers import digest_of
from pelican.plugins.casebook.rendering.lessons_markdown import LessonsExtension
from pelican.plugins.casebook.rendering.reader import CasebookMarkdownReader
from pelican.settings import DEFAULT_CONFIG

ENTRY = """Title: A call & a <b>lesson</b>
Date: 2024-03-05
Author: Ana Sousa
Tags: refunds, deadlines
Summary: She <script>alert(1)</script>called **twice**.

## What happened

<script>alert(1)</script><p onclick="x()">She called.</p>

## Lessons learned

- Say **when** you will call back.
- Write it down <img src=x onerror=alert(1)>.
"""


@pytest.fixture
def settings():
    return copy.deepcopy(DEFAULT_CONFIG)


@pytest.fixture
def reader(settings):
    return CasebookMarkdownReader(settings)


def test_a_file_is_read_into_safe_html_its_metadata_and_its_lessons(reader, tmp_path):
    path = tmp_path / "entry.md"
    path.write_text(ENTRY, encoding="utf-8")
    content, metadata = reader.read(str(path))
    assert "<script" not in content and "onclick" not in content
    assert "<p>She called.</p>" in content
    assert 'id="lesson-say-when-you-will-call-back"' in content
    assert metadata["title"] == "A call & a <b>lesson</b>"  # as written: the templates escape it
    assert [str(tag) for tag in metadata["tags"]] == ["refunds", "deadlines"]
    assert metadata["summary"] == "<p>She called <strong>twice</strong>.</p>"
    assert [lesson.html for lesson in metadata["lessons"]] == [
        "Say <strong>when</strong> you will call back.",
        'Write it down <img src="x">.',
    ]
    assert metadata["source_digest"] == digest_of(path.read_bytes())


def test_each_file_is_read_afresh(reader, tmp_path):
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    first.write_text(ENTRY, encoding="utf-8")
    second.write_text("Title: Plain\nDate: 2024-03-06\n\nNo lessons here.\n", encoding="utf-8")
    reader.read(str(first))
    content, metadata = reader.read(str(second))
    assert metadata["lessons"] == [] and "tags" not in metadata
    assert content == "<p>No lessons here.</p>" and metadata["title"] == "Plain"


def test_the_lessons_extension_stays_out_of_the_sites_markdown_settings(settings):
    reader = CasebookMarkdownReader(settings)
    # Pelican's own reader fills in the extensions; ours adds the lessons to its copy only.
    assert not any(isinstance(e, LessonsExtension) for e in settings["MARKDOWN"]["extensions"])
    assert isinstance(reader.settings["MARKDOWN"]["extensions"][-1], LessonsExtension)


def test_a_file_that_cannot_be_read_keeps_its_reason_for_the_message(reader, tmp_path):
    path = tmp_path / "broken.md"
    path.write_bytes(b"Title: Caf\xe9\n\nText\n")
    with pytest.raises(UnicodeDecodeError):
        reader.read(str(path))
    assert reader.failures[str(path)].startswith("UnicodeDecodeError: 'utf-8' codec")
