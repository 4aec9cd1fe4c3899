"""The privacy scan's evaluation set: hand-written lines (handwritten.txt) and lines made from
templates.

A line marks each piece of personal data the scan must report as {{kind:value}}; nothing else in
it may be reported. The generated lines draw random values (a fixed seed: the same set every time)
in the formats staff type: several countries' phone numbers with and without country codes and
extensions, e-mail addresses, card numbers and IBANs, in sentences of the kinds entries are made of;
and ordinary prose full of numbers that are not personal data (references, dates, times, prices,
versions, quantities).
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

HERE = Path(__file__).parent
MARK = re.compile(r"\{\{(?P<kind>\w+):(?P<value>.*?)\}\}")
KINDS = {
    "phone": "phone number",
    "email": "e-mail address",
    "card": "payment card number",
    "iban": "IBAN",
    "account": "account number",
}


@dataclass(frozen=True)
class Expected:
    kind: str
    start: int  # in the line's text, marks removed
    end: int


@dataclass(frozen=True)
class Line:
    text: str
    expected: tuple[Expected, ...]
    group: str  # "personal data", "prose" or "reference numbers"


def parse(marked: str, group: str = "") -> Line:
    """A line with its {{kind:value}} marks taken out, and where each value stands."""
    text, expected, typed = "", [], 0
    for mark in MARK.finditer(marked):
        text += marked[typed : mark.start()].replace("\\n", "\n")
        value = mark.group("value").replace("\\n", "\n")
        expected.append(Expected(KINDS[mark.group("kind")], len(text), len(text) + len(value)))
        text += value
        typed = mark.end()
    text += marked[typed:].replace("\\n", "\n")
    return Line(text, tuple(expected), group or ("personal data" if expected else "prose"))


def handwritten() -> list[Line]:
    lines = (HERE / "handwritten.txt").read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


def generated(seed: int = 15) -> list[Line]:
    rng = random.Random(seed)
    lines = [
        parse(rng.choice(PHONE_SENTENCES).format(f"{{{{phone:{phone_number(rng)}}}}}"))
        for _ in range(360)
    ]
    lines += [
        parse(rng.choice(EMAIL_SENTENCES).format(f"{{{{email:{email_address(rng)}}}}}"))
        for _ in range(150)
    ]
    lines += [
        parse(rng.choice(CARD_SENTENCES).format(f"{{{{card:{card_number(rng)}}}}}"))
        for _ in range(90)
    ]
    lines += [
        parse(rng.choice(IBAN_SENTENCES).format(f"{{{{iban:{iban(rng)}}}}}")) for _ in range(90)
    ]
    lines += [parse(prose(rng)) for _ in range(600)]
    lines += [
        parse(
            rng.choice(REFERENCE_SENTENCES).format(
                digits(rng, rng.randint(7, 10), first="123456789")
            ),
            "reference numbers",
        )
        for _ in range(1000)
    ]
    lines += [
        parse(
            rng.choice(UNLABELLED_SENTENCES).format(grouped(rng, digits(rng, rng.randint(7, 10)))),
            "numbers without a label",
        )
        for _ in range(1000)
    ]
    return lines


def digits(rng: random.Random, count: int, first: str = string.digits) -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(count - 1))


# Phone numbers as people write them, by country; "{n}" is any digit. Real numbers are in ranges in
# use
# (libphonenumber's "valid"); FICTIONAL are the ranges kept for drama and examples, which staff
# copy.
PHONE_FORMATS = {
    "GB": [
        "07{n}{n}{n} {n}{n}{n}{n}{n}{n}",
        "07{n}{n}{n}{n}{n}{n}{n}{n}{n}",
        "07{n}{n}{n} {n}{n}{n} {n}{n}{n}",
        "+44 7{n}{n}{n} {n}{n}{n}{n}{n}{n}",
        "+44 (0)7{n}{n}{n} {n}{n}{n}{n}{n}{n}",
        "+447{n}{n}{n}{n}{n}{n}{n}{n}{n}",
        "0044 7{n}{n}{n} {n}{n}{n}{n}{n}{n}",
        "020 7{n}{n}{n} {n}{n}{n}{n}",
        "(020) 8{n}{n}{n} {n}{n}{n}{n}",
        "0207 {n}{n}{n} {n}{n}{n}{n}",
        "020-3{n}{n}{n}-{n}{n}{n}{n}",
        "0161 {n}{n}{n} {n}{n}{n}{n}",
        "0121 {n}{n}{n} {n}{n}{n}{n}",
        "0113 {n}{n}{n} {n}{n}{n}{n}",
        "+44 131 {n}{n}{n} {n}{n}{n}{n}",
        "0800 {n}{n}{n} {n}{n}{n}{n}",
        "01223 {n}{n}{n}{n}{n}{n}",
    ],
    "US": [
        "({us}) {n}{n}{n}-{n}{n}{n}{n}",
        "{us}-{n}{n}{n}-{n}{n}{n}{n}",
        "{us}.{n}{n}{n}.{n}{n}{n}{n}",
        "{us} {n}{n}{n} {n}{n}{n}{n}",
        "+1 {us} {n}{n}{n} {n}{n}{n}{n}",
        "+1-{us}-{n}{n}{n}-{n}{n}{n}{n}",
        "+1 ({us}) {n}{n}{n}-{n}{n}{n}{n}",
        "1-{us}-{n}{n}{n}-{n}{n}{n}{n}",
        "+1.{us}.{n}{n}{n}.{n}{n}{n}{n}",
        "({us}) {n}{n}{n}-{n}{n}{n}{n} x{n}{n}{n}",
        "{us}-{n}{n}{n}-{n}{n}{n}{n}, ext {n}",
        "1-800-{n}{n}{n}-{n}{n}{n}{n}",
    ],
    "FR": [
        "06 {n}{n} {n}{n} {n}{n} {n}{n}",
        "07.{n}{n}.{n}{n}.{n}{n}.{n}{n}",
        "01 {n}{n} {n}{n} {n}{n} {n}{n}",
        "+33 6 {n}{n} {n}{n} {n}{n} {n}{n}",
        "+33 (0)1 {n}{n} {n}{n} {n}{n} {n}{n}",
        "0033 6 {n}{n} {n}{n} {n}{n} {n}{n}",
    ],
    "DE": [
        "030 {n}{n}{n}{n}{n}{n}{n}",
        "+49 30 {n}{n}{n}{n}{n}{n}{n}{n}",
        "+49 (0)151 {n}{n}{n}{n}{n}{n}{n}{n}",
        "0151 {n}{n}{n}{n}{n}{n}{n}{n}",
        "089 {n}{n}{n}{n} {n}{n}{n}{n}",
    ],
    "ES": [
        "6{n}{n} {n}{n} {n}{n} {n}{n}",
        "+34 6{n}{n} {n}{n}{n} {n}{n}{n}",
        "91 {n}{n}{n} {n}{n} {n}{n}",
    ],
    "IT": ["+39 06 {n}{n}{n}{n} {n}{n}{n}{n}", "+39 3{n}{n} {n}{n}{n} {n}{n}{n}{n}"],
    "NL": [
        "06-{n}{n}{n}{n}{n}{n}{n}{n}",
        "+31 6 {n}{n}{n}{n}{n}{n}{n}{n}",
        "+31 20 {n}{n}{n} {n}{n}{n}{n}",
    ],
    "IE": ["087 {n}{n}{n} {n}{n}{n}{n}", "+353 87 {n}{n}{n} {n}{n}{n}{n}"],
    "BE": ["+32 470 {n}{n} {n}{n} {n}{n}"],
    "AU": [
        "0412 {n}{n}{n} {n}{n}{n}",
        "+61 412 {n}{n}{n} {n}{n}{n}",
        "(02) 9{n}{n}{n} {n}{n}{n}{n}",
    ],
    "IN": ["+91 98{n}{n}{n} {n}{n}{n}{n}{n}"],
    "FICTIONAL": [
        "07700 900{n}{n}{n}",
        "07700900{n}{n}{n}",
        "01632 960{n}{n}{n}",
        "020 7946 0{n}{n}{n}",
        "0161 496 0{n}{n}{n}",
        "0113 496 0{n}{n}{n}",
        "+44 20 7946 0{n}{n}{n}",
        "({us}) 555-01{n}{n}",
        "{us}-555-01{n}{n} ext. {n}{n}",
    ],
}
US_AREAS = "212 213 305 312 415 503 512 617 646 702 713 818 917 416 604".split()  # 416, 604: Canada


def phone_number(rng: random.Random) -> str:
    region = rng.choice(sorted(PHONE_FORMATS))
    pattern = rng.choice(PHONE_FORMATS[region])
    while True:
        text = pattern.replace("{us}", rng.choice(US_AREAS))
        while "{n}" in text:
            text = text.replace("{n}", rng.choice(string.digits), 1)
        if region == "FICTIONAL" or phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
            return text


PHONE_SENTENCES = [
    "She asked us to call her back on {}.",
    "His mobile is {} if the driver gets lost.",
    "The customer gave {} as the best number to reach her.",
    "I rang {} twice and got voicemail.",
    "Callback requested: {}",
    "Her daughter's number, {}, is on the account now.",
    "He read out {} and I repeated it back to him.",
    "Tel: {}",
    "Contact number {} (evenings only).",
    "The caller ID showed {} but she said it was her neighbour's phone.",
    "Please ring {} after 5pm.",
    "She left {} on the voicemail.",
    "mobile {} - prefers texts",
    "He wrote {} on the returns form.",
    "Reach him on {} or by email.",
    "I noted {} on the ticket.",
    "The delivery note had {} on it.",
    '> She said, "My number is {}, have you got that?"',
    "- {} (work)",
    "| Ana | {} | evenings |",
    "WhatsApp: {}",
    "He texted from {} to say the parcel had arrived.",
    "The number on file was {}.",
]
EMAIL_FIRST = [
    "jane",
    "tom",
    "ana",
    "priya",
    "josé",
    "maría",
    "zoë",
    "françois",
    "søren",
    "łukasz",
    "müller",
    "o'brien",
    "siobhan",
    "mohammed",
    "wei",
    "ngozi",
    "dev",
    "grace",
    "sam",
    "li",
]
EMAIL_LAST = [
    "doe",
    "smith",
    "okafor",
    "nair",
    "lópez",
    "garcía",
    "brown",
    "kowalski",
    "o'neill",
    "chen",
    "hill",
    "patel",
    "müller",
    "dubois",
    "jensen",
]
EMAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "btinternet.com",
    "icloud.com",
    "correo.es",
    "web.de",
    "orange.fr",
    "mail.acme-logistics.co.uk",
    "company.com",
    "proton.me",
    "uni-hamburg.de",
    "libero.it",
    "sky.com",
    "gmx.net",
    "virginmedia.com",
    "ziggo.nl",
]


def email_address(rng: random.Random) -> str:
    first, last, domain = rng.choice(EMAIL_FIRST), rng.choice(EMAIL_LAST), rng.choice(EMAIL_DOMAINS)
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first}{last}",
            f"{first}_{last}",
            f"{first[0]}.{last}",
            f"{first}.{last}{rng.randint(1, 99)}",
            f"{first}-{last}",
            f"{first}+orders",
            f"{first}{rng.randint(1960, 2005)}",
        ]
    )
    address = f"{local}@{domain}"
    style = rng.random()
    if style < 0.1:
        return address.upper()
    if style < 0.2:
        return address.replace("@", " at ").replace(".", " dot ")
    if style < 0.27:
        return address.replace("@", " [at] ")
    if style < 0.32:
        return address.replace("@", "(at)")
    if style < 0.37:
        return address.replace("@", "&#64;")
    return address


EMAIL_SENTENCES = [
    "Her email is {}.",
    "Send the label to {} please.",
    "He wrote from {} instead of his usual address.",
    "The reply bounced from {}.",
    "Customer email: {}",
    "She spelled it out: {}.",
    "I forwarded the invoice to {} as she asked.",
    '> He said, "It\'s {}, all lower case."',
    "- {} (personal address)",
    "Contact {} about the refund.",
    "The order confirmation went to {} by mistake.",
    "Her new address is {}, not the old one.",
    "cc: {}",
]


def card_number(rng: random.Random) -> str:
    prefix, length, groups = rng.choice(
        [
            ("4", 16, (4, 4, 4, 4)),
            ("5" + rng.choice("12345"), 16, (4, 4, 4, 4)),
            ("2221", 16, (4, 4, 4, 4)),
            ("3" + rng.choice("47"), 15, (4, 6, 5)),
            ("6011", 16, (4, 4, 4, 4)),
            ("4", 13, (4, 4, 5)),
        ]
    )
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    number = body + luhn_digit(body)
    separator = rng.choice([" ", " ", "-", "", ".", "  "])
    parts, position = [], 0
    for size in groups:
        parts.append(number[position : position + size])
        position += size
    return separator.join(parts)


def luhn_digit(body: str) -> str:
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (1 if index % 2 else 2)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


CARD_SENTENCES = [
    "She read her card number out: {}.",
    "The card ending was wrong, she gave {} on the call.",
    "Card: {}",
    "He typed {} into the chat before I could stop him.",
    "Payment card {} was declined twice.",
    '> She said, "It\'s {}, expiry next May."',
    "The refund went back to {}.",
    "I saw {} in the screenshot.",
]
IBAN_SHAPES = {
    "GB": "AAAA" + "9" * 14,
    "DE": "9" * 18,
    "FR": "9" * 23,
    "ES": "9" * 20,
    "IT": "A" + "9" * 22,
    "NL": "AAAA" + "9" * 10,
    "BE": "9" * 12,
    "IE": "AAAA" + "9" * 14,
    "PT": "9" * 21,
    "CH": "9" * 17,
    "AT": "9" * 16,
    "PL": "9" * 24,
    "SE": "9" * 20,
    "DK": "9" * 14,
}


def iban(rng: random.Random) -> str:
    country = rng.choice(sorted(IBAN_SHAPES))
    bban = "".join(
        rng.choice(string.ascii_uppercase if kind == "A" else string.digits)
        for kind in IBAN_SHAPES[country]
    )
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    compact = f"{country}{check:02d}{bban}"
    grouped = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return rng.choice([grouped, grouped, compact, grouped.replace(" ", "-"), grouped.lower()])


IBAN_SENTENCES = [
    "She wants the refund paid to {} instead.",
    "IBAN: {}",
    "The bank details were {} EUR.",
    "He sent {} by chat for the transfer.",
    "Account {} belongs to her husband.",
    "Pay into {} please, she wrote.",
    "The returns form listed {} as the account.",
]
REFERENCE_SENTENCES = [
    "Order {} was refunded on Tuesday.",
    "Ticket {} is closed.",
    "I found order no. {} in the old system.",
    "Case {} went to the supervisor.",
    "The invoice number was {} but the amount was wrong.",
    "Tracking number {} shows the parcel at the depot.",
    "She quoted order number {} from the email.",
    "Waybill {} was scanned twice.",
    "Ref: {}",
    "ticket #{} was merged into the other one.",
    "The SKU {} is out of stock until March.",
    "Booking ref {} was moved to Friday.",
    "I reopened case number {} after her second call.",
    "Her order ID is {}, and it shipped late.",
    "Please quote {} when you call back.",
    "The customer read out {} from the confirmation email.",
    "{} is the order she means.",
    "Parcel {} came back to the depot.",
    "Claim {} was approved.",
    "Return RMA {} arrived damaged.",
    "I merged {} into the older ticket.",
    "Invoice {}, dated last week.",
]

# Random numbers with no word to say what they are, grouped as people group digits: some are valid
# phone
# numbers somewhere, so no rule can tell. Measured, to show it; no target.
UNLABELLED_SENTENCES = [
    "She read out {} from the email.",
    "{} is the one she means.",
    "I typed {} into the search.",
    "He gave {} and hung up.",
    "The box said {} on the side.",
]


def grouped(rng: random.Random, number: str) -> str:
    size = rng.choice([len(number), 4, 3, 3])
    separator = rng.choice([" ", "-"])
    return separator.join(number[i : i + size] for i in range(0, len(number), size))


def prose(rng: random.Random) -> str:
    """An ordinary line with numbers in it that are not personal data."""
    values = {
        "reference": rng.choice(
            [
                "INV-2024-{:06d}",
                "ORD-{:07d}",
                "CS-{:05d}",
                "RMA{:06d}",
                "#{:07d}",
                "B{:04d}D",
                "1Z999AA1{:08d}",
                "AB{:09d}GB",
                "PO-{:06d}",
            ]
        ).format(rng.randint(0, 9999999)),
        "date": rng.choice(
            [
                "14/03/2024",
                "2024-03-14",
                "14.03.2024",
                "3/14/24",
                "14 March 2024",
                "2023-11-08 15:05",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(19, 26)}",
            ]
        ),
        "time": rng.choice(
            ["09:30", "9.30am", "14:00-15:30", "between 08:00 and 18:00", "at 17.45", "10:02:11"]
        ),
        "price": rng.choice(
            ["£1,299.99", "€45.00", "$19.99", "£12", "1.299,00 €", "£2,450.50", "€ 1 250,00"]
        ),
        "version": rng.choice(
            [
                "v2.3.11",
                "version 10.4.2",
                "iOS 17.4.1",
                "app 4.12.0",
                "build 2024.03.14",
                "release 1.5.2",
            ]
        ),
        "quantity": rng.choice(
            [
                "3 parcels",
                "12 x 250 ml",
                "1,250 units",
                "20,000 customers",
                "45 minutes",
                "12.5%",
                "2 of 3 boxes",
                "100-120 calls a day",
                "1200 x 800 mm",
            ]
        ),
        "year": rng.choice(
            ["2019-2024", "Q3 2024", "the 1990s", "in 2023", "2019/20", "since 2008"]
        ),
        "other": rng.choice(
            [
                "192.168.10.254",
                "SW1A 1AA",
                "Unix time 1710425133",
                "postcode 75008",
                "room 4.12",
                "gate 12",
                "aisle 7, bay 14",
                "firmware 3.10.2.7",
                "error 0x80070005",
            ]
        ),
    }
    parts = rng.sample(sorted(values), 2)
    template = rng.choice(
        [
            "On {0} we noted {1} for the team.",
            "The customer mentioned {0} and {1}.",
            "{0}: {1} (checked twice)",
            "We logged {0} next to {1} in the notes.",
            '> He said, "It was {0}, then {1}."',
            "- {0}, {1}",
            "| {0} | {1} |",
            "Nobody expected {0}, and {1} made it worse.",
            "Between {0} and {1} the queue doubled.",
        ]
    )
    return template.format(values[parts[0]], values[parts[1]])
