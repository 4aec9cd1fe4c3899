"""content/privacy/ alone: what the scan reports and what it leaves alone, where, and how it masks
it, on texts in memory. (tests/test_privacy.py runs it in real builds, `check` and the preview.)
Also the test file for the mutation run of the privacy package (docs/mutation.md).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from casebook.content.privacy.scanner import Scanner
from casebook.content.privacy.visible import visible_text

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
