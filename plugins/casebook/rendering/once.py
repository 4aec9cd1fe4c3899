"""Render a listing's entry once per build, however many pages list it.

An entry's card appears on a home page, on each of its tags' pages and on its
author's page; its archive line on the archive, its year and its month. The
macros that draw them depend only on their arguments and on site-wide values,
so their output is kept for the rest of the build instead of drawn again.
"""

from __future__ import annotations

from jinja2 import pass_context

RENDERED = "casebook_rendered"  # context key: this build's rendered macros


@pass_context
def render_once(context, macro, *arguments):
    """`{{ render_once(entry_card, entry, 2) }}`: the macro's output, drawn the first time only.

    SITEURL is part of the key: with relative URLs it differs from page to page.
    """
    rendered = context[RENDERED]
    key = (macro.name, context.get("SITEURL"), *arguments)
    if key not in rendered:
        rendered[key] = macro(*arguments)
    return rendered[key]


def add_template_helpers(generator) -> None:
    """Connected to `generator_init`: every generator has its own template environment."""
    generator.env.globals["render_once"] = render_once
    generator.context.setdefault(RENDERED, {})
