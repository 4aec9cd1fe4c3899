"""The privacy scan of one content file: the personal data its reader would see, and where it was
typed.

Phone numbers (libphonenumber), e-mail addresses (spelled out too), payment card numbers
(Luhn-valid, a card network's), IBANs (a country's length, a valid check sum) and the team's own
patterns, in the text as the reader sees it (visible.py), each weighed by the words before it
(rules.py). A reference pattern of the team's marks text that is never personal data. What is
allowed (CASEBOOK_PRIVACY_ALLOW, the roster's e-mail addresses) or accepted on its line by a
`<!-- privacy: ok VALUE -->` comment is not reported; the plain `<!-- privacy: ok -->` accepts all
on its line, and the scan counts what it hides.
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path

import phonenumbers

from ...problems import Problem, display_path
from . import rules
from .recognisers import (
    CARD,
    EMAIL,
    IBAN,
    PHONE,
    Match,
    email_address,
    email_matches,
    iban_matches,
    number_matches,
)
from .visible import BREAK, Visible, visible_text

PLAIN_MARKER = "<!-- privacy: ok -->"
# Phone numbers with wildcards, as CASEBOOK_PRIVACY_ALLOW or a marker may name a team's own.
PHONE_PATTERN = re.compile(r"(?=.*\d)(?=.*[*?])[\d\s+().*?-]+")
# Words and numbers before a match, and what ends a sentence (a full stop after a word, but "no.").
CONTEXT_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*\.?|#|\d\S*|[!?;]")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    column: int
    kind: str
    masked: str  # the value with most of it hidden: enough to find it, not enough to use it

    @property
    def where(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}"

    def __str__(self) -> str:
        return (
            f"{self.where}: {self.kind} {self.masked}. Remove it or describe it in words; if it "
            "is meant "
            "to be published, add <!-- privacy: ok ... --> to the line, with the value as written "
            "in "
            "place of the dots."
        )


@dataclass(frozen=True)
class FileScan:
    findings: list[Finding]
    hidden: Counter  # line -> how many findings a plain marker accepts there

    def hidden_problems(self, path: Path) -> list[Problem]:
        return [
            Problem(
                path,
                line,
                f"{PLAIN_MARKER} hides {count} finding{'s' if count > 1 else ''} on this "
                "line. Name what it accepts, as in <!-- privacy: ok 0800 160 0000 -->, so that "
                "anything "
                "else on the line is still caught.",
            )
            for line, count in sorted(self.hidden.items())
        ]


class Scanner:
    def __init__(
        self,
        region: str,
        patterns: dict[str, str],
        allowed: Iterable[str],
        reference_words: Iterable[str] = (),
        reference_patterns: Iterable[str] = (),
    ):
        self.configuration = (
            region,
            sorted(patterns.items()),
            tuple(allowed),
            sorted(reference_words),
            tuple(reference_patterns),
        )  # what its findings depend on, besides the file
        self.region = region
        self.patterns = {kind: re.compile(pattern) for kind, pattern in patterns.items()}
        self.allowed = tuple(allowed)
        self.reference_words = rules.REFERENCE_WORDS | {word.lower() for word in reference_words}
        self.references = [re.compile(pattern) for pattern in reference_patterns]

    def scan(self, files: list[tuple[Path, str]]) -> list[FileScan]:
        """Each file's findings, from its path and text.

        Each recogniser reads all the files' visible texts at once: most files are short, and
        starting
        over for each one cost more than reading it.
        """
        visibles = [visible_text(source) for _, source in files]
        starts = list(
            accumulate((len(visible.text) + len(BREAK) for visible in visibles), initial=0)
        )
        in_file: list[list[Match]] = [[] for _ in files]
        for match in self.matches(BREAK.join(visible.text for visible in visibles)):
            index = bisect_right(starts, match.start) - 1
            offset = starts[index]
            in_file[index].append(
                replace(match, start=match.start - offset, end=match.end - offset)
            )
        scans = []
        for (path, _), visible, matches in zip(files, visibles, in_file):
            hidden = Counter()
            findings = [
                Finding(path, *visible.position(match.start), match.kind, mask(match.kind, value))
                for match, value in self.personal_data(visible, matches, hidden)
            ]
            scans.append(FileScan(findings, hidden))
        return scans

    def personal_data(
        self, visible: Visible, matches: list[Match], hidden: Counter
    ) -> Iterator[tuple[Match, str]]:
        """The matches in a file, less what is allowed or accepted on its line, with the values as
        seen.

        Counts in `hidden`, by line, what a plain marker accepts.
        """
        for match in matches:
            value = visible.text[match.start : match.end]
            if self.is_allowed(match.kind, value):
                continue
            first, last = visible.position(match.start)[0], visible.position(match.end - 1)[0]
            markers = [marker for marker in visible.markers if first <= marker.line <= last]
            if any(
                self.same(match.kind, value, named) for marker in markers for named in marker.values
            ):
                continue
            if plain := [marker for marker in markers if not marker.values]:
                hidden[plain[0].line] += 1
                continue
            yield match, value

    def matches(self, text: str) -> list[Match]:
        """What in the visible text reaches the threshold: each stretch of text once, as its surest
        kind."""
        claimed = bytearray(len(text))  # 1 where a match, reported or not, or a reference stands
        for pattern in self.references:
            for reference in pattern.finditer(text):
                claimed[reference.start() : reference.end()] = b"\1" * (
                    reference.end() - reference.start()
                )
        reported = []
        for match in self.candidates(text):
            if 1 not in claimed[match.start : match.end]:
                claimed[match.start : match.end] = b"\1" * (match.end - match.start)
                if self.confidence(text, match) >= rules.THRESHOLD:
                    reported.append(match)
        return sorted(reported, key=lambda match: match.start)

    def candidates(self, text: str) -> Iterator[Match]:
        """Every kind's matches, the most specific kinds first: those claim their text."""
        for kind, pattern in self.patterns.items():
            yield from (
                Match(kind, found.start(), found.end(), rules.TEAM_PATTERN)
                for found in pattern.finditer(text)
            )
        yield from iban_matches(text)
        yield from email_matches(text)
        yield from number_matches(text, self.region)

    def confidence(self, text: str, match: Match) -> float:
        """The match's confidence, raised by a word of its kind just before it, lowered by a
        reference word.

        The nearest telling word decides. A label ("number", "no.", "ID") takes its meaning from the
        word before it. Another number, or the end of a sentence, ends the look back: words there
        describe something else.
        """
        if not match.weighed:
            return match.confidence
        line_start = text.rfind(BREAK, 0, match.start) + 1
        tokens = CONTEXT_TOKEN.findall(
            text[max(line_start, match.start - 120) : match.start].lower()
        )
        label = None
        for token in reversed(tokens[-rules.WINDOW :]):
            word = token.rstrip(".").removesuffix("'s")  # "no.", "number's"
            sentence_ends = token in "!?;" or (
                token.endswith(".") and word not in rules.ABBREVIATIONS
            )
            if token[0].isdigit() or sentence_ends:
                break
            if word in rules.LABELS:
                label = label or word
            elif word in match.words:
                return match.confidence + rules.CONTEXT_BOOST
            elif word in self.reference_words:
                return match.confidence - rules.REFERENCE_PENALTY
        meaning = rules.LABELS.get(label)
        if meaning == "reference":
            return match.confidence - rules.REFERENCE_PENALTY
        if meaning == "phone" and match.kind == PHONE:
            return match.confidence + rules.CONTEXT_BOOST
        return match.confidence

    def is_allowed(self, kind: str, value: str) -> bool:
        return any(self.same(kind, value, allowed) for allowed in self.allowed)

    def same(self, kind: str, value: str, named: str) -> bool:
        """Whether a value found is the one named (allowed, or in a marker), however each is
        written."""
        pattern = self.canonical(kind, named)
        return any(fnmatch.fnmatchcase(form, pattern) for form in self.forms(kind, value))

    def forms(self, kind: str, value: str) -> set[str]:
        """A value found as canonical() writes it; a phone number also by its national digits, so
        that a pattern written the way the team dials ("0800 160 *") names it."""
        forms = {self.canonical(kind, value)}
        if kind == PHONE:
            with contextlib.suppress(phonenumbers.NumberParseException):
                number = phonenumbers.parse(value, self.region)
                national = phonenumbers.PhoneNumberFormat.NATIONAL
                forms.add(re.sub(r"\D", "", phonenumbers.format_number(number, national)))
        return forms

    def canonical(self, kind: str, value: str) -> str:
        if kind == EMAIL:
            return email_address(value)
        if kind == PHONE:
            if PHONE_PATTERN.fullmatch(value):  # its digits as written ("+44 800 160 *")
                return re.sub(r"[^\d+*?]", "", value)
            try:
                number = phonenumbers.parse(value, self.region)
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            except phonenumbers.NumberParseException:
                pass
        return re.sub(r"[^\w*?]", "", value).upper()


def mask(kind: str, value: str) -> str:
    """Enough to find it in the text, not enough to use it: 077** ****23, j***@gmail.com,
    ****-****-****-1111."""
    if kind == EMAIL:
        local, _, domain = email_address(value).partition("@")
        return f"{local[0]}***@{domain}"
    keep_start = {PHONE: 3, IBAN: 2}.get(kind, 0)  # area code, country
    keep_end = 4 if kind in (CARD, IBAN) else 2
    counts = str.isdigit if kind in (PHONE, CARD) else str.isalnum
    total = sum(1 for character in value if counts(character))
    position, masked = 0, []
    for character in value:
        if counts(character):
            masked.append(
                character if position < keep_start or position >= total - keep_end else "*"
            )
            position += 1
        else:
            masked.append(character)
    return "".join(masked)
