"""Pelican's Markdown reader: safe HTML, with the lessons of each entry added to its metadata.

Sanitising here, as the file is read, means Pelican's content cache keeps the
clean HTML, and no template ever sees anything else.
"""

from __future__ import annotations

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .lessons_markdown import LessonsExtension
from .sanitise import clean_html


class CasebookMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own copy of the Markdown options: the site's settings stay as they were.
        markdown = self.settings["MARKDOWN"]
        extensions = [*markdown["extensions"], LessonsExtension()]
        self.settings = {**self.settings, "MARKDOWN": {**markdown, "extensions": extensions}}
        # One Markdown for every file, reset in between: Pelican makes one per file,
        # and setting up its extensions cost more than converting a typical entry.
        self._md = Markdown(**self.settings["MARKDOWN"])
        self._meta = self._md.preprocessors["meta"]

    def read(self, source_path):
        self._source_path = source_path
        self._md.reset()
        # Pelican's _parse_metadata unregisters the Meta step before converting the Summary.
        self._md.preprocessors.register(self._meta, "meta", 27)
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        lessons = self._md.lessons  # taken first: converting the Summary resets the instance
        metadata = self._parse_metadata(self._md.Meta)
        metadata["lessons"] = lessons
        if "summary" in metadata:
            metadata["summary"] = clean_html(metadata["summary"])
        return clean_html(content), metadata


def use_casebook_reader(readers) -> None:
    """Connected to `readers_init`: read .md files with our reader."""
    readers.reader_classes["md"] = CasebookMarkdownReader
