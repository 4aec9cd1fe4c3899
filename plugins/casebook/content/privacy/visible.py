"""The text of a content file as its reader sees it, each character traced back to where it was
typed.

Personal data hides in markup: a number written with entities (`&#48;&#55;…`), split by an HTML
comment, `**bold**`, a code span or a link, broken by a zero-width space, or wrapped onto the next
line. So the scan reads this text, not the source: entities decoded; comments, tags, emphasis,
code-span and link syntax and invisible characters removed; the lines of a paragraph joined by a
space. What the reader sees apart (paragraphs, list items, headings, table cells, lines of code,
header fields, the address behind a link) stays apart, with BREAK between, so that no finding spans
two of them. Every character keeps the position it was typed at, for `file:line:column`.

This follows Markdown as far as the scan needs to, not to the letter; where it guesses, it keeps
text rather than drops it.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from html import unescape

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE

BREAK = "\n"

# Zero-width spaces and joiners, direction marks, the soft hyphen, variation selectors: typed, never
# seen.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Spaces of every width read as a space, dashes of every length as a hyphen, full-width digits as
# digits
# (one character for one).
SAME_TO_THE_READER = str.maketrans(
    {
        **dict.fromkeys(
            "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
            "\u202f\u205f\u3000",
            " ",
        ),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},  # full-width digits
    }
)

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
QUOTE = re.compile(r"(?: {0,3}>[ ]?)+")
BLOCK_START = re.compile(
    r" {0,3}(?:#{1,6}(?:[ \t]+|$)|[-*+][ \t]+|\d{1,9}[.)][ \t]+)"
)  # heading, list item
MARKUP_ONLY = re.compile(
    r"[ \t]*(?:[-=_*:|][ \t]*){3,}$"
)  # a rule, a heading's underline, a table's
LINK_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*<?(?P<url>[^\s>]+)")
MARKER = re.compile(r"\s*privacy:\s*ok\b(?P<values>.*)", re.I | re.S)
HREF = re.compile(r"""\bhref\s*=\s*["']?(?P<url>[^"'\s>]+)""", re.I)

INLINE = re.compile(
    r"""
    (?P<code>(?P<ticks>`+)(?P<code_text>.+?)(?<!`)(?P=ticks)(?!`))
  | (?P<comment><!--(?P<comment_text>.*?)-->)
  | (?P<comment_open><!--)                               # closed on a later line
  | (?P<autolink><(?P<address>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>)
  | (?P<tag></?[A-Za-z][A-Za-z0-9\-]*(?:\s[^<>]*)?/?>)
  | (?P<link_open>!?\[(?=(?:[^\[\]]|\[[^\[\]]*\])*\][(\[]))
  | (?P<link_close>\]\([ \t]*<?(?P<url>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?
                   (?:[ \t]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*\)
                 | \]\[[^\]]*\])
  | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
  | (?P<escape>\\(?P<escaped>[!-/:-@\[-`{-~]))
  | (?P<emphasis>\*+|~~|(?<![^\W_])_+|_+(?![^\W_]))      # an underscore inside a word is a letter
  | (?P<cell>\|)
  | (?P<invisible>"""
    + INVISIBLE.pattern
    + r""")
""",
    re.X,
)


MARKUP_CHARACTER = re.compile(
    "[`<!\\[\\]&\\\\*~_|" + INVISIBLE.pattern[1:]
)  # where an INLINE token may start
STOP = object()


@dataclass(frozen=True)
class Marker:
    """A `<!-- privacy: ok ... -->` comment: on its line, it accepts the values it names, or all."""

    line: int
    values: tuple[str, ...]  # empty: the plain marker


@dataclass(frozen=True)
class Visible:
    text: str
    run_starts: array  # where each run of characters typed one after another starts in `text`
    run_origins: array  # and where in the source that run was typed
    line_starts: array  # where each line of the source starts
    markers: tuple[Marker, ...]

    def origin(self, index: int) -> int:
        """Where in the source the visible character at `index` was typed."""
        run = bisect_right(self.run_starts, index) - 1
        return self.run_origins[run] + index - self.run_starts[run]

    def position(self, index: int) -> tuple[int, int]:
        """The source line and column (from 1) the visible character at `index` was typed at."""
        origin = self.origin(index)
        line = bisect_right(self.line_starts, origin)
        return line, origin - self.line_starts[line - 1] + 1


class Builder:
    """Visible text, written run by run, each run with the source position it was typed at."""

    def __init__(self):
        self.pieces: list[str] = []
        self.starts, self.origins = array("q"), array("q")
        self.length = 0

    def add(self, text: str, origin: int) -> None:
        if text:
            self.starts.append(self.length)
            self.origins.append(origin)
            self.pieces.append(text)
            self.length += len(text)

    def add_literal(self, text: str, origin: int) -> None:
        """Code or an address: as typed, less what is invisible."""
        start = 0
        for invisible in INVISIBLE.finditer(text):
            self.add(text[start : invisible.start()], origin + start)
            start = invisible.end()
        self.add(text[start:], origin + start)

    def separate(self, origin: int) -> None:
        if self.pieces and not self.pieces[-1].endswith(BREAK):
            self.add(BREAK, origin)

    def continues(self) -> bool:
        return bool(self.pieces) and not self.pieces[-1].endswith(BREAK)


def visible_text(source: str) -> Visible:
    return Reading(source).visible()


class Reading:
    """One pass over a Markdown file, line by line, as its reader would see it."""

    def __init__(self, source: str):
        self.lines: list[tuple[str, int]] = []  # each line's text and where it starts
        start = 0
        for line in source.translate(SAME_TO_THE_READER).split("\n"):
            # mutmut 2.5.1 fails on this line. Its mutants are equivalent: every caller reads
            # files with universal newlines, so no "\r" is left.
            self.lines.append((line.removesuffix("\r"), start))  # pragma: no mutate
            start += len(line) + 1
        self.line_starts = array("q", (start for _, start in self.lines))
        self.out = Builder()
        self.addresses: list[tuple[str, int]] = []  # behind links: in the page, not in its text
        self.markers: list[Marker] = []
        self.in_comment = False

    def visible(self) -> Visible:
        body = self.read_header()
        fence = None
        for text, start in self.lines[body:]:
            if fence:
                if text.strip().startswith(fence):
                    fence = None
                    self.out.separate(start)
                else:
                    self.out.add_literal(text, start)
                    self.out.separate(start + len(text))
            elif not self.in_comment and (opening := FENCE.match(text)):
                fence = opening.group(1)
                self.out.separate(start)
            else:
                self.read_line(text, start)
        for url, origin in self.addresses:
            self.out.separate(origin)
            self.out.add_literal(url, origin)
        return Visible(
            "".join(self.out.pieces),
            self.out.starts,
            self.out.origins,
            self.line_starts,
            tuple(self.markers),
        )

    def read_header(self) -> int:
        """Each field's value apart; returns the index of the first line of the body."""
        first = 1 if self.lines and BEGIN_RE.match(self.lines[0][0]) else 0
        for index in range(first, len(self.lines)):
            text, start = self.lines[index]
            field = META_RE.match(text) or (index and META_MORE_RE.match(text))
            if not text.strip() or END_RE.match(text) or not field:
                return index
            self.out.separate(start)
            self.read_inline(text[field.start("value") :], start + field.start("value"))
            self.out.separate(start + len(text))
        return len(self.lines)

    def read_line(self, text: str, start: int) -> None:
        if self.in_comment:
            closing = text.find("-->")
            if closing < 0:
                return
            self.in_comment = False
            text, start = text[closing + 3 :], start + closing + 3
        joined = self.out.continues()
        if not text[:1].isalpha():  # most lines start with a letter: no block markup to take off
            if quote := QUOTE.match(text):
                text, start = text[quote.end() :], start + quote.end()
            if not text.strip() or MARKUP_ONLY.match(text):
                self.out.separate(start)
                return
            if definition := LINK_DEFINITION.match(text):
                self.addresses.append((definition.group("url"), start + definition.start("url")))
                return
            if block := BLOCK_START.match(text):
                self.out.separate(start)
                text, start, joined = text[block.end() :], start + block.end(), False
        self.read_inline(text, start, joined)

    def read_inline(self, text: str, start: int, joined: bool = False) -> None:
        """A line's text; `joined`: the next line of a paragraph, whose line break reads as a
        space."""
        if joined:
            text, start = " " + text, start - 1  # the space stands where the line break was typed
        typed = 0
        for special in MARKUP_CHARACTER.finditer(
            text
        ):  # most text has none: no need to try INLINE everywhere
            token = INLINE.match(text, special.start()) if special.start() >= typed else None
            if token is None:
                continue
            self.out.add(text[typed : token.start()], start + typed)
            typed = token.end()
            if self.read_token(token, start) is STOP:
                return
        self.out.add(text[typed:], start + typed)

    def read_token(self, token: re.Match, start: int):
        kind, at = token.lastgroup, start + token.start()
        if kind == "code":
            self.out.add_literal(token.group("code_text"), start + token.start("code_text"))
        elif kind == "comment":
            self.note_marker(token.group("comment_text"), at)
        elif kind == "comment_open":
            self.in_comment = True
            return STOP  # the rest of the line is in the comment
        elif kind == "autolink":
            self.out.add_literal(token.group("address"), start + token.start("address"))
        elif kind == "tag" and (href := HREF.search(token.group())):
            self.addresses.append((href.group("url"), at + href.start("url")))
        elif kind == "link_close" and token.group("url"):
            self.addresses.append((token.group("url"), start + token.start("url")))
        elif kind == "entity":
            decoded = INVISIBLE.sub("", unescape(token.group()))
            self.out.add(decoded.translate(SAME_TO_THE_READER), at)
        elif kind == "escape":
            self.out.add(token.group("escaped"), at + 1)
        elif kind == "cell":
            self.out.separate(at)
        return None

    def note_marker(self, comment: str, at: int) -> None:
        if marker := MARKER.match(comment):
            values = tuple(
                value.strip()
                for value in re.split(r"[,;]", marker.group("values"))
                if value.strip()
            )
            self.markers.append(Marker(bisect_right(self.line_starts, at), values))
