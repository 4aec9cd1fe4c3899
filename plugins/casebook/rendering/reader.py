"""Pelican's Markdown reader: safe HTML, with the lessons of each entry added to its metadata.

Sanitising here, as the file is read, means Pelican's content cache keeps the
clean HTML (the lessons' too), and no template ever sees anything else.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from markdown import Markdown

from ..content.headers import digest_of, source_text
from ..seams import MarkdownReaderSeam, markdown_options
from .lessons_markdown import LessonsExtension
from .sanitise import clean_html


class CasebookMarkdownReader(MarkdownReaderSeam):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own copy of the Markdown options: the site's settings stay as they were.
        markdown = markdown_options(self.settings)
        extensions = [*markdown["extensions"], LessonsExtension()]
        self.settings = {**self.settings, "MARKDOWN": {**markdown, "extensions": extensions}}
        # One Markdown for every file, reset in between: Pelican makes one per file,
        # and setting up its extensions cost more than converting a typical entry.
        self.markdown = Markdown(**self.settings["MARKDOWN"])
        self.use_markdown(self.markdown)
        self.ahead = None  # a RenderAhead, while one converts entries in another process
        self.failures: dict[str, str] = {}  # source path -> why it could not be read

    def convert(self, source_path) -> tuple[str, dict, list, str]:
        """The file's safe HTML, its metadata as written, its lessons, and the digest of the bytes
        read."""
        self.markdown.reset()
        self.restore_meta_step()
        data = Path(source_path).read_bytes()
        html = self.markdown.convert(source_text(data))
        lessons = [
            replace(lesson, html=clean_html(lesson.html)) for lesson in self.markdown.lessons
        ]
        return clean_html(html), self.markdown.Meta, lessons, digest_of(data)

    def read(self, source_path):
        try:
            return self.read_checked(source_path)
        except (
            Exception
        ) as error:  # Pelican logs only "Could not process": keep the reason for the message
            self.failures[str(source_path)] = f"{type(error).__name__}: {error}"
            raise

    def read_checked(self, source_path):
        converted = self.ahead.take(source_path) if self.ahead else None
        content, meta, lessons, digest = converted or self.convert(source_path)
        metadata = self.parse_metadata(meta, source_path)
        metadata["lessons"] = lessons
        metadata["source_digest"] = digest  # compared with what the content check read (build.py)
        if "summary" in metadata:
            metadata["summary"] = clean_html(metadata["summary"])
        return content, metadata


def use_casebook_reader(readers) -> None:
    """Connected to `readers_init`: read .md files with our reader."""
    readers.reader_classes["md"] = CasebookMarkdownReader
