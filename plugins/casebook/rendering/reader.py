"""Pelican's Markdown reader, with the lessons of each entry added to its metadata."""

from __future__ import annotations

from pelican.readers import MarkdownReader

from .lessons_markdown import LessonsExtension


class CasebookMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own copy of the Markdown options: the site's settings stay as they were.
        markdown = self.settings["MARKDOWN"]
        extensions = [*markdown["extensions"], LessonsExtension()]
        self.settings = {**self.settings, "MARKDOWN": {**markdown, "extensions": extensions}}

    def read(self, source_path):
        content, metadata = super().read(source_path)
        metadata["lessons"] = self._md.lessons
        return content, metadata


def use_casebook_reader(readers) -> None:
    """Connected to `readers_init`: read .md files with our reader."""
    readers.reader_classes["md"] = CasebookMarkdownReader
