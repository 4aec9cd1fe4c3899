"""Read an export file as XML, safely and generously.

Exports are large files from elsewhere, so the XML is read with a guard: a file that
declares its own entities (the "billion laughs" and external-entity attacks) is refused,
and nothing outside the file is ever fetched. Blogger and WordPress never declare any.

Names are matched by their local part (`{*}name`), whatever prefix an export uses. A prefix
the export forgot to declare (older WordPress exports lack xmlns:atom) is taken as its own
namespace instead of ending the import: expat's namespace handling would refuse the file,
so prefixes are resolved here.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat


class ExportUnreadable(Exception):
    """The export is not XML we can read; `line` is where the reading stopped, if known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def read_xml(path: Path) -> Element:
    builder = TreeBuilder()
    scopes: list[dict[str, str]] = [{}]  # prefix -> namespace, for each open element

    def start(name: str, attributes: dict[str, str]) -> None:
        scope = dict(scopes[-1])
        scope.update({key.partition(":")[2]: value for key, value in attributes.items()
                      if key == "xmlns" or key.startswith("xmlns:")})
        scopes.append(scope)
        builder.start(qualified(name, scope), {key.rpartition(":")[2]: value for key, value in attributes.items()
                                               if not (key == "xmlns" or key.startswith("xmlns:"))})

    def end(name: str) -> None:
        builder.end(qualified(name, scopes.pop()))

    def refuse_entities(name, *_):
        raise ExportUnreadable(f'The export declares its own XML entity "{name}", which Blogger and WordPress '
                               "exports never do; it was not read, to be safe. Export the journal again.")

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = refuse_entities
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        with path.open("rb") as file:
            parser.ParseFile(file)
    except expat.ExpatError as error:
        raise ExportUnreadable(f"This is not a complete XML file ({expat.ErrorString(error.code)}, column "
                               f"{error.offset + 1}). Export the journal again, and import the new file.",
                               error.lineno) from None
    return builder.close()


def qualified(name: str, scope: dict[str, str]) -> str:
    """ElementTree's {namespace}local form; an undeclared prefix stands for itself."""
    prefix, _, local = name.rpartition(":")
    namespace = scope.get(prefix, prefix)
    return f"{{{namespace}}}{local}" if namespace else local


def text(element: Element | None, path: str = "") -> str:
    """The stripped text of an element (or of its first descendant at `path`), "" when absent."""
    found = element.find(path) if element is not None and path else element
    return (found.text or "").strip() if found is not None else ""
