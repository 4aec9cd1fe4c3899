"""The theme's own files, linked with a digest of their content, so that browsers may keep them for
long.

`{{ theme_file("css/casebook.css") }}` in a template gives
`/theme/css/casebook.css?v=<digest>`: a changed file gets a new address, so
a web server can let browsers cache the theme's files for a year. The page
cache draws every page again after any change to the theme (see
page_cache/fingerprints.py), so no page keeps an old address.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import pass_context


def add_theme_file_helper(generator) -> None:
    """Connected to `generator_init`: every generator has its own template environment."""
    theme = Path(generator.settings["THEME"])
    digests = {
        path.relative_to(theme / folder).as_posix(): digest(path)
        for folder in generator.settings["THEME_STATIC_PATHS"]
        for path in (theme / folder).rglob("*")
        if path.is_file()
    }

    @pass_context
    def theme_file(context, name: str) -> str:
        return f"{context['SITEURL']}/{context['THEME_STATIC_DIR']}/{name}?v={digests[name]}"

    generator.env.globals["theme_file"] = theme_file


def digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()
