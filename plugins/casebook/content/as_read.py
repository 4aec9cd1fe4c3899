"""The second wall: what Pelican read, checked once more before anything is written.

The content check reads each header as Pelican does. Should the two ever part
(a new Pelican, a setting such as EXTRA_PATH_METADATA), an entry or a guide page
could carry a field that moves it (Save_as, Url, Template, Lang...) over the
home page or another page. So once Pelican has read everything, each entry and
page may hold only the fields of its contract, and is written at its own address.
"""

from __future__ import annotations

from pathlib import Path

from pelican.generators import ArticlesGenerator, PagesGenerator

from ..problems import ContentError, Problem
from . import entries, pages
from .headers import SLUG_FORMAT

# Besides the contract: the category all entries share (DEFAULT_METADATA), the name of the
# reader (Pelican's), a file's lessons and the digest of what was read (our reader's).
ADDED_FIELDS = {"category", "reader", "lessons", "source_digest"}
CONTRACTS = {  # the kind of content each generator reads, and the fields it may hold
    ArticlesGenerator: (
        "entry",
        {*entries.REQUIRED_FIELDS, *entries.OPTIONAL_FIELDS, *ADDED_FIELDS},
    ),
    PagesGenerator: ("guide page", {*pages.REQUIRED_FIELDS, *pages.OPTIONAL_FIELDS, *ADDED_FIELDS}),
}


def check_as_read(generators) -> None:
    """Connected to `all_generators_finalized`: everything is read, nothing is written yet."""
    problems = []
    for generator in generators:
        kind, fields = CONTRACTS.get(type(generator), (None, None))
        if kind:
            problems += [
                problem
                for content in everything_read(generator)
                for problem in as_read(content, kind, fields)
            ]
    if problems:
        raise ContentError(problems, generators[0].context["casebook"].output_path)


def everything_read(generator) -> list:
    """Published, hidden and draft content, and translations: whatever Pelican may write."""
    lists = (
        "articles",
        "translations",
        "hidden_articles",
        "hidden_translations",
        "drafts",
        "drafts_translations",
        "pages",
        "hidden_pages",
        "draft_pages",
        "draft_translations",
    )
    return [content for name in lists for content in getattr(generator, name, [])]


def as_read(content, kind: str, fields: set[str]) -> list[Problem]:
    path = Path(content.source_path)
    problems = [
        Problem(
            path,
            None,
            f'Pelican read a field "{name.capitalize()}" in this {kind} that its '
            "contract does not have, and Casebook's check did not see it. Look in the header for "
            "an unusual line, type the header again, and build again.",
        )
        for name in sorted(set(content.metadata) - fields)
    ]
    slug = getattr(content, "slug", "")
    if not SLUG_FORMAT.match(slug):
        problems.append(
            Problem(
                path,
                None,
                f'This {kind}\'s address "{slug}" is not made of '
                "lower-case letters, digits and hyphens. Give it a Slug line that is.",
            )
        )
    # _expand_settings: the address Pelican's URL settings give this kind, its slug and date.
    elif content.save_as != (own := content._expand_settings("save_as")):
        problems.append(
            Problem(
                path,
                None,
                f'This {kind} would be written to "{content.save_as}" instead of '
                f'its own address, "{own}". Look in the header for an unusual line.',
            )
        )
    return problems
