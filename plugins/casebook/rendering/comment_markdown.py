"""A comment's safe HTML, with the site's Markdown options, so line breaks behave as in entries."""

from __future__ import annotations

from pathlib import Path

from markdown import Markdown

from .sanitise import clean_html


class CommentRenderer:
    def __init__(self, markdown_settings: dict):
        # One Markdown for every comment: making one per comment costs more than converting it.
        extensions = [*markdown_settings["extensions"], "markdown.extensions.meta"]  # the header is not text
        self.markdown = Markdown(**{**markdown_settings, "extensions": extensions})

    def __call__(self, path: Path | str) -> str:
        self.markdown.reset()
        return clean_html(self.markdown.convert(Path(path).read_text(encoding="utf-8")))
