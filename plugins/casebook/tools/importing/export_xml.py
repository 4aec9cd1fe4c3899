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

import re
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

CONTROL_CHARACTERS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportUnreadable(Exception):
    """The export is not XML we can read; `line` is where the reading stopped, if known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def read_xml(path: Path) -> Element:
    tree = PrefixedTree()
    parser = expat.ParserCreate()  # namespaces are resolved by PrefixedTree
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = refuse_entities
    parser.StartElementHandler, parser.EndElementHandler = tree.start, tree.end
    parser.CharacterDataHandler = tree.builder.data
    parser.buffer_text = True
    try:
        parser.Parse(without_control_characters(path.read_bytes()), True)
    except expat.ExpatError as error:
        raise ExportUnreadable(
            f"This is not a complete XML file ({expat.ErrorString(error.code)}, column "
            f"{error.offset + 1}). Export the journal again, and import the new file.",
            error.lineno,
        ) from None
    return tree.builder.close()


def refuse_entities(name: str, *_) -> None:
    raise ExportUnreadable(
        f'The export declares its own XML entity "{name}", which Blogger and WordPress '
        "exports never do; it was not read, to be safe. Export the journal again."
    )


class PrefixedTree:
    """An ElementTree of the export, each name as {namespace}local; a prefix never declared stands
    for itself."""

    def __init__(self):
        self.builder = TreeBuilder()
        self.scopes: list[dict[str, str]] = [{}]  # prefix -> namespace, for each open element

    def start(self, name: str, attributes: dict[str, str]) -> None:
        declared = {
            key.partition(":")[2]: value for key, value in attributes.items() if declares(key)
        }
        self.scopes.append({**self.scopes[-1], **declared})
        plain = {
            key.rpartition(":")[2]: value for key, value in attributes.items() if not declares(key)
        }
        self.builder.start(qualified(name, self.scopes[-1]), plain)

    def end(self, name: str) -> None:
        self.builder.end(qualified(name, self.scopes.pop()))


def declares(attribute: str) -> bool:
    return attribute == "xmlns" or attribute.startswith("xmlns:")


def without_control_characters(data: bytes) -> bytes:
    """WordPress exports text as it was pasted, and a form feed or vertical tab from a word
    processor makes
    the whole file invalid XML. XML 1.0 allows no such character, so dropping them loses nothing;
    in UTF-8
    (what exports are written in) their bytes never occur inside another character."""
    return (
        data if data.startswith((b"\xff\xfe", b"\xfe\xff")) else CONTROL_CHARACTERS.sub(b"", data)
    )


def qualified(name: str, scope: dict[str, str]) -> str:
    """ElementTree's {namespace}local form; an undeclared prefix stands for itself."""
    prefix, _, local = name.rpartition(":")
    namespace = scope.get(prefix, prefix)
    return f"{{{namespace}}}{local}" if namespace else local


def text(element: Element | None, path: str = "") -> str:
    """The stripped text of an element (or of its first descendant at `path`), "" when absent."""
    found = element.find(path) if element is not None and path else element
    return (found.text or "").strip() if found is not None else ""
