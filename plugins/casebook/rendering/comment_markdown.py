"""A comment's safe HTML, with the site's Markdown options, so line breaks behave as in entries."""

from __future__ import annotations

from pathlib import Path

from markdown import Markdown

from ..content.headers import digest_of, source_text
from ..seams import markdown_options
from .sanitise import clean_html


class CommentRenderer:
    def __init__(self, settings: dict):
        # One Markdown for every comment: making one per comment costs more than converting it.
        # Its options include the meta step (seams.markdown_options): the header is not text.
        self.markdown = Markdown(**markdown_options(settings))

    def __call__(self, path: Path | str) -> tuple[str, str]:
        """The comment's safe HTML, and the digest of the bytes read."""
        self.markdown.reset()
        data = Path(path).read_bytes()
        return clean_html(self.markdown.convert(source_text(data))), digest_of(data)
