"""What an import will write: the exported posts and comments as Casebook files, checked by the
build's rules.

Posts become entries as `invoke new` writes them, comments become comment files as
`invoke comment` writes them. Before anything is written, every new file is checked with the
rules the build applies, beside what the journal already holds. A file already at its place
is this import's from an earlier run: it is left as it is.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from ...content.comments import check_comment_files
from ...content.entries import check_entry, entries_by_slug, slug_for
from ...content.headers import SLUG_FORMAT, Header, parse_header
from ...content.people import Roster
from ...content.tags import read_tags
from ...content.validation import CheckedContent
from ...problems import Problem, display_path
from ...settings import CasebookSettings
from ..authoring import comment_path, date_text, entry_path, file_text
from .html_to_markdown import markdown_of
from .model import Comment, Export, ImportRefused, Post

TITLE_WORDS = 8  # an untitled post is titled with its first words
PAGE_SUFFIX = re.compile(r"\.html?$")


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    kind: str  # "post", "draft" or "comment"


@dataclass
class Plan:
    files: list[NewFile] = field(default_factory=list)  # to write
    existing: Counter[str] = field(
        default_factory=Counter
    )  # already in the journal, by kind: left as they are
    skipped: Counter[str] = field(default_factory=Counter)  # not imported, by kind
    titled: list[Path] = field(
        default_factory=list
    )  # posts without a title, titled with their first words


@dataclass(frozen=True)
class Placed:
    """A post and the entry it becomes."""

    post: Post
    title: str
    slug: str
    path: Path


def plan_import(
    export: Export,
    content: CheckedContent,
    roster: Roster,
    settings: CasebookSettings,
    names: dict[str, str],
    source: Path,
) -> Plan:
    """The files an import writes, or ImportRefused. `names` maps export names to roster names."""
    plan = Plan(skipped=Counter(export.skipped))
    local = ZoneInfo(settings.timezone)
    posts = sorted(export.posts, key=lambda post: in_zone(post, local))
    placed = [place(post, settings, local) for post in posts]
    comments = kept_comments(
        export.comments, {item.post.key: item for item in placed}, plan.skipped
    )
    check_authors(
        [item.post.author for item in placed], [item.author for item in comments], roster, names
    )
    problems = collisions(placed, content, settings, source)
    files = [entry_file(item, names, local) for item in placed]
    files += threads(
        comments, {item.post.key: item.slug for item in placed}, names, settings, local
    )
    for file in files:
        if file.path.exists():
            plan.existing["comment" if file.kind == "comment" else "entry"] += 1
        else:
            plan.files.append(file)
    new = {file.path for file in plan.files}
    plan.titled = [item.path for item in placed if item.path in new and not item.post.title.strip()]
    problems += rule_problems(plan.files, content, roster, settings)
    if problems:
        raise ImportRefused(
            "Nothing was imported: the new entries and comments would break the journal's "
            "rules.\n\n" + "\n".join(f"  {problem}" for problem in problems)
        )
    return plan


def place(post: Post, settings: CasebookSettings, local: ZoneInfo) -> Placed:
    title = " ".join(post.title.split()) or first_words(post.html)
    slug = address_slug(post, title, settings)
    return Placed(post, title, slug, entry_path(settings, slug, in_zone(post, local)))


def address_slug(post: Post, title: str, settings: CasebookSettings) -> str:
    """The last part of the old address, made to fit the slug rule; the title's slug when there is
    none."""
    page = PAGE_SUFFIX.sub("", PurePosixPath(urlsplit(post.address).path).name)
    for source in (page, title, f"post-{post.key}"):
        slug = slug_for(unquote(source).replace("_", "-"), settings).strip("-")
        if SLUG_FORMAT.match(slug):
            return slug
    return "post"


def first_words(html: str) -> str:
    words = BeautifulSoup(html, "html.parser").get_text(" ").split()
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "") or "Untitled"


def in_zone(item: Post | Comment, local: ZoneInfo) -> datetime.datetime:
    """When an item was published, in the journal's time zone; a time without a zone is local
    already."""
    moment = item.published
    return moment.astimezone(local).replace(tzinfo=None) if moment.tzinfo else moment


def kept_comments(
    comments: list[Comment], posts: dict[str, Placed], skipped: Counter[str]
) -> list[Comment]:
    """The comments on published entries (a draft takes none, as in the build)."""
    kept = []
    for comment in comments:
        post = posts.get(comment.post)
        if post is None:
            skipped["comment on an item not imported"] += 1
        elif post.post.draft:
            skipped["comment on a draft"] += 1
        else:
            kept.append(comment)
    return kept


def author_names(mappings: list[str], roster: Roster) -> dict[str, str]:
    """--author "Name in export=Name on roster" options as a dict; ImportRefused names each one
    that is wrong."""
    names, wrong = {}, []
    for mapping in mappings:
        exported, equals, listed = (part.strip() for part in mapping.partition("="))
        if not (exported and equals and listed):
            wrong.append(
                f'--author "{mapping}": write it as --author "Name in the export=Name on the '
                'roster".'
            )
        elif listed not in roster:
            wrong.append(
                f'--author "{mapping}": "{listed}" is not on the roster '
                f"({display_path(roster.path)})."
            )
        else:
            names[exported] = listed
    if wrong:
        raise ImportRefused(
            "Nothing was imported:\n" + "\n".join(f"  {reason}" for reason in wrong)
        )
    return names


def check_authors(
    post_authors: list[str], comment_authors: list[str], roster: Roster, names: dict[str, str]
) -> None:
    """Every name must be on the roster, directly or through --author: or nothing is imported."""
    posts, comments = Counter(post_authors), Counter(comment_authors)
    unknown = sorted(name for name in posts | comments if names.get(name, name) not in roster)
    if not unknown:
        return
    counts = [
        f'  "{name}": {plural(posts[name], "post")}, {plural(comments[name], "comment")}'
        for name in unknown
    ]
    people = [
        f'[[person]]\nname = {json.dumps(name, ensure_ascii=False)}\nrole = "staff"'
        for name in unknown
    ]
    raise ImportRefused(
        "Nothing was imported: these names in the export are not on the roster "
        f"({display_path(roster.path)}):\n"
        + "\n".join(counts)
        + '\n\nAdd each person to the roster (role "supervisor" for supervisors):\n\n'
        + "\n\n".join(people)
        + "\n\nor, if someone is on the roster under another name, say so: "
        '--author "Name in the export=Name on the roster" (once per name).'
    )


def plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def collisions(
    placed: list[Placed], content: CheckedContent, settings: CasebookSettings, source: Path
) -> list[Problem]:
    """Two posts with one address, or a post whose address another entry has: never one file over
    another."""
    taken = entries_by_slug(content.entries, settings)
    by_slug: dict[str, list[Placed]] = defaultdict(list)
    for item in placed:
        by_slug[item.slug].append(item)
    problems = []
    for slug, items in by_slug.items():
        if len(items) > 1:
            posts = " and ".join(
                f'"{item.title}" ({item.post.published:%Y-%m-%d})' for item in items
            )
            problems.append(
                Problem(
                    source,
                    None,
                    f'The posts {posts} would all have the address "{slug}". Give '
                    "all but one another address where they are now, and export again.",
                )
            )
        elif (other := taken.get(slug)) and other.path != items[0].path:
            where = display_path(other.path)
            problems.append(
                Problem(
                    source,
                    None,
                    f'The post "{items[0].title}" would have the address "{slug}", '
                    f"which {where} already has. Give the post another address where it is now "
                    'and export again, or give that entry a "Slug: ..." of its own.',
                )
            )
    return problems


def entry_file(item: Placed, names: dict[str, str], local: ZoneInfo) -> NewFile:
    post = item.post
    fields = {
        "title": item.title,
        "date": date_text(in_zone(post, local)),
        "author": names.get(post.author, post.author),
        "tags": tag_list(post.tags),
        "slug": item.slug,
        "status": "draft" if post.draft else "",
    }
    return NewFile(
        item.path,
        file_text(fields, markdown_of(post.html) + "\n"),
        "draft" if post.draft else "post",
    )


def tag_list(tags: tuple[str, ...]) -> str:
    """Tags as the Tags field lists them: a comma inside a label would split it in two."""
    return ", ".join(dict.fromkeys(" ".join(tag.replace(",", " ").split()) for tag in tags))


def threads(
    comments: list[Comment],
    entries: dict[str, str],
    names: dict[str, str],
    settings: CasebookSettings,
    local: ZoneInfo,
) -> list[NewFile]:
    """Each entry's comment files, named as `invoke comment` names them; Replyto names the comment
    answered."""
    by_entry: dict[str, list[Comment]] = defaultdict(list)
    for comment in sorted(comments, key=lambda comment: (in_zone(comment, local), comment.key)):
        by_entry[entries[comment.post]].append(comment)
    files = []
    for slug, items in by_entry.items():
        paths = unique_paths(
            [
                comment_path(
                    settings, slug, names.get(item.author, item.author), in_zone(item, local)
                )
                for item in items
            ]
        )
        stems = {item.key: path.stem for item, path in zip(items, paths)}
        files += [
            NewFile(
                path,
                file_text(
                    {
                        "author": names.get(item.author, item.author),
                        "date": date_text(in_zone(item, local)),
                        "replyto": stems.get(item.parent, ""),
                    },
                    markdown_of(item.html) + "\n",
                ),
                "comment",
            )
            for item, path in zip(items, paths)
        ]
    return files


def unique_paths(paths: list[Path]) -> list[Path]:
    """Two comments by one person in one minute: the second is ...-2.md."""
    seen: Counter[Path] = Counter()
    unique = []
    for path in paths:
        seen[path] += 1
        unique.append(path if seen[path] == 1 else path.with_stem(f"{path.stem}-{seen[path]}"))
    return unique


def rule_problems(
    files: list[NewFile], content: CheckedContent, roster: Roster, settings: CasebookSettings
) -> list[Problem]:
    """The build's own entry and comment rules on the new files, beside the journal's."""
    parsed = [parse_header(file.path, file.text) for file in files]
    headers = [header for header, _ in parsed]
    problems = [
        problem for _, header_problems in parsed for problem in header_problems
    ]  # invisible, too deep
    new_entries = [header for header, file in zip(headers, files) if file.kind != "comment"]
    problems += [
        problem for header in new_entries for problem in check_entry(header, roster, settings)
    ]
    problems += [
        problem
        for problem in read_tags(content.entries + new_entries, settings).problems
        if problem.path in {header.path for header in new_entries}
    ]
    entries = entries_by_slug(content.entries + new_entries, settings)
    new_comments: dict[str, list[Header]] = defaultdict(list)
    for header, file in zip(headers, files):
        if file.kind == "comment":
            new_comments[file.path.parent.name].append(header)
    for folder, added in new_comments.items():
        paths = {header.path for header in added}
        problems += [
            problem
            for problem in check_comment_files(
                content.comments.get(folder, []) + added, folder, entries, roster
            )
            if problem.path in paths
        ]
    return problems
