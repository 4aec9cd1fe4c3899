"""Which export a file is, read with the reader for its format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

from ...problems import Problem, display_path
from .blogger import KIND_TERM, read_classic, read_takeout
from .export_xml import ExportUnreadable, read_xml
from .model import Export, ImportRefused
from .wordpress import read_wordpress


def read_export(source: Path) -> Export:
    try:
        root = read_xml(source)
    except ExportUnreadable as error:
        raise ImportRefused(
            f"Nothing was imported: {Problem(source, error.line, str(error))}"
        ) from None
    except OSError as error:
        raise ImportRefused(
            f"Nothing was imported: {display_path(source)} could not be read ({error.strerror})."
        ) from None
    reader = reader_for(root)
    if reader is None:
        raise ImportRefused(
            f"Nothing was imported: {display_path(source)} is not an export from Blogger "
            "(Settings → Back up content, or Google Takeout's feed.atom) or from WordPress "
            "(Tools → Export)."
        )
    export = reader(root)
    if export.problems:
        raise ImportRefused(
            "Nothing was imported: some items of the export could not be read.\n\n"
            + "\n".join(f"  {Problem(source, None, problem)}" for problem in export.problems)
        )
    return export


def reader_for(root: Element) -> Callable[[Element], Export] | None:
    name = root.tag.rpartition("}")[2]
    if name == "rss" and root.find("{*}channel/{*}wxr_version") is not None:
        return read_wordpress
    if name == "feed" and root.find("{*}entry/{*}type") is not None:
        return read_takeout
    entries = root.findall("{*}entry")
    kinds = (
        KIND_TERM.search(category.get("term", ""))
        for category in root.iterfind("{*}entry/{*}category")
    )
    if name == "feed" and (not entries or any(kinds)):
        return read_classic
    return None
