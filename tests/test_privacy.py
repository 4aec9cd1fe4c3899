"""The privacy scan and the link check of `invoke check`."""

from __future__ import annotations

import pytest

from casebook.tools.privacy import Scanner
from conftest import run_invoke


PERSONAL_DATA = [
    ("phone number", "(415) 555-0132"),
    ("phone number", "+1-415-555-0132"),
    ("phone number", "+44 20 7946 0958"),
    ("phone number", "020 7946 0958"),
    ("phone number", "07700 900123"),
    ("phone number", "07700900123"),
    ("phone number", "0044 20 7946 0958"),
    ("phone number", "+33 1 23 45 67 89"),
    ("phone number", "+49 30 1234567"),
    ("e-mail address", "jane.doe@gmail.com"),
    ("e-mail address", "First.Last+tag@mail.sub.company.co.uk"),
    ("e-mail address", "UPPER@Company.COM"),
    ("payment card number", "4111 1111 1111 1111"),
    ("payment card number", "5500-0000-0000-0004"),
    ("payment card number", "378282246310005"),
    ("IBAN", "GB82 WEST 1234 5698 7654 32"),
    ("IBAN", "DE89370400440532013000"),
    ("account number", "ACC-12345678"),
]
PROSE = [
    "Date: 2022-11-08 15:05",
    "It cost £12.99 in 2023, and 41 orders came in between 08:00 and 18:00.",
    "The two hour rule: three to five working days, or 3 to 5 days.",
    "2023-01-19T09:02:11Z INFO widget hours check: now=04:02 open=08:00",
    "On 14/03/2022 we shipped 1,250 parcels; version 1.5.2 went live in Q3 2024.",
    "Order references like B1234D, 17 and 12; the 1990s; page 42 of 300.",
]


@pytest.fixture
def scanner() -> Scanner:
    return Scanner("GB", {"account number": r"\bACC-\d{8}\b"}, ["0800 160 0000", "*@example.com"])


def scan(scanner, tmp_path, text: str):
    path = tmp_path / "entry.md"
    path.write_text(text, encoding="utf-8")
    return scanner.scan(path)


@pytest.mark.parametrize("kind, value", PERSONAL_DATA)
def test_personal_data_is_caught_where_it_stands(scanner, tmp_path, kind, value):
    [finding] = scan(scanner, tmp_path, f"Title: x\n\nThe customer gave {value} on the call.\n")
    assert (finding.kind, finding.value, finding.line, finding.column) == (kind, value, 3, 19)
    shown = str(finding)
    assert f"entry.md:3:19: {kind} " in shown
    assert value not in shown and "*" in shown  # masked


def test_masks_keep_only_a_hint(scanner, tmp_path):
    shown = [str(f) for f in scan(scanner, tmp_path, "Ring (415) 555-0132 or mail jane.doe@gmail.com, card 4111-1111-1111-1111\n")]
    assert "phone number (415) ***-**32." in shown[0]
    assert "e-mail address j***@gmail.com." in shown[1]
    assert "payment card number ****-****-****-1111." in shown[2]


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_raises_no_alarm(scanner, tmp_path, text):
    assert scan(scanner, tmp_path, text + "\n") == []


def test_allowlist_and_inline_marker(scanner, tmp_path):
    assert scan(scanner, tmp_path, "Our free line is 0800 160 0000; write to customer@example.com.\n") == []
    assert scan(scanner, tmp_path, "Test card 4111 1111 1111 1111 from the docs <!-- privacy: ok -->\n") == []
    assert len(scan(scanner, tmp_path, "But 4111 1111 1111 1111 here is caught.\n")) == 1


def test_sample_journal_passes_check(project):
    result = run_invoke(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors." in result.stdout


def test_check_reports_privacy_findings_broken_links_and_warnings(project):
    entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
    entry.write_text(entry.read_text() + "\nShe said to ring 07700 900123. See [the list](/tags/nope/) and [here](#gone).\n")
    (project / "content/entries/2025/none.md").write_text(
        "Title: No lessons\nDate: 2025-07-01\nAuthor: Dev Patel\n\nA story.\n")
    (project / "content/entries/2025/notes.txt").write_text("stray")
    result = run_invoke(project, "check")
    assert result.returncode == 1
    out = result.stdout
    line = len(entry.read_text().splitlines())
    assert f"content/entries/2025/2025-02-11-silence-on-the-line.md:{line}:18: phone number 077** ****23." in out
    assert "On the page /2025/02/silence-on-the-line/" in out and "the link to /tags/nope/ leads to no page" in out
    assert "the link to #gone points to #gone, which is not on that page" in out
    assert "Warnings (2):" in out and "notes.txt" in out
    assert 'content/entries/2025/none.md: This entry has no "Lessons learned" section' in out
    assert "3 errors: fix them first." in out


def test_check_reports_content_mistakes_without_building(project):
    entry = project / "content/entries/2022/2022-11-08-refund-by-friday.md"
    entry.write_text(entry.read_text().replace("Date: 2022-11-08 15:05", "Date: 2022-02-30"))
    result = run_invoke(project, "check")
    assert result.returncode == 1
    assert 'content/entries/2022/2022-11-08-refund-by-friday.md:2: Date "2022-02-30" is not a real date' in result.stdout
    assert "Done: Processed" not in result.stdout + result.stderr  # nothing was built
