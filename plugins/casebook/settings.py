"""Casebook's settings: declared once (name, kind, default, what it does), checked once.

Every CASEBOOK_* setting is in SCHEMA. `CasebookSettings.from_pelican` checks
them all and reports every mistake at once, naming the setting; an unknown
CASEBOOK_* name is a warning with a "did you mean" (`unknown_settings`). The
README's table of settings is made from SCHEMA (`invoke settings-table`).
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from phonenumbers import SUPPORTED_REGIONS

from .problems import UserError


class SettingsError(UserError):
    """Casebook settings in pelicanconf.py (or publishconf.py) are wrong: all of them are named."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(f"pelicanconf.py: {problem}" for problem in problems))


@dataclass(frozen=True)
class Kind:
    """What a setting holds: `read` turns the written value into the one used, or raises ValueError
    (with the reason, where there is more to say than what the setting must be)."""

    says: str  # "a list of texts": for the message and the README
    read: Callable[[object], object]


def _text(value):
    if not isinstance(value, str):
        raise ValueError
    return value


def _name(value):
    if not _text(value).strip() or ".." in Path(value).parts:
        raise ValueError
    return value


def _texts(value):
    if (
        isinstance(value, str)
        or not isinstance(value, (list, tuple))
        or not all(isinstance(v, str) for v in value)
    ):
        raise ValueError
    return tuple(value)


def _names(value):
    if not _texts(value) or not all(v.strip() for v in value):
        raise ValueError
    return tuple(value)


def _switch(value):
    if not isinstance(value, bool):
        raise ValueError
    return value


def _count(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError
    return value


def _arguments(value):
    try:
        return tuple(shlex.split(_text(value)))
    except ValueError as error:
        if error.args:  # shlex: a quotation mark not closed
            raise ValueError(
                f"{value!r} cannot be read as options ({str(error).rstrip('.').lower()})"
            ) from None
        raise


def _region(value):
    if value not in SUPPORTED_REGIONS:
        raise ValueError
    return value


def _regex(value):
    try:
        re.compile(value)
    except (re.error, TypeError) as error:
        raise ValueError(f"{value!r} is not a regular expression ({error})") from None
    return value


def _patterns(value):
    if not isinstance(value, dict) or not all(isinstance(kind, str) for kind in value):
        raise ValueError
    return {kind: _regex(pattern) for kind, pattern in value.items()}


def _regexes(value):
    return tuple(_regex(pattern) for pattern in _texts(value))


TEXT = Kind("a text", _text)
NAME = Kind("a file or folder name inside the content folder", _name)
ADDRESS = Kind("an address within the site, such as lessons/", _text)
TEXTS = Kind("a list of texts", _texts)
NAMES = Kind("a list of one or more names", _names)
SWITCH = Kind("True or False", _switch)
COUNT = Kind("a whole number, 1 or more", _count)
ARGUMENTS = Kind('command-line options in one text, such as "--bwlimit=500"', _arguments)
REGION = Kind(
    'a two-letter country code libphonenumber knows, such as "GB" (not "UK") or "US"', _region
)
PATTERNS = Kind(
    'a kind mapped to a regular expression, such as {"account number": r"ACC-\\d{8}"}', _patterns
)
REGEXES = Kind('a list of regular expressions, such as [r"CB-\\d{7}"]', _regexes)


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    default: object
    does: str  # one line for the README


SCHEMA = (
    Setting("CASEBOOK_PEOPLE", NAME, "people.toml", "the roster: who may write, and their role"),
    Setting("CASEBOOK_COMMENTS", NAME, "comments", "the folder of comments, one folder per entry"),
    Setting(
        "CASEBOOK_PATHS", NAME, "paths", "the folder of trainers' reading paths (`<name>.toml`)"
    ),
    Setting(
        "CASEBOOK_CHANNELS",
        NAMES,
        ("phone", "email", "chat", "in-person", "other"),
        "the values an entry's Channel may take",
    ),
    Setting("CASEBOOK_ENDORSED_URL", ADDRESS, "endorsed/", "the Endorsed page"),
    Setting(
        "CASEBOOK_ENDORSED_FEED",
        ADDRESS,
        "feeds/endorsed.atom.xml",
        "the Atom feed of endorsements",
    ),
    Setting("CASEBOOK_LESSONS_URL", ADDRESS, "lessons/", "the Lessons page"),
    Setting(
        "CASEBOOK_ENDORSED_LESSONS_URL",
        ADDRESS,
        "lessons/endorsed/",
        "the lessons of endorsed entries",
    ),
    Setting(
        "CASEBOOK_LESSONS_EXPORT",
        ADDRESS,
        "lessons.json",
        "every lesson as JSON, for other training tools",
    ),
    Setting("CASEBOOK_REVIEW_URL", ADDRESS, "review/", "the supervisors' review queue"),
    Setting(
        "CASEBOOK_REVIEW_FEED",
        ADDRESS,
        "feeds/review.atom.xml",
        "the Atom feed of the review queue",
    ),
    Setting(
        "CASEBOOK_REVIEW_COUNT",
        SWITCH,
        True,
        "the queue's count in the header (publishconf.py: off)",
    ),
    Setting(
        "CASEBOOK_INSIGHTS_URL", ADDRESS, "insights/", "the Insights page: charts of the journal"
    ),
    Setting("CASEBOOK_PATHS_URL", ADDRESS, "paths/", "the reading paths' pages"),
    Setting(
        "CASEBOOK_VERIFY_ENDORSEMENTS",
        SWITCH,
        False,
        "`invoke check`: each endorsement committed by its supervisor (git)",
    ),
    Setting("CASEBOOK_REQUIRE_SIGNED", SWITCH, False, "... and in commits git verifies as signed"),
    Setting(
        "CASEBOOK_PAGEFIND_ARGUMENTS",
        ARGUMENTS,
        "",
        "extra options for Pagefind, such as --force-language en",
    ),
    Setting(
        "CASEBOOK_SEARCH_LATER",
        SWITCH,
        False,
        "pages first, the search index after, in the background (`invoke livereload` sets it)",
    ),
    Setting(
        "CASEBOOK_PHONE_REGION",
        REGION,
        "GB",
        "how the privacy scan reads numbers written without a country code",
    ),
    Setting("CASEBOOK_PRIVACY_PATTERNS", PATTERNS, {}, "the team's own kinds of personal data"),
    Setting(
        "CASEBOOK_PRIVACY_ALLOW",
        TEXTS,
        (),
        "what may appear anyway: our own numbers, `*@example.com`",
    ),
    Setting(
        "CASEBOOK_PRIVACY_REFERENCE_WORDS",
        TEXTS,
        (),
        "words before a number that make it a reference",
    ),
    Setting(
        "CASEBOOK_PRIVACY_REFERENCE_PATTERNS",
        REGEXES,
        (),
        "the team's references, never personal data",
    ),
    Setting(
        "CASEBOOK_PRIVACY_BANNER",
        SWITCH,
        True,
        "the preview's banner on entries with findings (publishconf.py: off)",
    ),
    Setting(
        "CASEBOOK_NOINDEX", SWITCH, True, "robots.txt disallows all, and every page says noindex"
    ),
    Setting(
        "CASEBOOK_PUBLISH_TARGET",
        TEXT,
        "",
        "where `invoke publish` copies the site: a folder or user@host:/folder",
    ),
    Setting("CASEBOOK_PUBLISH_KEEP", COUNT, 5, "how many releases are kept for `invoke rollback`"),
    Setting(
        "CASEBOOK_PUBLISH_RSYNC_OPTIONS",
        ARGUMENTS,
        "",
        "extra options for rsync, such as --bwlimit=500",
    ),
    Setting(
        "CASEBOOK_PUBLISH_SSH_OPTIONS",
        ARGUMENTS,
        "",
        "options for ssh (and rsync's ssh): a port, a key, -F config",
    ),
)
BY_NAME = {setting.name: setting for setting in SCHEMA}


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
    review_url: str
    review_feed: str
    review_count: bool  # the queue's count in every page's header (the local preview)
    insights_url: str
    paths_folder: Path  # content/paths/<name>.toml: the trainers' reading paths
    paths_url: str
    verify_endorsements: bool  # `invoke check`: each endorsement committed by its supervisor (git)
    require_signed: bool  # ... in commits whose signatures git verifies
    pagefind_arguments: tuple[str, ...]
    search_later: bool  # the preview: pages are swapped in first, the search index follows
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
    publish_ssh_options: tuple[
        str, ...
    ]  # for ssh, and for rsync over ssh: a port, a key, a config file
    feed_domain: str
    site_path: str  # the path part of SITEURL, "/" at the root: where search results live

    @property
    def review_count_style(self) -> str:
        """The stylesheet that shows the queue's count in the header (indexes/review.py)."""
        return f"{self.review_url}count.css"

    @classmethod
    def from_pelican(cls, settings: dict) -> CasebookSettings:
        """Casebook's settings, checked (SCHEMA), and the Pelican settings it works from."""
        value = read(settings)
        content_path = Path(settings["PATH"])
        slug_substitutions = tuple(settings["SLUG_REGEX_SUBSTITUTIONS"])
        return cls(
            content_path=content_path,
            entry_paths=tuple(settings["ARTICLE_PATHS"]),
            entry_excludes=tuple(settings["ARTICLE_EXCLUDES"]),
            page_paths=tuple(settings["PAGE_PATHS"]),
            page_excludes=tuple(settings["PAGE_EXCLUDES"]),
            ignored_names=tuple(settings["IGNORE_FILES"]),
            people_file=content_path / value["CASEBOOK_PEOPLE"],
            comments_path=content_path / value["CASEBOOK_COMMENTS"],
            channels=value["CASEBOOK_CHANNELS"],
            slug_substitutions=slug_substitutions,
            # As Pelican's Tag and Author find theirs: their own setting, else the slugs'.
            tag_substitutions=tuple(settings.get("TAG_REGEX_SUBSTITUTIONS", slug_substitutions)),
            author_substitutions=tuple(
                settings.get("AUTHOR_REGEX_SUBSTITUTIONS", slug_substitutions)
            ),
            site_folders=site_folders(settings),
            output_path=Path(settings["OUTPUT_PATH"]),
            timezone=settings["TIMEZONE"],
            endorsed_url=value["CASEBOOK_ENDORSED_URL"],
            endorsed_feed=value["CASEBOOK_ENDORSED_FEED"],
            lessons_url=value["CASEBOOK_LESSONS_URL"],
            endorsed_lessons_url=value["CASEBOOK_ENDORSED_LESSONS_URL"],
            lessons_export=value["CASEBOOK_LESSONS_EXPORT"],
            review_url=value["CASEBOOK_REVIEW_URL"],
            review_feed=value["CASEBOOK_REVIEW_FEED"],
            review_count=value["CASEBOOK_REVIEW_COUNT"],
            insights_url=value["CASEBOOK_INSIGHTS_URL"],
            paths_folder=content_path / value["CASEBOOK_PATHS"],
            paths_url=value["CASEBOOK_PATHS_URL"],
            verify_endorsements=value["CASEBOOK_VERIFY_ENDORSEMENTS"],
            require_signed=value["CASEBOOK_REQUIRE_SIGNED"],
            pagefind_arguments=value["CASEBOOK_PAGEFIND_ARGUMENTS"],
            search_later=value["CASEBOOK_SEARCH_LATER"],
            phone_region=value["CASEBOOK_PHONE_REGION"],
            privacy_patterns=value["CASEBOOK_PRIVACY_PATTERNS"],
            privacy_allowed=value["CASEBOOK_PRIVACY_ALLOW"],
            privacy_reference_words=value["CASEBOOK_PRIVACY_REFERENCE_WORDS"],
            privacy_reference_patterns=value["CASEBOOK_PRIVACY_REFERENCE_PATTERNS"],
            privacy_banner=value["CASEBOOK_PRIVACY_BANNER"],
            noindex=value["CASEBOOK_NOINDEX"],
            publish_target=value["CASEBOOK_PUBLISH_TARGET"],
            publish_keep=value["CASEBOOK_PUBLISH_KEEP"],
            publish_rsync_options=value["CASEBOOK_PUBLISH_RSYNC_OPTIONS"],
            publish_ssh_options=value["CASEBOOK_PUBLISH_SSH_OPTIONS"],
            feed_domain=settings.get("FEED_DOMAIN") or settings["SITEURL"],
            site_path=urlsplit(settings["SITEURL"]).path.rstrip("/") + "/",
        )


def site_folders(settings: dict) -> frozenset[str]:
    """The first folder (or file) name of every address the site makes for itself: tags/, archive/,
    feeds/, page/ (the home page's second page), theme/... A guide page, at /<slug>/, must take
    none."""
    patterns = [
        value
        for name, value in settings.items()
        if isinstance(value, str)
        and name.endswith(("_SAVE_AS", "_URL", "_ATOM", "_RSS", "_FEED", "_EXPORT"))
    ]
    patterns += [rule[2].removeprefix("{base_name}") for rule in settings["PAGINATION_PATTERNS"]]
    patterns += [settings["THEME_STATIC_DIR"], *settings["STATIC_PATHS"], "pagefind"]
    firsts = (pattern.strip("/").split("/")[0] for pattern in patterns)
    return frozenset(first for first in firsts if first and "{" not in first)


def read(settings: dict) -> dict[str, object]:
    """Every Casebook setting's value as used, by name; all the mistakes at once as a
    SettingsError."""
    values, problems = {}, []
    for setting in SCHEMA:
        written = settings.get(setting.name, setting.default)
        try:
            values[setting.name] = setting.kind.read(written)
        except ValueError as error:  # with the reason, where a kind gives one
            problems.append(
                f"{setting.name}: {error}."
                if error.args
                else f"{setting.name} must be {setting.kind.says}; it is {written!r}."
            )
    if problems:
        raise SettingsError(problems)
    return values


def unknown_settings(settings: dict) -> list[str]:
    """A warning for each CASEBOOK_* name Casebook does not know (a misspelt one would do
    nothing)."""
    warnings = []
    for name in sorted(
        name for name in settings if name.startswith("CASEBOOK_") and name not in BY_NAME
    ):
        close = difflib.get_close_matches(name, BY_NAME, n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        warnings.append(
            f"pelicanconf.py: {name} is not a Casebook setting, so it does nothing.{hint}"
        )
    return warnings


def shown(default: object) -> str:
    """A default as it is written in pelicanconf.py."""
    return repr(list(default) if isinstance(default, tuple) else default)


def settings_table() -> str:
    """The README's table of settings, made from SCHEMA."""
    rows = [f"| `{s.name}` | {s.does} | {s.kind.says} | `{shown(s.default)}` |" for s in SCHEMA]
    return "\n".join(["| Setting | What it does | Holds | Default |", "|---|---|---|---|", *rows])
