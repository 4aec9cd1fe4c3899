"""Guide pages (content/pages/): the rules of the page contract.

A guide page is published at /<slug>/, beside the site's own sections, so its
address must be one the site does not use (tags/, archive/, 2024/...).
"""

from __future__ import annotations

from ..problems import Problem
from ..settings import CasebookSettings
from .entries import check_address, entry_slug
from .headers import Header, check_fields

REQUIRED_FIELDS = ("title",)
OPTIONAL_FIELDS = ("slug", "summary")


def check_page(header: Header, settings: CasebookSettings) -> list[Problem]:
    problems = check_fields(header, "guide page", REQUIRED_FIELDS, OPTIONAL_FIELDS)
    problems += check_address(header, settings)
    slug = entry_slug(header, settings)
    if header.value("title") and (slug in settings.site_folders or slug.isdigit()):
        problems.append(
            Problem(
                header.path,
                header.line("slug") or header.line("title"),
                f'The address "{slug}" is taken by the site itself (/{slug}/). Give the page '
                'another one with a line "Slug: ...".',
            )
        )
    return problems
