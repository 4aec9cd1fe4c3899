"""Casebook's settings, read and checked in one place."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from phonenumbers import SUPPORTED_REGIONS

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
    page_paths: tuple[str, ...]  # the guide pages
    page_excludes: tuple[str, ...]
    ignored_names: tuple[str, ...]  # IGNORE_FILES: names of files and folders that are not content
    people_file: Path
    comments_path: Path
    channels: tuple[str, ...]
    slug_substitutions: tuple
    tag_substitutions: tuple
    author_substitutions: tuple
    site_folders: frozenset[str]  # the first part of the addresses the site makes for itself
    output_path: Path
    timezone: str
    endorsed_url: str
    endorsed_feed: str
    lessons_url: str
    endorsed_lessons_url: str
    lessons_export: str
    pagefind_arguments: tuple[str, ...]
    phone_region: str
    privacy_patterns: dict[str, str]  # kind -> regular expression
    privacy_allowed: tuple[str, ...]
    privacy_reference_words: tuple[str, ...]
    privacy_reference_patterns: tuple[str, ...]
    privacy_banner: bool  # the local preview marks entry pages that have findings
    noindex: bool
    publish_target: str
    publish_keep: int
    publish_rsync_options: tuple[str, ...]
    publish_ssh_options: tuple[str, ...]  # for ssh, and for rsync over ssh: a port, a key, a config file
    feed_domain: str
    site_path: str  # the path part of SITEURL, "/" at the root: where search results live

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
        check_privacy_settings(settings)
        people = settings.get("CASEBOOK_PEOPLE", "people.toml")
        comments = settings.get("CASEBOOK_COMMENTS", "comments")
        for name, value, example in (("CASEBOOK_PEOPLE", people, "people.toml"),
                                     ("CASEBOOK_COMMENTS", comments, "comments")):
            if not isinstance(value, str) or not value:
                raise SettingsError(f'{name} must be a name inside the content folder, for example "{example}".')
        slug_substitutions = tuple(settings["SLUG_REGEX_SUBSTITUTIONS"])
        return cls(
            content_path=content_path,
            entry_paths=tuple(settings["ARTICLE_PATHS"]),
            entry_excludes=tuple(settings["ARTICLE_EXCLUDES"]),
            page_paths=tuple(settings["PAGE_PATHS"]),
            page_excludes=tuple(settings["PAGE_EXCLUDES"]),
            ignored_names=tuple(settings["IGNORE_FILES"]),
            people_file=content_path / people,
            comments_path=content_path / comments,
            channels=tuple(channels),
            slug_substitutions=slug_substitutions,
            # As Pelican's Tag and Author find theirs: their own setting, else the slugs'.
            tag_substitutions=tuple(settings.get("TAG_REGEX_SUBSTITUTIONS", slug_substitutions)),
            author_substitutions=tuple(settings.get("AUTHOR_REGEX_SUBSTITUTIONS", slug_substitutions)),
            site_folders=site_folders(settings),
            output_path=Path(settings["OUTPUT_PATH"]),
            timezone=settings["TIMEZONE"],
            endorsed_url=settings.get("CASEBOOK_ENDORSED_URL", "endorsed/"),
            endorsed_feed=settings.get("CASEBOOK_ENDORSED_FEED", "feeds/endorsed.atom.xml"),
            lessons_url=settings.get("CASEBOOK_LESSONS_URL", "lessons/"),
            endorsed_lessons_url=settings.get("CASEBOOK_ENDORSED_LESSONS_URL", "lessons/endorsed/"),
            lessons_export=settings.get("CASEBOOK_LESSONS_EXPORT", "lessons.json"),
            pagefind_arguments=tuple(shlex.split(settings.get("CASEBOOK_PAGEFIND_ARGUMENTS", ""))),
            phone_region=settings.get("CASEBOOK_PHONE_REGION", "GB"),
            privacy_patterns=dict(settings.get("CASEBOOK_PRIVACY_PATTERNS", {})),
            privacy_allowed=tuple(settings.get("CASEBOOK_PRIVACY_ALLOW", ())),
            privacy_reference_words=tuple(settings.get("CASEBOOK_PRIVACY_REFERENCE_WORDS", ())),
            privacy_reference_patterns=tuple(settings.get("CASEBOOK_PRIVACY_REFERENCE_PATTERNS", ())),
            privacy_banner=bool(settings.get("CASEBOOK_PRIVACY_BANNER", True)),
            noindex=bool(settings.get("CASEBOOK_NOINDEX", True)),
            publish_target=settings.get("CASEBOOK_PUBLISH_TARGET", ""),
            publish_keep=int(settings.get("CASEBOOK_PUBLISH_KEEP", 5)),
            publish_rsync_options=tuple(shlex.split(settings.get("CASEBOOK_PUBLISH_RSYNC_OPTIONS", ""))),
            publish_ssh_options=tuple(shlex.split(settings.get("CASEBOOK_PUBLISH_SSH_OPTIONS", ""))),
            feed_domain=settings.get("FEED_DOMAIN") or settings["SITEURL"],
            site_path=urlsplit(settings["SITEURL"]).path.rstrip("/") + "/",
        )


def site_folders(settings: dict) -> frozenset[str]:
    """The first folder (or file) name of every address the site makes for itself: tags/, archive/,
    feeds/, page/ (the home page's second page), theme/... A guide page, at /<slug>/, must take none."""
    patterns = [value for name, value in settings.items() if isinstance(value, str)
                and name.endswith(("_SAVE_AS", "_URL", "_ATOM", "_RSS", "_FEED", "_EXPORT"))]
    patterns += [rule[2].removeprefix("{base_name}") for rule in settings["PAGINATION_PATTERNS"]]
    patterns += [settings["THEME_STATIC_DIR"], *settings["STATIC_PATHS"], "pagefind"]
    firsts = (pattern.strip("/").split("/")[0] for pattern in patterns)
    return frozenset(first for first in firsts if first and "{" not in first)


def check_privacy_settings(settings: dict) -> None:
    """A privacy setting that cannot work stops the build, named, before any file is scanned."""
    region = settings.get("CASEBOOK_PHONE_REGION", "GB")
    if region not in SUPPORTED_REGIONS:
        raise SettingsError(f'CASEBOOK_PHONE_REGION "{region}" is not a country code libphonenumber knows. '
                            'Write the two capital letters of ISO 3166, for example "GB" (not "UK") or "US".')
    patterns = settings.get("CASEBOOK_PRIVACY_PATTERNS", {})
    if not isinstance(patterns, dict):
        raise SettingsError('CASEBOOK_PRIVACY_PATTERNS must map a kind to a pattern, for example '
                            '{"account number": r"ACC-\\d{8}\\b"}.')
    for name, example in (("CASEBOOK_PRIVACY_ALLOW", '["0800 160 0000", "*@example.com"]'),
                          ("CASEBOOK_PRIVACY_REFERENCE_WORDS", '["booking", "complaint"]'),
                          ("CASEBOOK_PRIVACY_REFERENCE_PATTERNS", '[r"CB-\\d{7}"]')):
        values = settings.get(name, ())
        if isinstance(values, str) or not all(isinstance(value, str) for value in values):
            raise SettingsError(f"{name} must be a list of texts, for example {example}.")
    references = settings.get("CASEBOOK_PRIVACY_REFERENCE_PATTERNS", ())
    for name, values in (("CASEBOOK_PRIVACY_PATTERNS", patterns.values()),
                         ("CASEBOOK_PRIVACY_REFERENCE_PATTERNS", references)):
        for pattern in values:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as error:
                raise SettingsError(f'{name}: {pattern!r} is not a regular expression ({error}).') from None
