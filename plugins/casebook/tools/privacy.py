"""The privacy scan: personal data that must never reach the published site.

Phone numbers (the phonenumbers library at POSSIBLE leniency), e-mail
addresses, payment card numbers (Luhn-valid), IBANs (mod-97 valid) and the
team's own patterns. POSSIBLE is generous, so phone candidates that are
ordinary prose (dates, times, prices, years, quantities) are set aside.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from phonenumbers import Leniency, PhoneNumberMatcher

from ..problems import display_path

MARKER = "privacy: ok"  # written as <!-- privacy: ok --> on the line: accepted on purpose
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
DATE_OR_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$|^\d{1,2}:\d{2}")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    column: int
    kind: str
    value: str

    def __str__(self) -> str:
        return (f"{display_path(self.path)}:{self.line}:{self.column}: {self.kind} {mask(self.kind, self.value)}. "
                f"Remove it or describe it in words; if it is meant to be there, add <!-- {MARKER} --> to the line.")


def mask(kind: str, value: str) -> str:
    if kind == "e-mail address":
        local, _, domain = value.partition("@")
        return f"{local[0]}***@{domain}"
    keep_start = {"phone number": 3, "IBAN": 2}.get(kind, 0)  # area code, country
    keep_end = 4 if kind in ("payment card number", "IBAN") else 2
    characters = [c for c in value if c.isalnum()]
    hidden = range(keep_start, len(characters) - keep_end)
    position, masked = 0, []
    for character in value:
        if character.isalnum():
            masked.append("*" if position in hidden else character)
            position += 1
        else:
            masked.append(character)
    return "".join(masked)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def iban_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def looks_like_a_phone_number(raw: str) -> bool:
    """POSSIBLE matches years, prices and dates too: keep only what reads as a phone number."""
    digits = re.sub(r"\D", "", raw)
    groups = re.findall(r"\d+", raw)
    grouped_like_a_number = raw.startswith("+") or max(len(group) for group in groups) >= 3
    return len(digits) >= 7 and grouped_like_a_number and not DATE_OR_TIME.search(raw) and "." not in raw


class Scanner:
    def __init__(self, region: str, patterns: dict[str, str], allowed: list[str]):
        self.region = region
        self.patterns = {kind: re.compile(pattern) for kind, pattern in patterns.items()}
        self.allowed = allowed

    def is_allowed(self, value: str) -> bool:
        def normal(text: str) -> str:
            return text.lower() if "@" in text else re.sub(r"[^\w*]", "", text)
        return any(fnmatch.fnmatchcase(normal(value), normal(allowed)) for allowed in self.allowed)

    def candidates(self, line: str):
        for match in CARD.finditer(line):
            if luhn_valid(re.sub(r"\D", "", match.group())):
                yield "payment card number", match.start(), match.group()
        for match in IBAN.finditer(line):
            if iban_valid(match.group()):
                yield "IBAN", match.start(), match.group()
        for match in EMAIL.finditer(line):
            yield "e-mail address", match.start(), match.group()
        for kind, pattern in self.patterns.items():
            for match in pattern.finditer(line):
                yield kind, match.start(), match.group()
        for match in PhoneNumberMatcher(line, self.region, leniency=Leniency.POSSIBLE):
            if looks_like_a_phone_number(match.raw_string):
                yield "phone number", match.start, match.raw_string

    def scan(self, path: Path) -> list[Finding]:
        findings = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKER in line:
                continue
            taken: list[range] = []
            for kind, start, value in self.candidates(line):
                span = range(start, start + len(value))
                if any(set(span) & set(other) for other in taken) or self.is_allowed(value):
                    continue  # already found as a more specific kind, or allowed
                taken.append(span)
                findings.append(Finding(path, number, start + 1, kind, value))
        return sorted(findings, key=lambda finding: (finding.line, finding.column))
