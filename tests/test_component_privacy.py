"""content/privacy/ alone: what the scan reports and what it leaves alone, where, and how it masks
it, on texts in memory. (tests/test_privacy.py runs it in real builds, `check` and the preview.)
Also the test file for the mutation run of the privacy package (docs/mutation.md).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
from pelican.plugins.casebook.build import CHECKED
from pelican.plugins.casebook.content.headers import parse_header
from pelican.plugins.casebook.content.people import Person, Roster
from pelican.plugins.casebook.content.privacy.journal import (
    BANNERS,
    MEMORY,
    Memory,
    journal_scanner,
    rules_fingerprint,
    scan_journal,
    warn_before_reading,
)
from pelican.plugins.casebook.content.privacy.recognisers import Match, iban_matches
from pelican.plugins.casebook.content.privacy.rules import IBAN_WORDS
from pelican.plugins.casebook.content.privacy.scanner import Scanner
from pelican.plugins.casebook.content.privacy.visible import visible_text
from pelican.plugins.casebook.content.validation import CheckedContent
from pelican.plugins.casebook.seams import forget_logged_messages
from pelican.plugins.casebook.settings import CasebookSettings
from pelican.settings import DEFAULT_CONFIG

ROOT = Path(__file__).resolve().parent.parent
SCANNER = Scanner("GB", {"account number": r"ACC-\d{8}\b"}, ["0800 160 0000", "*@example.com"])
HEADER = "Title: A call\nDate: 2024-01-01\n\n"  # the body starts on line 4


def found(body: str, scanner: Scanner = SCANNER) -> list[tuple[str, str, int, int]]:
    """Each finding in an entry with this body: kind, the value as the reader sees it, line,
    column."""
    visible = visible_text(HEADER + body + "\n")
    return [
        (match.kind, value, *visible.position(match.start))
        for match, value in scanner.personal_data(visible, scanner.matches(visible.text), Counter())
    ]


# Issue 15's false alarms: order, ticket, waybill and tracking numbers, invoice references, times,
# years.
NOT_PERSONAL = [
    "I found order no. 4588127 in the old system.",
    "Ticket 45881234 is closed.",
    "DHL waybill 1234567890 was scanned at the hub.",
    "The FedEx number 7749 1234 5678 shows it in Memphis.",
    "Invoice INV-2024-000318 was paid twice.",
    "The log says Unix time 1710425133.",
    "She has been a customer 2019-2024.",
    "Date: 2022-11-08 15:05",
    "It cost £12.99 in 2023, and 41 orders came in between 08:00 and 18:00.",
    "On 14/03/2022 we shipped 1,250 parcels; version 1.5.2 went live in Q3 2024.",
    "2023-01-19T09:02:11Z INFO widget hours check: now=04:02 open=08:00",
    "Order references like B1234D, 17 and 12; the 1990s; page 42 of 300.",
    "The depot is open 0800-1800, Monday to Saturday.",
    "Ticket number 45881234 and case ref 9914523 are linked; order #4588127 too.",
    "We met at the depot, then at home dot com's office, and looked at logo@2x.png.",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_reference_numbers_dates_times_and_prices_raise_no_alarm(text):
    assert found(text) == []


# Issue 15's misses, each reported whole, as its own kind.
MISSED = [
    (
        "Call the office on 415-555-0132 ext. 12 and ask for Dana.",
        "phone number",
        "415-555-0132 ext. 12",
    ),
    ("His number is 415.555.0132.", "phone number", "415.555.0132"),
    ("She wrote +1.415.555.0132 on the form.", "phone number", "+1.415.555.0132"),
    ("Her French mobile is 06 12 34 56 78.", "phone number", "06 12 34 56 78"),
    ("The office is on 020 7946 0958 x204.", "phone number", "020 7946 0958 x204"),
    ("She spelled it +44 (0)20 7946 0958.", "phone number", "+44 (0)20 7946 0958"),
    ("Write to josé@correo.es about it.", "e-mail address", "josé@correo.es"),
    ("The reply came from maría.lópez@correo.es.", "e-mail address", "maría.lópez@correo.es"),
    ("Use j.o'brien@gmail.com from now on.", "e-mail address", "j.o'brien@gmail.com"),
    ("She read out 4111.1111.1111.1111 too fast.", "payment card number", "4111.1111.1111.1111"),
    (
        "He typed 5105  1051  0510  5100 with double spaces.",
        "payment card number",
        "5105  1051  0510  5100",
    ),
    ("Refund to DE89 3704 0044 0532 0130 00 EUR as agreed.", "IBAN", "DE89 3704 0044 0532 0130 00"),
    ("He gave NL91 ABNA 0417 1643 00 ABN AMRO for it.", "IBAN", "NL91 ABNA 0417 1643 00"),
    ("Bank details: GB82-WEST-1234-5698-7654-32.", "IBAN", "GB82-WEST-1234-5698-7654-32"),
    ("In lower case: gb82 west 1234 5698 7654 32.", "IBAN", "gb82 west 1234 5698 7654 32"),
]


@pytest.mark.parametrize("text, kind, value", MISSED)
def test_personal_data_is_found_whole_and_once(text, kind, value):
    assert found(text) == [(kind, value, 4, text.index(value) + 1)]


# Issue 15's evasions: what the reader sees is scanned, and reported where it was typed.
HIDDEN = [
    ("Her number is &#48;&#55;&#55;&#48;&#48; 900123.", "phone number", "07700 900123", 4, 15),
    ("Mail jane.doe&#64;gmail.com with it.", "e-mail address", "jane.doe@gmail.com", 4, 6),
    ("Ring 07700<!-- not this -->900123 today.", "phone number", "07700900123", 4, 6),
    ("Ring 07700 **900123** today.", "phone number", "07700 900123", 4, 6),
    ("Ring 07700 `900123` today.", "phone number", "07700 900123", 4, 6),
    ("Ring [07700](https://example.com) 900123 today.", "phone number", "07700 900123", 4, 7),
    (
        "Card 4111\u200b1111\u200b1111\u200b1111 on file.",
        "payment card number",
        "4111111111111111",
        4,
        6,
    ),
    ("Her mobile is 07700\n900123, she said.", "phone number", "07700 900123", 4, 15),
    ("Write to jane at gmail dot com instead.", "e-mail address", "jane at gmail dot com", 4, 10),
    (
        "Write to jane.doe [at] gmail [dot] com instead.",
        "e-mail address",
        "jane.doe [at] gmail [dot] com",
        4,
        10,
    ),
    ("| Ana | 07700 900123 | evenings |", "phone number", "07700 900123", 4, 9),
    ("[Call her](tel:+447700900123)", "phone number", "+447700900123", 4, 16),
]


@pytest.mark.parametrize("text, kind, value, line, column", HIDDEN)
def test_markup_hides_no_personal_data(text, kind, value, line, column):
    assert found(text) == [(kind, value, line, column)]


def test_the_header_fields_are_read_too():
    source = (
        "Title: Ring 07700 900123\nDate: 2024-01-01\nTags: refunds, jane@gmail.com\n"
        "Summary: She gave 020 7946 0958\n  and more.\n\nThe text.\n"
    )
    [scan] = SCANNER.scan([(ROOT / "entry.md", source)])
    assert [(f.line, f.column, f.kind) for f in scan.findings] == [
        (1, 13, "phone number"),
        (3, 16, "e-mail address"),
        (4, 19, "phone number"),
    ]


def test_the_words_before_a_number_say_what_it_is():
    assert found("Call me on 4155550132 tonight.") == [("phone number", "4155550132", 4, 12)]
    assert found("Order 4155550132 shipped.") == []  # valid in the US, but a reference here
    assert found("Ticket 45881234, customer on 07700 900123.") == [
        ("phone number", "07700 900123", 4, 30)
    ]
    assert found("The caller ID showed 4155550132.") == [("phone number", "4155550132", 4, 22)]
    assert (
        found("Her order arrived. 4155550132 is the number she gave.") == []
    )  # no phone word in its sentence
    assert found("Her number's 4155550132.") == [("phone number", "4155550132", 4, 14)]
    assert found("Her no. is 07700 900 982, not the order no. 4588127.") == [
        ("phone number", "07700 900 982", 4, 12)
    ]


def test_a_run_of_digits_is_read_as_the_numbers_in_it():
    assert found("Ring 07700 900123 07700 900456.") == [
        ("phone number", "07700 900123", 4, 6),
        ("phone number", "07700 900456", 4, 19),
    ]
    assert found("Ring 020 7946 0958 2 times.") == [("phone number", "020 7946 0958", 4, 6)]
    assert (
        found("Please quote 06 12 34 56 78 90.") == []
    )  # a French number's shape, but in a longer reference
    assert found("Please quote 06 12 34 56 78.") == [("phone number", "06 12 34 56 78", 4, 14)]


def test_a_national_number_from_abroad_needs_its_trunk_prefix_or_a_phone_word():
    assert (
        found("She read out 612 34 56 78.") == []
    )  # in Spain, bare groups of digits, like a reference
    assert found("Her Spanish mobile is 612 34 56 78.") == [("phone number", "612 34 56 78", 4, 23)]
    assert found("She read out 06 12 34 56 78.") == [
        ("phone number", "06 12 34 56 78", 4, 14)
    ]  # French: 0


def test_the_team_adds_its_own_reference_words_and_patterns():
    team = Scanner(
        "GB", {}, [], reference_words=["Complaint"], reference_patterns=[r"6334(?: ?\d{4}){3}"]
    )
    assert found("Complaint 07700 900123 is closed.", team) == []
    assert found("Loyalty card 6334 5000 0000 0003 was merged.", team) == []
    assert (
        found("Complaint 07700 900123 is closed.") != []
        and found("Card 6334 5000 0000 0003 was merged.") != []
    )


def test_masks_keep_only_a_hint():
    [scan] = SCANNER.scan(
        [
            (
                ROOT / "entry.md",
                HEADER + "Ring (415) 555-0132 or mail jane.doe@gmail.com, card "
                "4111-1111-1111-1111, IBAN GB82 WEST 1234 5698 7654 32\n",
            )
        ]
    )
    shown = [str(finding) for finding in scan.findings]
    assert "entry.md:4:6: phone number (415) ***-**32." in shown[0]
    assert "entry.md:4:29: e-mail address j***@gmail.com." in shown[1]
    assert "payment card number ****-****-****-1111." in shown[2]
    assert "IBAN GB** **** **** **** **54 32." in shown[3]


def test_allowed_values_are_allowed_however_they_are_written():
    assert found("Our free line is 0800 160 0000, or +44 800 160 0000 from abroad.") == []
    assert found("Write to customer@example.com or CUSTOMER@EXAMPLE.COM.") == []


def test_a_marker_accepts_only_what_it_names():
    assert found("Our line 0800 123 4567 <!-- privacy: ok 0800 123 4567 --> works.") == []
    assert found("Ring 0800 123 4567 or 07700 900123. <!-- privacy: ok 0800 123 4567 -->") == [
        ("phone number", "07700 900123", 4, 23)
    ]
    assert (
        found(
            "Two: 0800 123 4567, jane@gmail.com <!-- privacy: ok 0800 123 4567; jane@gmail.com -->"
        )
        == []
    )
    # Only the HTML comment counts: text the reader sees, or a comment shown as code, is no marker.
    assert found("privacy: ok 07700 900123") == [("phone number", "07700 900123", 4, 13)]
    assert found("`<!-- privacy: ok -->` 07700 900123") == [("phone number", "07700 900123", 4, 24)]


def test_the_plain_marker_still_accepts_its_line_and_counts_what_it_hides():
    source = (
        HEADER
        + "Test card 4111 1111 1111 1111, ring 07700 900123 <!-- privacy: ok -->\n07700 900456\n"
    )
    [scan] = SCANNER.scan([(ROOT / "entry.md", source)])
    assert [(f.line, f.kind) for f in scan.findings] == [(5, "phone number")]
    assert scan.hidden == {4: 2}
    [hidden] = scan.hidden_problems(ROOT / "entry.md")
    assert str(hidden).startswith("entry.md:4: <!-- privacy: ok --> hides 2 findings on this line.")


def scan_of(body: str, scanner: Scanner = SCANNER):
    [scan] = scanner.scan([(ROOT / "entry.md", HEADER + body + "\n")])
    return scan


def test_the_scan_goes_on_after_a_line_a_plain_marker_accepts():
    scan = scan_of(
        "Ring 07700 900123 <!-- privacy: ok -->\n07700 900456\n\n"
        "Mail jane@gmail.com <!-- privacy: ok -->\nMail joe@gmail.com"
    )
    assert [(f.line, f.kind) for f in scan.findings] == [
        (5, "phone number"),
        (8, "e-mail address"),
    ]
    assert scan.hidden == {4: 1, 7: 1}
    assert [str(problem) for problem in scan.hidden_problems(Path("entry.md"))] == [
        f"entry.md:{line}: <!-- privacy: ok --> hides 1 finding on this line. Name what it "
        "accepts, as in <!-- privacy: ok 0800 160 0000 -->, so that anything else on the line is "
        "still caught."
        for line in (4, 7)
    ]


def test_the_rest_of_a_line_is_scanned_after_an_allowed_or_accepted_value():
    assert found("Our line 0800 160 0000 or 07700 900123.") == [
        ("phone number", "07700 900123", 4, 27)
    ]
    assert found("Ask customer@example.com or jane@gmail.com.") == [
        ("e-mail address", "jane@gmail.com", 4, 29)
    ]
    assert found("Ring 0800 123 4567 <!-- privacy: ok 0800 123 4567 --> or 07700 900123.") == [
        ("phone number", "07700 900123", 4, 58)
    ]


@pytest.mark.parametrize(
    "card",
    [
        "3056 9309 0259 04",  # Diners Club
        "4539 5787 6362 1486",  # Visa
        "6759 6498 2643 8453",  # Maestro
        "4929 0000 0000 6",  # Visa, 13 digits
    ],
)
def test_real_cards_with_nines_are_found(card):
    assert found(f"Card {card} used.") == [("payment card number", card, 4, 6)]


@pytest.mark.parametrize(
    "card",
    [
        "2223 0000 4841 0010",  # Mastercard's 2-series
        "3782 822463 10005",  # American Express, 15 digits
        "3600 0000 0000 08",  # Diners Club, 14 digits
        "3530 1113 3330 0000",  # JCB
        "6759 0000 0000",  # Maestro, 12 digits
        "6212 3456 7890 1234 569",  # UnionPay, 19 digits
        "4175 0000 0000 0000 006",  # Visa, 19 digits
    ],
)
def test_each_networks_cards_are_found_at_each_of_their_lengths(card):
    assert found(f"Card {card} used.") == [("payment card number", card, 4, 6)]


def test_a_number_that_fails_the_luhn_check_is_no_card():
    assert found("Card 4539 5787 6362 1487 used.") == []


@pytest.mark.parametrize("number", ["+683 4002", "06 12345"])  # Niue; Rome, from Italy's plan
def test_a_phone_number_of_seven_digits_is_found(number):
    assert found(f"Call {number} now.") == [("phone number", number, 4, 6)]


@pytest.mark.parametrize("number", ["+683 400", "06 1234"])
def test_six_digits_are_too_few_for_a_phone_number(number):
    assert found(f"Call {number} now.") == []


def test_an_allowed_pattern_allows_only_its_own_domain():
    assert found("Mail jane@notexample.com, a@mail.example.com or b@example.com.") == [
        ("e-mail address", "jane@notexample.com", 4, 6),
        ("e-mail address", "a@mail.example.com", 4, 27),
    ]


def test_a_finding_says_where_it_is_and_how_to_fix_it():
    [finding] = scan_of("Account ACC-12345678 closed").findings
    assert finding.where == "entry.md:4:9"
    assert str(finding) == (
        "entry.md:4:9: account number ***-******78. Remove it or describe it in words; if it is "
        "meant to be published, add <!-- privacy: ok ... --> to the line, with the value as "
        "written in place of the dots."
    )


# The example IBAN the SWIFT IBAN Registry gives for each country: each checks out
# (mod 97), so each has its country's length; the scan's table of lengths is checked against them.
REGISTRY_EXAMPLES = [
    "AD1200012030200359100100",
    "AE070331234567890123456",
    "AL47212110090000000235698741",
    "AT611904300234573201",
    "AZ21NABZ00000000137010001944",
    "BA391290079401028494",
    "BE68539007547034",
    "BG80BNBG96611020345678",
    "BH67BMAG00001299123456",
    "BI4210000100010000332045181",
    "BR9700360305000010009795493P1",
    "BY13NBRB3600900000002Z00AB00",
    "CH9300762011623852957",
    "CR05015202001026284066",
    "CY17002001280000001200527600",
    "CZ6508000000192000145399",
    "DE89370400440532013000",
    "DJ2100010000000154000100186",
    "DK5000400440116243",
    "DO28BAGR00000001212453611324",
    "EE382200221020145685",
    "EG380019000500000000263180002",
    "ES9121000418450200051332",
    "FI2112345600000785",
    "FK88SC123456789012",
    "FO6264600001631634",
    "FR1420041010050500013M02606",
    "GB29NWBK60161331926819",
    "GE29NB0000000101904917",
    "GI75NWBK000000007099453",
    "GL8964710001000206",
    "GR1601101250000000012300695",
    "GT82TRAJ01020000001210029690",
    "HR1210010051863000160",
    "HU42117730161111101800000000",
    "IE29AIBK93115212345678",
    "IL620108000000099999999",
    "IQ98NBIQ850123456789012",
    "IS140159260076545510730339",
    "IT60X0542811101000000123456",
    "JO15AAAA1234567890123456789012",
    "KW81CBKU0000000000001234560101",
    "KZ86125KZT5004100100",
    "LB62099900000001001901229114",
    "LC07HEMM000100010012001200013015",
    "LI21088100002324013AA",
    "LT121000011101001000",
    "LU280019400644750000",
    "LV80BANK0000435195001",
    "LY83002048000020100120361",
    "MC5811222000010123456789030",
    "MD24AG000225100013104168",
    "ME25505000012345678951",
    "MK07250120000058984",
    "MN121234123456789123",
    "MR1300020001010000123456753",
    "MT84MALT011000012345MTLCAST001S",
    "MU17BOMM0101101030300200000MUR",
    "NI45BAPR00000013000003558124",
    "NL91ABNA0417164300",
    "NO9386011117947",
    "OM810180000001299123456",
    "PK36SCBL0000001123456702",
    "PL61109010140000071219812874",
    "PS92PALS000000000400123456702",
    "PT50000201231234567890154",
    "QA30AAAA123456789012345678901",
    "RO49AAAA1B31007593840000",
    "RS35260005601001611379",
    "RU0304452522540817810538091310419",
    "SA0380000000608010167519",
    "SC18SSCB11010000000000001497USD",
    "SD2129010501234001",
    "SE4550000000058398257466",
    "SI56263300012039086",
    "SK3112000000198742637541",
    "SM86U0322509800000000270100",
    "SO211000001001000100141",
    "ST68000100010051845310112",
    "SV62CENR00000000000000700025",
    "TL380080012345678910157",
    "TN5910006035183598478831",
    "TR330006100519786457841326",
    "UA511234567890123456789012345",
    "VA59001123000012345678",
    "VG96VPVG0000012345678901",
    "XK051212012345678906",
    "YE15CBYE0001018861234567891234",
]


def grouped(iban: str) -> str:
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def test_every_countrys_iban_is_found_whole_written_in_groups():
    text = "\n\n".join(f"Refund to {grouped(iban)} EUR." for iban in REGISTRY_EXAMPLES)
    [scan] = SCANNER.scan([(ROOT / "entry.md", HEADER + text + "\n")])
    assert [(f.kind, f.line) for f in scan.findings] == [
        ("IBAN", 4 + 2 * index) for index in range(len(REGISTRY_EXAMPLES))
    ]
    assert {f.masked[:2] for f in scan.findings} == {iban[:2] for iban in REGISTRY_EXAMPLES}


def test_an_iban_one_character_short_or_long_is_none():
    for text in (
        "DE89 3704 0044 0532 0130 0",
        "DE89 3704 0044 0532 0130 000",
        "GB29 NWBK 6016 1331 9268 19X",
        "DE89370400440532013000X",
    ):
        assert iban_matches(f"Refund to {text} today.") == []
    assert iban_matches("Refund to DE89370400440532013000 today.") == [
        Match("IBAN", 10, 32, 0.9, IBAN_WORDS, True)
    ]


# The scan of the whole journal (journal.py): its files read from a temporary folder.


def journal(tmp_path, **privacy) -> tuple[CasebookSettings, CheckedContent]:
    settings = CasebookSettings.from_pelican(
        {**DEFAULT_CONFIG, "PATH": str(tmp_path), "TIMEZONE": "UTC", **privacy}
    )
    files = {
        "entries/call.md": (
            "Title: A call\nDate: 2024-01-01\n\nRing 07700 900123 or 0800 160 0000.\n"
        ),
        "entries/quiet.md": "Title: Quiet\nDate: 2024-01-01\n\nNothing here.\n",
        "comments/a-call/reply.md": (
            "Author: A\nDate: 2024-01-02\n\nMail jane@gmail.com or julie@acme.example.\n"
            "07700 900456 <!-- privacy: ok -->\n"
        ),
        "pages/help.md": "Title: Help\n\nCall 07700 900789.\n",
    }
    headers = {}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
        headers[name] = parse_header(tmp_path / name, text)[0]
    roster = Roster(
        tmp_path / "people.toml",
        {"Julie Hill": Person("Julie Hill", "staff", "julie@acme.example")},
    )
    content = CheckedContent(
        roster,
        [headers["entries/call.md"], headers["entries/quiet.md"]],
        {"a-call": [headers["comments/a-call/reply.md"]]},
        [headers["pages/help.md"]],
        [],
        [],
        {},
        [],
    )
    return settings, content


def summary(scan) -> list[tuple[str, int, str]]:
    return [(f.path.name, f.line, f.masked) for f in scan.findings]


def test_the_journal_scan_reads_entries_comments_and_pages(tmp_path):
    settings, content = journal(tmp_path, CASEBOOK_PRIVACY_ALLOW=["0800 160 0000"])
    scan = scan_journal(settings, content)
    assert summary(scan) == [
        ("call.md", 4, "077** ****23"),
        ("reply.md", 4, "j***@gmail.com"),
        ("help.md", 3, "077** ****89"),
    ]
    assert [str(problem).split(": ", 1)[1][:40] for problem in scan.hidden] == [
        "<!-- privacy: ok --> hides 1 finding on "
    ]
    # A comment's findings show on its entry's page.
    assert {page: [f.path.name for f in found] for page, found in scan.by_entry.items()} == {
        str(tmp_path / "entries/call.md"): ["call.md", "reply.md"],
        str(tmp_path / "pages/help.md"): ["help.md"],
    }
    settings, content = journal(tmp_path)
    assert summary(scan_journal(settings, content))[1] == ("call.md", 4, "080* *** **00")


def test_the_journal_scanner_is_made_of_the_settings_and_the_roster(tmp_path):
    settings, content = journal(
        tmp_path,
        CASEBOOK_PHONE_REGION="US",
        CASEBOOK_PRIVACY_PATTERNS={"member": r"M-\d{6}"},
        CASEBOOK_PRIVACY_ALLOW=["*@gmail.com"],
        CASEBOOK_PRIVACY_REFERENCE_WORDS=["complaint"],
        CASEBOOK_PRIVACY_REFERENCE_PATTERNS=[r"Z\d+"],
    )
    scanner = journal_scanner(settings, content.roster)
    assert scanner.configuration == (
        "US",
        [("member", r"M-\d{6}")],
        ("*@gmail.com", "julie@acme.example"),
        ["complaint"],
        (r"Z\d+",),
    )


@pytest.fixture
def caplog(caplog):
    """Each message logged, even one an earlier test logged: as in a new build (Pelican's
    LimitFilter shows a message once per process)."""
    forget_logged_messages()
    yield caplog


def scanned(caplog, settings, content, memory) -> tuple[object, str]:
    forget_logged_messages()
    scan = scan_journal(settings, content, memory)
    return scan, caplog.messages[-1]


def test_a_rebuild_scans_only_the_files_that_changed(tmp_path, caplog):
    settings, content = journal(tmp_path)
    path = tmp_path / "cache" / MEMORY
    caplog.set_level(logging.INFO, logger="pelican.plugins.casebook.content.privacy.journal")
    everything = "Privacy scan: scanned 4 of 4 files; the others had not changed."
    first, message = scanned(caplog, settings, content, Memory(path))
    assert message == everything
    assert json.loads(path.read_text())["rules"] == rules_fingerprint(
        journal_scanner(settings, content.roster)
    )
    again, message = scanned(caplog, settings, content, Memory(path))
    assert message == "Privacy scan: scanned 0 of 4 files; the others had not changed."
    assert again == first and not list(path.parent.glob(".*"))  # no partial file left behind
    # Under other rules, everything again.
    settings, content = journal(tmp_path, CASEBOOK_PRIVACY_ALLOW=["*@gmail.com"])
    other, message = scanned(caplog, settings, content, Memory(path))
    assert message == everything and len(other.findings) == len(first.findings) - 1
    # Not loaded (LOAD_CONTENT_CACHE off), or unreadable: everything again.
    assert scanned(caplog, settings, content, Memory(path, load=False)) == (other, everything)
    for broken in ("{", "[]", '{"rules": "x"}', '{"files": {}}'):
        path.write_text(broken)
        assert scanned(caplog, settings, content, Memory(path)) == (other, everything)
    assert Memory(tmp_path / "nowhere.json").known == {}


def test_the_memory_keeps_only_the_files_of_the_last_build(tmp_path):
    settings, content = journal(tmp_path)
    path = tmp_path / "cache" / MEMORY
    scan_journal(settings, content, Memory(path))
    content.pages.clear()
    scan_journal(settings, content, Memory(path))
    assert len(json.loads(path.read_text())["files"]) == 3


def test_a_file_saved_after_the_check_is_not_remembered_under_its_old_digest(tmp_path):
    settings, content = journal(tmp_path)
    (tmp_path / "pages/help.md").write_text("Title: Help\n\nCall 07700 900111.\n")
    memory = Memory(None)
    scan = scan_journal(settings, content, memory)
    assert [f.path.name for f in scan.findings] == ["call.md", "call.md", "reply.md"]
    assert content.pages[0].digest not in memory.known and len(memory.known) == 3


class Generator:
    """What a Pelican generator gives `article_generator_init`: its context and settings."""

    def __init__(self, settings, content, tmp_path, **pelican):
        self.context = {"casebook": settings, CHECKED: content}
        self.settings = {
            "CACHE_PATH": str(tmp_path / "cache"),
            "CACHE_CONTENT": True,
            "LOAD_CONTENT_CACHE": True,
            **pelican,
        }


def test_every_build_warns_of_each_finding_and_keeps_the_banners_if_asked(tmp_path, caplog):
    settings, content = journal(tmp_path, CASEBOOK_PRIVACY_BANNER=True)
    generator = Generator(settings, content, tmp_path)
    warn_before_reading(generator)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings[0] == (
        f"{tmp_path}/entries/call.md:4:6: phone number 077** ****23. Remove it or describe it in "
        "words; if it is meant to be published, add <!-- privacy: ok ... --> to the line, with "
        "the value as written in place of the dots."
    )
    assert [message.split(": ")[1].split(".")[0] for message in warnings] == [
        "phone number 077** ****23",
        "phone number 080* *** **00",
        "e-mail address j***@gmail",
        "phone number 077** ****89",
    ]
    assert set(generator.context["privacy_banners"]) == {  # the name article.html reads
        str(tmp_path / "entries/call.md"),
        str(tmp_path / "pages/help.md"),
    }
    assert (tmp_path / "cache" / MEMORY).is_file()
    with pytest.raises(dataclasses.FrozenInstanceError):
        scan_journal(settings, content).findings = []
    settings, content = journal(tmp_path, CASEBOOK_PRIVACY_BANNER=False)
    generator = Generator(settings, content, tmp_path / "other", CACHE_CONTENT=False)
    warn_before_reading(generator)
    assert generator.context[BANNERS] == {} and not (tmp_path / "other").exists()


# What the reader sees (visible.py), block by block: a number split across what the reader sees
# apart is no number; one joined by what the reader does not see is.
AS_SEEN = [
    ("Ring ０７７００ ９００１２３ now.", [("phone number", "07700 900123", 4, 6)]),  # full width
    ("Ring 07700\u00a0900123 now.", [("phone number", "07700 900123", 4, 6)]),
    ("Ring 415\u2013555\u20130132 now.", [("phone number", "415-555-0132", 4, 6)]),
    ("Ring 07700 &#57;00123 now.", [("phone number", "07700 900123", 4, 6)]),
    ("Ring 07700\n900123 today.", [("phone number", "07700 900123", 4, 6)]),  # one paragraph
    ("> Ring 07700\n> 900123 now.", [("phone number", "07700 900123", 4, 8)]),
    ("Ring <span>07700</span> 900123", [("phone number", "07700 900123", 4, 12)]),
    ("Ring 07700 ~~900123~~", [("phone number", "07700 900123", 4, 6)]),
    ("Ring [07700 900123][1]", [("phone number", "07700 900123", 4, 7)]),
    ("`07700\u200b900123`", [("phone number", "07700900123", 4, 2)]),
    ("~~~\nRing 07700 900123\n~~~", [("phone number", "07700 900123", 5, 6)]),
    ("[1]: tel:07700900123", [("phone number", "07700900123", 4, 10)]),
    ('<a href="tel:07700900123">call</a>', [("phone number", "07700900123", 4, 14)]),
    ("Ring <!--\nhidden 07700 900123\n--> 07700 900456", [("phone number", "07700 900456", 6, 5)]),
    ("```\n07700\n900123\n```", []),  # lines of code stay apart
    ("```\nRing 07700 **900123**\n```", []),  # in code, the stars are seen
    ("- 07700\n- 900123", []),  # two list items
    ("Ring 07700\n***\n900123 today.", []),  # a rule between
    ("| Ana | 07700 | 900123 |", []),  # two cells
    ("Ring 07700 \\*900123 now", []),  # an escaped star is seen
    ("[1]: https://x.example/?q=07700*900123", []),  # an address is read as typed
    ("Tel：07700 900123 now", [("phone number", "07700 900123", 4, 5)]),  # a full-width colon
    ("Ring 07700\u00ad900123 now", [("phone number", "07700900123", 4, 6)]),  # a soft hyphen
    ("`Ring\u200b 07700 900123`", [("phone number", "07700 900123", 4, 8)]),
    ("`x \u200b07700 900123\u200b y`", [("phone number", "07700 900123", 4, 5)]),
    ("Ring 07700 900123 <!-- PRIVACY: OK 07700 900123 -->", []),
    ("Ring <tel:07700900123> now", [("phone number", "07700900123", 4, 11)]),  # an autolink
    ("- Ring 07700 900123", [("phone number", "07700 900123", 4, 8)]),
    ("Ring Q&A: 07700 **900123**", [("phone number", "07700 900123", 4, 11)]),
    ("Ring <!--\nx\n--> ok\nRing 07700 900123", [("phone number", "07700 900123", 7, 6)]),
    ("Ring <!--\nx\nxx --> 07700 900456", [("phone number", "07700 900456", 6, 8)]),
]


@pytest.mark.parametrize(
    "source, position",
    [
        ("---\nTitle: Ring 07700 900123\n---\n\nText\n", (2, 13)),  # between dashes
        ("Title: A\nSummary: Ring\n    07700 900123\n\nText\n", (3, 5)),  # a value goes on
    ],
)
def test_header_fields_are_read_where_they_are_typed(source, position):
    [scan] = SCANNER.scan([(ROOT / "entry.md", source)])
    assert [(f.line, f.column) for f in scan.findings] == [position]


@pytest.mark.parametrize("text, expected", AS_SEEN)
def test_the_scan_reads_what_the_reader_sees(text, expected):
    assert found(text) == expected


# The words before a match (rules.py): the nearest telling word within five decides, a label takes
# its meaning from the word before it, and a number or the end of a sentence ends the look back.
NUMBER = "4155550132"  # valid in the US, ungrouped: reported only with a phone word before it
WORDS_BEFORE = [
    ("Call them about the old", True),
    ("Call them about the big old", False),  # six words back
    ("Her phone number", True),
    ("Her order number", False),
    ("The number", True),
    ("Her ID", False),
    ("Mobile ID", True),
    ("Her no.", False),
    ("The phone no.", True),
    ("The order no.", False),
    ("Phone #", True),
    ("Order #", False),
    ("Order num", False),
    ("number num", True),
    ("Order nr", False),
    ("Tel.", True),  # an abbreviation, not the end of a sentence
    ("He left.", False),
    ("Call us later.", False),  # the phone word is in the sentence before
    ("Call me!", False),
    ("Call me;", False),
    ("Call 12", False),  # another number between
    ("Her caller's", True),
    ("Call order", False),  # the nearest word decides
    ("Order call", True),
    ("Call " + " ".join(["a" * 40] * 3), False),  # more than 120 characters back
]


@pytest.mark.parametrize("before, reported", WORDS_BEFORE)
def test_the_words_before_a_number_weigh_it(before, reported):
    expected = [("phone number", NUMBER, 4, len(before) + 2)] if reported else []
    assert found(f"{before} {NUMBER}.") == expected


def test_the_look_back_is_120_characters_long():
    near, far = "Call " + "b" * 114, "Call " + "b" * 115
    assert found(f"{near} {NUMBER}.") == [("phone number", NUMBER, 4, 121)]
    assert found(f"{far} {NUMBER}.") == []  # only "all" is left of the phone word


def test_a_reference_label_lowers_a_number_that_would_be_reported_alone():
    assert found("It is 07700 900123.") == [("phone number", "07700 900123", 4, 7)]
    assert found("Her ID 07700 900123.") == []
    assert found("Her order number 07700 900123.") == []


def test_a_phone_word_on_another_line_says_nothing():
    assert found(f"Call\n\n{NUMBER}.") == []


def test_a_reference_word_lowers_each_kind_but_a_sure_one_stays_at_the_threshold():
    assert found("Order 4111 1111 1111 1111") == []
    assert found("Card order 4111 1111 1111 1111") == []
    # 0.9 less 0.4 is just enough: a number in full with its country code, an IBAN.
    assert found("Order +44 20 7946 0958 shipped.") == [("phone number", "+44 20 7946 0958", 4, 7)]
    assert found("Order GB82 WEST 1234 5698 7654 32") == [
        ("IBAN", "GB82 WEST 1234 5698 7654 32", 4, 7)
    ]
    # E-mail addresses and the team's own patterns are sure whatever comes before.
    assert found("Order jane@gmail.com and ACC-12345678") == [
        ("e-mail address", "jane@gmail.com", 4, 7),
        ("account number", "ACC-12345678", 4, 26),
    ]


# E-mail addresses spelled out: "at" in brackets, in capitals or as "@" says "address"; a plain
# "at" needs a domain spelled out too, a local part that looks like an address, or a mail host.
SPELLED = [
    ("Write jane at acme dot com now.", "jane at acme dot com"),
    ("Write j.doe at acme.com now.", "j.doe at acme.com"),
    ("Write jane2 at acme.com now.", "jane2 at acme.com"),
    ("Write jane_doe at acme.com now.", "jane_doe at acme.com"),
    ("Write jane at gmail.com now.", "jane at gmail.com"),
    ("Write jane [at] acme.zz now.", "jane [at] acme.zz"),
    ("Write jane AT acme.com now.", "jane AT acme.com"),
    ("Write jane(at)acme(dot)com now.", "jane(at)acme(dot)com"),
    ("Write jane @ acme.com now.", "jane @ acme.com"),
    ("Write jane At gmail.com now.", "jane At gmail.com"),
    ("Write jane{at}acme.com now.", "jane{at}acme.com"),
    ("Write jane [ at ] acme.com now.", "jane [ at ] acme.com"),
    ("Write jane ( at ) acme.com now.", "jane ( at ) acme.com"),
    ("Write jane<at>acme.com now.", None),  # <at> is a tag: the reader does not see it
    ("We met at acme.com today.", None),  # "at" a place
    ("Write jane at acme.zz now.", None),  # not a top-level domain
    ("Write jane at acme dot zz now.", None),
    ("See logo@2x.png now.", None),  # a file name
    ("Write jane at example dot com now.", None),  # allowed (*@example.com), however written
    ("Write JANE@EXAMPLE.COM now.", None),
]


@pytest.mark.parametrize("text, value", SPELLED)
def test_addresses_spelled_out_are_found_when_they_mean_an_address(text, value):
    expected = [("e-mail address", value, 4, text.index(value) + 1)] if value else []
    assert found(text) == expected


def test_two_addresses_spelled_out_on_one_line_are_both_found():
    assert found("Write jane at gmail.com and bob at gmail.com.") == [
        ("e-mail address", "jane at gmail.com", 4, 7),
        ("e-mail address", "bob at gmail.com", 4, 29),
    ]


# Phone numbers, by how they are written (recognisers.phone_confidence).
PHONES = [
    ("Ring 0044 20 7946 0958 now.", "0044 20 7946 0958"),
    ("Ring +(44) 20 7946 0958 now.", "+(44) 20 7946 0958"),
    ("Ring +44 7700 900123 now.", "+44 7700 900123"),  # possible, in a range not in use
    ("Ring (020) 7946 0958 now.", "(020) 7946 0958"),
    ("Ring 07700-900-123 now", "07700-900-123"),
    ("Ring 07700.900.123 now", "07700.900.123"),
    ("Ring 07700/900123 now", "07700/900123"),
    ("Ring 07700 900123#5", "07700 900123#5"),
    ("It was 4155550132 x12 then.", "4155550132 x12"),  # only phone numbers have extensions
    ("It was 4155550132 then.", None),
    ("Ring +99 1234 5678 now.", None),  # no such country
    ("Ring (07700 900123) now", "07700 900123"),  # the brackets around it are not its own
    ("Ring (07700) 900123 now", "(07700) 900123"),
    ("Call on 2024-01-05 07700 900123", "07700 900123"),  # after a date in the same run
    ("Ring 1 07700 900123 now", "07700 900123"),  # after a digit too few for a number
    ("Please quote 5 06 12 34 56 78", None),  # a French number inside a longer run
    ("Ring ID07700900123 now", None),  # glued to a word
    ("Price £07700900123", None),
    ("Ring 1.2.3.4 now", None),
    ("Ring 2019-2024 now", None),
    ("Ring 0900-1730 now", None),
]


@pytest.mark.parametrize("text, value", PHONES)
def test_phone_numbers_are_read_as_they_are_written(text, value):
    expected = [("phone number", value, 4, text.index(value) + 1)] if value else []
    assert found(text) == expected


def test_files_scanned_together_keep_their_own_positions():
    a, b = SCANNER.scan(
        [
            (ROOT / "a.md", HEADER + "Ring 07700 900123.\n"),
            (ROOT / "b.md", "Mail jane@gmail.com or\n07700 900456.\n"),
        ]
    )
    assert [(f.path.name, f.line, f.column, f.kind) for f in a.findings + b.findings] == [
        ("a.md", 4, 6, "phone number"),
        ("b.md", 1, 6, "e-mail address"),
        ("b.md", 2, 1, "phone number"),
    ]


def test_a_marker_on_any_line_of_a_number_wrapped_over_two_accepts_it():
    assert found("Ring 07700\n900123 <!-- privacy: ok 07700 900123 -->") == []
    assert found("Ring 07700 <!-- privacy: ok 07700 900123 -->\n900123") == []
    assert found("Ring 07700 90012\n3 <!-- privacy: ok 07700 900123 -->") == []
    assert found("Ring 07700 90012\n3 now") == [("phone number", "07700 90012 3", 4, 6)]
    scan = scan_of("Ring 07700\n900123 <!-- privacy: ok -->")
    assert scan.findings == [] and scan.hidden == {5: 1}


def test_an_address_spelled_out_is_sure_whatever_comes_before():
    assert found("Order jane at gmail dot com now") == [
        ("e-mail address", "jane at gmail dot com", 4, 7)
    ]


def test_what_the_scan_found_cannot_be_changed_by_whoever_reads_it():
    visible = visible_text(HEADER + "Ring 07700 900123 <!-- privacy: ok 0800 -->\n")
    [match] = SCANNER.matches(visible.text)
    [finding] = scan_of("Ring 07700 900123").findings
    for thing, name in ((visible, "text"), (visible.markers[0], "line"), (match, "start")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, name, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        scan_of("Ring 07700 900123").findings = []


def test_a_reference_of_the_team_claims_only_its_own_text():
    team = Scanner("GB", {}, [], reference_patterns=[r"REF\d"])
    assert found("REF1 07700 900123 now", team) == [("phone number", "07700 900123", 4, 6)]


def test_an_allowed_iban_or_card_is_allowed_however_it_is_grouped():
    ours = Scanner("GB", {}, ["GB82WEST12345698765432", "4111 1111 1111 1111"])
    text = "Pay GB82-WEST-1234-5698-7654-32 or card 4111-1111-1111-1111 now"
    assert found(text, ours) == []
    assert found("Pay GB33BUKB20201555555555 now", ours) == [
        ("IBAN", "GB33BUKB20201555555555", 4, 5)
    ]


@pytest.mark.parametrize("pattern", ["0800 160 *", "+44 800 160 *", "0800160????"])
def test_an_allowed_phone_pattern_allows_its_numbers_however_they_are_written(pattern):
    ours = Scanner("GB", {}, [pattern])
    assert found("Ring 0800 160 1234 or +44 800 160 5678 from abroad.", ours) == []
    assert found("Ring 0800 161 1234 or 07700 900123.", ours) == [
        ("phone number", "0800 161 1234", 4, 6),
        ("phone number", "07700 900123", 4, 23),
    ]


@pytest.mark.parametrize("region", ["US", "IE", "FR", "DE", "IT", "NL", "BE", "AU", "IN"])
def test_a_mobile_number_of_each_country_read_abroad_is_found_as_written_there(region):
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert found(f"It is {number} now.") == [("phone number", number, 4, 7)]


@pytest.mark.parametrize("region", ["ES", "PT"])  # bare digit groups there: a phone word says it
def test_a_mobile_number_of_a_country_without_a_trunk_prefix_needs_a_phone_word(region):
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert found(f"It is {number} now.") == []
    assert found(f"Her mobile is {number} now.") == [("phone number", number, 4, 15)]


def test_what_a_reference_word_outweighs_and_what_outweighs_it():
    assert found("Order +44 7700 900123") == []  # possible, not valid: 0.6 less 0.4
    assert found("Order 4155550132 x12") == []  # an extension adds only 0.2
    assert found("Order card 4111 1111 1111 1111") == [
        ("payment card number", "4111 1111 1111 1111", 4, 12)
    ]
    assert found("Her num 4155550132") == [("phone number", "4155550132", 4, 9)]


def test_entities_and_escapes_are_read_as_the_reader_sees_them():
    assert found("Ring 07700&#8203;900123") == [("phone number", "07700900123", 4, 6)]
    assert found("Ring \\+44 20 7946 0958") == [("phone number", "+44 20 7946 0958", 4, 7)]


def test_the_memory_makes_its_folder(tmp_path):
    memory = Memory(tmp_path / "a" / "b" / "casebook-privacy.json")
    memory.save()
    assert json.loads(memory.path.read_text()) == {"rules": "", "files": {}}
    assert MEMORY == "casebook-privacy.json"
