"""What each kind of personal data looks like, and how sure a match is from the way it is written.

Each recogniser finds candidates in the visible text (visible.py) and gives each its base
confidence (rules.py). The scanner then weighs the words before it and settles overlaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneMetadata, PhoneNumberMatcher

from . import rules
from .visible import BREAK

PHONE, EMAIL, CARD, IBAN = "phone number", "e-mail address", "payment card number", "IBAN"


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int
    confidence: float
    words: frozenset[str] = (
        frozenset()
    )  # words before it that make it surer (none: they do not matter)
    weighed: bool = False  # whether the words before it count at all (reference words too)


# Numbers. A run of digits with the separators people type (spaces, hyphens, dots, slashes,
# brackets),
# not glued to a word, an address, a path, a version, a reference (INV-2024-…) or a price. (It
# begins
# with its first character, not a look-behind, so that the search skips the text between runs
# quickly.)
SEPARATOR = r"(?:[ ]?[\-./][ ]?|[ ]{1,2}|\)[ ]?-?[ ]?|[ ]?\()"
DIGIT_RUN = re.compile(
    rf"""
    (?P<number>
      [+(0-9](?<![\w@/.\-+\#£$€¥].)                  # the first character, not glued on
      (?:(?<=\+)[ ]?\(?[0-9]|(?<=\()[0-9]|(?<=[0-9]))  # +44, +(44), (020, or a digit
      (?:{SEPARATOR}?[0-9])*)
    (?P<extension>[ ]?,?[ ]?(?:ext(?:ension)?\.?|extn\.?|x|\#)[ ]?[0-9]{{1,6}})?
    (?![\w@]|[.\-/][0-9])
""",
    re.X | re.I,
)
# Parts of a run that are something else: a date, a year or time range, an IP address, an amount.
ORDINARY = re.compile(
    r"""
    (?<![\w.\-/])
    (?: \d{4}[\-/.]\d{1,2}[\-/.]\d{1,2} | \d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2})
      | (?:19|20)\d\d[ ]?[\-/][ ]?(?:19|20)?\d\d
      | (?:[01]\d|2[0-3])[0-5]\d[ ]?-[ ]?(?:[01]\d|2[0-3])[0-5]\d
      | \d{1,3}(?:\.\d{1,3}){3} | \d+[.,]\d\d )
    (?![\w.\-/])
""",
    re.X,
)
PART = re.compile(r"\S*\d\S*")  # of a run, between spaces


def number_matches(text: str, home: str) -> list[Match]:
    """Payment cards and phone numbers in runs of digits: the longest reading of each run first."""
    found = []
    for run in DIGIT_RUN.finditer(text):
        number, offset = run.group("number"), run.start("number")
        cuts = [
            0,
            *(edge for ordinary in ORDINARY.finditer(number) for edge in ordinary.span()),
            len(number),
        ]
        for start, end in zip(
            cuts[::2], cuts[1::2]
        ):  # the stretches between dates, prices and such
            parts = [
                (offset + part.start(), offset + part.end())
                for part in PART.finditer(number, start, end)
            ]
            extension = (
                run.span("extension") if run.group("extension") and end == len(number) else None
            )
            found += read_numbers(text, parts, extension, home)
    return found


def read_numbers(
    text: str, parts: list[tuple[int, int]], extension, home: str, whole_run: bool = True
) -> list[Match]:
    """The longest span of parts that reads as a card or a phone number, then the parts either side
    of it.

    Another country's national number counts only as a whole run: inside a longer run of digits, it
    is more likely a piece of a reference.
    """
    for size in range(len(parts), 0, -1):
        for first in range(len(parts) - size + 1):
            start, end = parts[first][0], parts[first + size - 1][1]
            if text[start] == "(" and ")" not in text[start:end]:
                start += 1  # the bracket around the number, not one of its own
            candidate = text[start:end]
            digits = re.sub(r"\D", "", candidate)
            if not 7 <= len(digits) <= rules.MOST_CARD_DIGITS:
                continue
            last, whole = first + size == len(parts), whole_run and size == len(parts)
            match = card(candidate, start, end, digits) or (
                len(digits) <= rules.MOST_DIGITS
                and phone(candidate, start, end, home, extension if last else None, abroad=whole)
            )
            if match:
                return (
                    read_numbers(text, parts[:first], None, home, whole_run=False)
                    + [match]
                    + read_numbers(text, parts[first + size :], extension, home, whole_run=False)
                )
    return []


# Card networks: the first digits and the lengths of their numbers. A card number has no + or
# brackets.
CARD_SHAPE = re.compile(r"\d(?:[ .\-]{0,2}\d)+")
CARD_NETWORKS = [
    (re.compile(r"4"), {13, 16, 19}),  # Visa
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), {16}),  # Mastercard
    (re.compile(r"3[47]"), {15}),  # American Express
    (re.compile(r"3(?:0[0-5]|[5689])"), set(range(14, 20))),  # Diners Club, JCB
    (re.compile(r"5[06-9]|6"), set(range(12, 20))),  # Maestro, Discover, UnionPay
]


def card(candidate: str, start: int, end: int, digits: str) -> Match | None:
    if not CARD_SHAPE.fullmatch(candidate):
        return None
    network = any(
        prefix.match(digits) and len(digits) in lengths for prefix, lengths in CARD_NETWORKS
    )
    if network and luhn_valid(digits):
        return Match(CARD, start, end, rules.CARD, rules.CARD_WORDS, True)
    return None


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def phone(
    candidate: str, start: int, end: int, home: str, extension, abroad: bool = True
) -> Match | None:
    confidence = phone_confidence(candidate, home, abroad)
    if confidence is None:
        return None
    if extension:
        confidence, end = confidence + rules.EXTENSION, extension[1]
    return Match(PHONE, start, end, confidence, rules.PHONE_WORDS, True)


def phone_confidence(candidate: str, home: str, abroad: bool = True) -> float | None:
    """How sure we are, from the way it is written alone, that this is a phone number (None: it is
    not).

    `abroad`: whether to read it as a national number of another country (rules.OTHER_REGIONS) too.
    """
    international = candidate.lstrip("( ")
    if international.startswith(("+", "00")):
        try:
            number = phonenumbers.parse("+" + international.lstrip("+").removeprefix("00"), home)
        except NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return rules.INTERNATIONAL
        return rules.INTERNATIONAL_POSSIBLE if phonenumbers.is_possible_number(number) else None
    best = None
    for region in (home, *(other for other in rules.OTHER_REGIONS if other != home and abroad)):
        try:
            number = phonenumbers.parse(candidate, region, keep_raw_input=True)
        except NumberParseException:
            continue
        length, longest = (
            len(phonenumbers.national_significant_number(number)),
            mobile_length(region),
        )
        if length > longest:
            continue  # longer than any number people give out there: two numbers, or none
        valid = phonenumbers.is_valid_number(number)
        # At home, a number in full with its trunk prefix, even in a range not in use: Ofcom keeps
        # 07700 900xxx for drama and examples, and to a reader it is a real-looking number.
        full = length == longest and phonenumbers.is_possible_number(number)
        if region == home and trunk_prefix_written(candidate, number, region) and (valid or full):
            return rules.NATIONAL
        # Grouped as there, in its national form. Abroad, that needs a country with a trunk prefix:
        # in
        # Spain, Portugal or Italy a national number is bare groups of digits, like any reference.
        grouped = re.search(r"\D", candidate) and written_as_there(
            candidate, region, Leniency.STRICT_GROUPING
        )
        if valid and grouped and (region == home or trunk_prefix(region)):
            return rules.NATIONAL
        if valid and written_as_there(candidate, region, Leniency.VALID):
            best = rules.NATIONAL_UNGROUPED
    return best


def written_as_there(candidate: str, region: str, leniency: Leniency) -> bool:
    """libphonenumber's judgement of the whole candidate: its trunk prefix, and at STRICT_GROUPING
    its groups."""
    matches = PhoneNumberMatcher(candidate, region, leniency=leniency)
    return any(match.raw_string == candidate for match in matches)


def trunk_prefix(region: str) -> str | None:
    """What the country's numbers start with when dialled at home ("0" in Britain), if anything."""
    return PhoneMetadata.metadata_for_region(region).national_prefix


def trunk_prefix_written(candidate: str, number, region: str) -> bool:
    prefix, digits = trunk_prefix(region), re.sub(r"\D", "", candidate)
    return bool(prefix) and digits == prefix + phonenumbers.national_significant_number(number)


def mobile_length(region: str) -> int:
    """How many digits the country's mobile numbers have, without the trunk prefix: its longest
    numbers."""
    return max(PhoneMetadata.metadata_for_region(region).mobile.possible_length or (0,))


# IBANs: two letters, two check digits, then as many letters and digits as the country's IBANs have,
# in groups or not, any case; a word after it is not part of it. The search starts from the check
# digits after a word's first two letters: digits are rare, letters are everywhere.
IBAN_CHECK_DIGITS = re.compile(r"[0-9]{2}(?<=(?<!\w)[A-Za-z]{2}[0-9]{2})")
IBAN_SEPARATOR = re.compile(r"(?:[ ]{1,2}|-)(?=[A-Za-z0-9])")
IBAN_LENGTHS = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BI": 27,
    "BR": 29,
    "BY": 28,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DJ": 27,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FK": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LC": 32,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "LY": 25,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MN": 20,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NI": 28,
    "NL": 18,
    "NO": 15,
    "OM": 23,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "RU": 33,
    "SA": 24,
    "SC": 31,
    "SD": 18,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "SO": 23,
    "ST": 25,
    "SV": 28,
    "TL": 23,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VA": 22,
    "VG": 24,
    "XK": 20,
    "YE": 30,
}


def iban_matches(text: str) -> list[Match]:
    found = []
    for check_digits in IBAN_CHECK_DIGITS.finditer(text):
        start = check_digits.start() - 2
        length = IBAN_LENGTHS.get(text[start : start + 2].upper())
        if length and (end := iban_end(text, start, length)):
            if iban_valid(re.sub(r"[^A-Za-z0-9]", "", text[start:end]).upper()):
                found.append(Match(IBAN, start, end, rules.IBAN, rules.IBAN_WORDS, True))
    return found


def iban_end(text: str, start: int, length: int) -> int | None:
    """Where the IBAN starting at `start` ends once it has `length` characters, if a word ends
    there too."""
    position, count = start, 0
    while True:
        if position < len(text) and text[position].isascii() and text[position].isalnum():
            position, count = position + 1, count + 1
            if count == length:
                return position if position == len(text) or not text[position].isalnum() else None
        elif separator := IBAN_SEPARATOR.match(text, position):
            position = separator.end()
        else:
            return None


def iban_valid(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(character, 36)) for character in rearranged)) % 97 == 1


# E-mail addresses: Unicode local parts and domains, apostrophes (o'brien), plus tags; the whole
# address.
LOCAL_PART = r"[^\W_][\w'+%\-]*(?:\.[\w'+%\-]+)*"
LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
ADDRESS = re.compile(
    rf"""(?<![\w+%\-.]){LOCAL_PART}@
                     (?P<domain>(?:{LABEL}\.)+[^\W\d_]{{2,24}})(?![\w\-]|\.[^\W_])""",
    re.X,
)
# Spelled out: name at domain dot com, name [at] domain [dot] com, name(at)domain.com, name @
# domain.com.
AT = r"(?:[ ]*[\[({<][ ]*at[ ]*[\])}>][ ]*|[ ]+at[ ]+|[ ]*@[ ]*)"
DOT = r"(?:[ ]*[\[({<][ ]*dot[ ]*[\])}>][ ]*|[ ]+dot[ ]+|\.)"
WORD = r"[^\W_][\w'+%\-]*"
SPELLED_ADDRESS = re.compile(
    rf"""(?<![\w+%\-.])(?P<local>{WORD}(?:{DOT}{WORD})*)(?P<at>{AT})
                             (?P<domain>{LABEL}(?:{DOT}{LABEL})*){DOT}(?P<tld>[^\W\d_]{{2,24}})(?![\w'])""",
    re.I | re.X,
)
SPELLED_DOT = re.compile(DOT, re.I)
SPELLED_AT = re.compile(AT, re.I)
# Each way of writing "at", as plain text: plain text is found many times quicker than a pattern.
AT_FORMS = [
    re.compile(re.escape(form))
    for form in ("@", " at ", " AT ", " At ", "[at]", "(at)", "{at}", "<at>", "[ at ]", "( at )")
]


def email_matches(text: str) -> list[Match]:
    """Addresses, then addresses spelled out (the scanner keeps one match where both read the
    same)."""
    addresses = ADDRESS.finditer(text) if "@" in text else ()
    found = [
        Match(EMAIL, match.start(), match.end(), rules.EMAIL)
        for match in addresses
        if not a_file_name(match.group("domain"))
    ]
    return found + [
        Match(EMAIL, match.start(), match.end(), rules.EMAIL_SPELLED_OUT)
        for match in spelled_addresses(text)
        if spelled_on_purpose(match) and not a_file_name(match.group("tld"))
    ]


def spelled_addresses(text: str) -> list[re.Match]:
    """SPELLED_ADDRESS around each "at" or "@": searched for everywhere, it would be tried at every
    word."""
    found: list[re.Match] = []
    for at in sorted(match.start() for form in AT_FORMS for match in form.finditer(text)):
        if found and at < found[-1].end():
            continue
        window = max(text.rfind(BREAK, 0, at) + 1, at - 100)
        found += [
            match
            for match in SPELLED_ADDRESS.finditer(text, window, at + 150)
            if match.start() <= at < match.end() and (not found or match.start() >= found[-1].end())
        ]
    return found


def a_file_name(domain: str) -> bool:
    """logo@2x.png is an image, not an address."""
    return domain.rsplit(".", 1)[-1].lower() in rules.FILE_EXTENSIONS


def spelled_on_purpose(match: re.Match) -> bool:
    """[at], (at), AT and "@" say "this is an address"; a plain "at" also begins "at home", "at
    amazon.com"."""
    if match.group("at").strip() not in ("at", "At"):
        return True
    spelled_dot = re.search(r"(?i)\bdot\b", match.group())
    address_like = (
        re.search(r"[._\d]", match.group("local"))
        or re.split(SPELLED_DOT, match.group("domain"))[0].lower() in rules.MAIL_HOSTS
    )
    return match.group("tld").lower() in rules.TOP_LEVEL_DOMAINS and bool(
        spelled_dot or address_like
    )


def email_address(value: str) -> str:
    """The address a spelled-out one stands for: jane dot doe at example dot com ->
    jane.doe@example.com."""
    return SPELLED_DOT.sub(".", SPELLED_AT.sub("@", value, count=1)).replace(" ", "").lower()
