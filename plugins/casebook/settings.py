"""Casebook's settings, read and checked in one place."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .problems import UserError

DEFAULT_CHANNELS = ("phone", "email", "chat", "in-person", "other")


class SettingsError(UserError):
    """A Casebook setting in pelicanconf.py is wrong."""

    def __init__(self, message: str):
        super().__init__(f"pelicanconf.py: {message}")


@dataclass(frozen=True)
class CasebookSettings:
    content_path: Path
    entry_paths: tuple[str, ...]
    entry_excludes: tuple[str, ...]
    ignored_names: tuple[str, ...]  # IGNORE_FILES: names of files and folders that are not content
    people_file: Path
    comments_path: Path
    channels: tuple[str, ...]
    slug_substitutions: tuple
    output_path: Path
    timezone: str
    endorsed_url: str
    endorsed_feed: str
    lessons_url: str
    endorsed_lessons_url: str
    lessons_export: str
    review_url: str
    review_feed: str
    review_count: bool  # the queue's count in every page's header (the local preview)
    insights_url: str
    paths_folder: Path  # content/paths/<name>.toml: the trainers' reading paths
    paths_url: str
    verify_endorsements: bool  # `invoke check`: each endorsement committed by its supervisor (git)
    require_signed: bool  # ... in commits whose signatures git verifies
    pagefind_arguments: tuple[str, ...]
    phone_region: str
    privacy_patterns: dict[str, str]
    privacy_allowed: tuple[str, ...]
    noindex: bool
    publish_target: str
    publish_keep: int
    publish_rsync_options: tuple[str, ...]
    publish_ssh_options: tuple[str, ...]  # for ssh, and for rsync over ssh: a port, a key, a config file
    feed_domain: str
    site_path: str  # the path part of SITEURL, "/" at the root: where search results live

    @property
    def review_count_style(self) -> str:
        """The stylesheet that shows the queue's count in the header (indexes/review.py)."""
        return f"{self.review_url}count.css"

    @classmethod
    def from_pelican(cls, settings: dict) -> CasebookSettings:
        content_path = Path(settings["PATH"])
        channels = settings.get("CASEBOOK_CHANNELS", DEFAULT_CHANNELS)
        if isinstance(channels, str) or not channels or not all(
            isinstance(channel, str) and channel for channel in channels
        ):
            raise SettingsError(
                'CASEBOOK_CHANNELS must be a list of names, for example ["phone", "email"].'
            )
        people = settings.get("CASEBOOK_PEOPLE", "people.toml")
        comments = settings.get("CASEBOOK_COMMENTS", "comments")
        paths = settings.get("CASEBOOK_PATHS", "paths")
        for name, value, example in (("CASEBOOK_PEOPLE", people, "people.toml"),
                                     ("CASEBOOK_COMMENTS", comments, "comments"), ("CASEBOOK_PATHS", paths, "paths")):
            if not isinstance(value, str) or not value:
                raise SettingsError(f'{name} must be a name inside the content folder, for example "{example}".')
        return cls(
            content_path=content_path,
            entry_paths=tuple(settings["ARTICLE_PATHS"]),
            entry_excludes=tuple(settings["ARTICLE_EXCLUDES"]),
            ignored_names=tuple(settings["IGNORE_FILES"]),
            people_file=content_path / people,
            comments_path=content_path / comments,
            channels=tuple(channels),
            slug_substitutions=tuple(settings["SLUG_REGEX_SUBSTITUTIONS"]),
            output_path=Path(settings["OUTPUT_PATH"]),
            timezone=settings["TIMEZONE"],
            endorsed_url=settings.get("CASEBOOK_ENDORSED_URL", "endorsed/"),
            endorsed_feed=settings.get("CASEBOOK_ENDORSED_FEED", "feeds/endorsed.atom.xml"),
            lessons_url=settings.get("CASEBOOK_LESSONS_URL", "lessons/"),
            endorsed_lessons_url=settings.get("CASEBOOK_ENDORSED_LESSONS_URL", "lessons/endorsed/"),
            lessons_export=settings.get("CASEBOOK_LESSONS_EXPORT", "lessons.json"),
            review_url=settings.get("CASEBOOK_REVIEW_URL", "review/"),
            review_feed=settings.get("CASEBOOK_REVIEW_FEED", "feeds/review.atom.xml"),
            review_count=bool(settings.get("CASEBOOK_REVIEW_COUNT", False)),
            insights_url=settings.get("CASEBOOK_INSIGHTS_URL", "insights/"),
            paths_folder=content_path / paths,
            paths_url=settings.get("CASEBOOK_PATHS_URL", "paths/"),
            verify_endorsements=bool(settings.get("CASEBOOK_VERIFY_ENDORSEMENTS", False)),
            require_signed=bool(settings.get("CASEBOOK_REQUIRE_SIGNED", False)),
            pagefind_arguments=tuple(shlex.split(settings.get("CASEBOOK_PAGEFIND_ARGUMENTS", ""))),
            phone_region=settings.get("CASEBOOK_PHONE_REGION", "GB"),
            privacy_patterns=dict(settings.get("CASEBOOK_PRIVACY_PATTERNS", {})),
            privacy_allowed=tuple(settings.get("CASEBOOK_PRIVACY_ALLOW", ())),
            noindex=bool(settings.get("CASEBOOK_NOINDEX", True)),
            publish_target=settings.get("CASEBOOK_PUBLISH_TARGET", ""),
            publish_keep=int(settings.get("CASEBOOK_PUBLISH_KEEP", 5)),
            publish_rsync_options=tuple(shlex.split(settings.get("CASEBOOK_PUBLISH_RSYNC_OPTIONS", ""))),
            publish_ssh_options=tuple(shlex.split(settings.get("CASEBOOK_PUBLISH_SSH_OPTIONS", ""))),
            feed_domain=settings.get("FEED_DOMAIN") or settings["SITEURL"],
            site_path=urlsplit(settings["SITEURL"]).path.rstrip("/") + "/",
        )
