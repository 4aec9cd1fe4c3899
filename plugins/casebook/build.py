"""The plugin's steps in a Pelican build."""

from __future__ import annotations

import logging

from .problems import ContentError
from .settings import CasebookSettings
from .validation import check_content

logger = logging.getLogger(__name__)


def check_before_reading(generator) -> None:
    """Stop the build, before anything is read or written, if the content has mistakes."""
    settings = CasebookSettings.from_pelican(generator.settings)
    content = check_content(settings)
    for warning in content.warnings:
        logger.warning("%s", warning)
    if content.problems:
        raise ContentError(content.problems, settings.output_path)
    # Shared with every generator, so templates can show each author's role.
    generator.context["people"] = content.roster.people
