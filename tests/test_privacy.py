"""The privacy scan: what it reports and what it leaves alone, in every build, in `check` and in
the preview."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter

import pytest
from conftest import BIN, ROOT, html, run_invoke
from pelican.plugins.casebook.content.privacy.scanner import Scanner
from pelican.plugins.casebook.content.privacy.visible import visible_text
from test_tasks import fetch, free_port

ENTRY = "content/entries/2025/2025-02-11-silence-on-the-line.md"
ENTRY_PAGE = "2025/02/silence-on-the-line/index.html"
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


def pelican(project, *extra: str, settings: str = "pelicanconf.py") -> subprocess.CompletedProcess:
    """The real `pelican` command in the project, its log one message per line."""
    return subprocess.run(
        [BIN / "pelican", "content", "-s", settings, "-o", "output", *extra],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "400"},
    )


def append(project, relative: str, text: str) -> int:
    """Add a line to a file; returns its line number."""
    path = project / relative
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8"
    )
    return len(path.read_text(encoding="utf-8").splitlines())


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


def test_every_build_warns_where_personal_data_is_and_the_preview_shows_it(project):
    line = append(project, ENTRY, "She gave 07700 900123 and jane.doe@gmail.com.")
    comment = "content/comments/silence-on-the-line/tom-okafor.md"
    (project / comment).parent.mkdir()
    (project / comment).write_text(
        "Author: Tom Okafor\nDate: 2025-02-12 10:00\n\nHer card: 4111 1111 1111 1111\n"
    )
    title = project / "content/entries/2024/2024-09-30-reading-back-the-order-number.md"
    title.write_text(
        title.read_text().replace(
            "Title: Reading back the order number", "Title: Reading back 07700 900456"
        )
    )
    page_line = append(project, "content/pages/how-to-write-an-entry.md", "Or ring 020 7946 0958.")
    roster = project / "content/people.toml"
    roster.write_text(
        roster.read_text().replace(
            'name = "Dev Patel"', 'name = "Dev Patel"\nemail = "dev@casebook.co.uk"'
        )
    )
    append(
        project,
        "content/entries/2023/2023-01-19-the-chat-widget-that-said-we-were-closed.md",
        "Ask Dev (dev@casebook.co.uk): a roster address is allowed.",
    )

    result = pelican(project)
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    for warning in (
        f"{ENTRY}:{line}:10: phone number 077** ****23.",
        f"{ENTRY}:{line}:27: e-mail address j***@gmail.com.",
        f"{comment}:4:11: payment card number **** **** **** 1111.",
        "2024-09-30-reading-back-the-order-number.md:1:21: phone number 077** ****56.",
        f"content/pages/how-to-write-an-entry.md:{page_line}:9: phone number 020 **** **58.",
    ):
        assert warning in log, log
    assert "07700 900123" not in log and "jane.doe" not in log and "dev@" not in log
    assert log.count("WARNING") == 5

    banner = html(project / "output" / ENTRY_PAGE).find(class_="privacy-banner")
    assert banner is not None and "3 things on this page" in banner.get_text()
    assert f"{comment}:4:11" in banner.get_text() and "077** ****23" in banner.get_text()
    assert (
        html(project / "output/2022/11/refund-by-friday/index.html").find(class_="privacy-banner")
        is None
    )


def test_a_published_build_never_shows_the_banner(project):
    append(project, ENTRY, "She gave 07700 900123.")
    result = pelican(project, settings="publishconf.py")
    assert result.returncode == 0 and "phone number 077** ****23" in result.stdout + result.stderr
    page = project / "output" / ENTRY_PAGE
    assert "07700 900123" in page.read_text() and html(page).find(class_="privacy-banner") is None


def test_invoke_build_serve_and_livereload_warn(project, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # Pelican's log: one message per line
    line = append(project, ENTRY, "Ring 07700 900123.")
    warning = f"{ENTRY}:{line}:6: phone number 077** ****23."
    built = run_invoke(project, "build")
    assert built.returncode == 0 and warning in built.stdout + built.stderr
    for task in ("serve", "livereload"):
        port, log = free_port(), project / f"{task}.log"
        with open(log, "w") as output:
            server = subprocess.Popen(
                [BIN / "invoke", task, "--port", str(port)],
                cwd=project,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                page = fetch(f"http://localhost:{port}/{ENTRY_PAGE.removesuffix('index.html')}")
            finally:
                server.terminate()
                server.wait(timeout=20)
        assert 'class="privacy-banner"' in page and warning in log.read_text(), task


def test_a_rebuild_scans_only_what_changed_and_draws_the_banner_again(project, tmp_path):
    cached = [
        "--cache-path",
        str(tmp_path / "cache"),
        "--verbose",
    ]  # the cache is on in pelicanconf.py
    files = len(
        list((project / "content").glob("[!p]*/**/*.md"))
        + list((project / "content/pages").glob("*.md"))
    )
    assert pelican(project, *cached).returncode == 0
    line = append(project, ENTRY, "Ring 07700 900123.")
    result = pelican(project, *cached)
    log = result.stdout + result.stderr
    assert (
        f"Privacy scan: scanned 1 of {files} files" in log
        and f"{ENTRY}:{line}:6: phone number" in log
    )
    assert html(project / "output" / ENTRY_PAGE).find(class_="privacy-banner") is not None

    again = pelican(project, *cached)  # unchanged: remembered, still warned about, still shown
    log = again.stdout + again.stderr
    assert f"scanned 0 of {files} files" in log and "phone number 077** ****23" in log
    assert html(project / "output" / ENTRY_PAGE).find(class_="privacy-banner") is not None

    entry = project / ENTRY
    entry.write_text(entry.read_text().replace("Ring 07700 900123.", "Ring her mobile."))
    fixed = pelican(project, *cached)
    assert f"scanned 1 of {files} files" in fixed.stdout + fixed.stderr
    assert "phone number" not in fixed.stdout + fixed.stderr
    assert html(project / "output" / ENTRY_PAGE).find(class_="privacy-banner") is None


def test_a_rebuild_under_new_rules_scans_everything_again(project, tmp_path):
    cached = ["--cache-path", str(tmp_path / "cache"), "--verbose"]
    append(project, ENTRY, "Ring 07700 900123.")
    first = pelican(project, *cached)
    assert "phone number" in first.stdout + first.stderr
    allowed = pelican(project, *cached, "-e", 'CASEBOOK_PRIVACY_ALLOW=["07700 900123"]')
    assert re.search(r"scanned (\d+) of \1 files", allowed.stdout + allowed.stderr)
    assert "phone number" not in allowed.stdout + allowed.stderr


def test_check_refuses_personal_data_and_counts_what_plain_markers_hide(project):
    last = "Mail jane.doe@gmail.com <!-- privacy: ok jane.doe@gmail.com --> or 020 7946 0958"
    line = append(project, ENTRY, "Ring 07700 900123 or 07700 900456 <!-- privacy: ok -->\n" + last)
    result = run_invoke(project, "check")
    assert result.returncode == 1
    assert f"{ENTRY}:{line}:{last.index('020') + 1}: phone number 020 **** **58." in result.stdout
    assert (
        f"{ENTRY}:{line - 1}: <!-- privacy: ok --> hides 2 findings on this line." in result.stdout
    )
    assert "1 error: fix them first." in result.stdout
    report = result.stdout[result.stdout.index("Errors (") :]  # after the build's own log
    assert report.count("phone number") == 1  # an error here, not also a warning


def test_a_privacy_setting_that_is_wrong_stops_the_build_with_a_clear_message(project):
    result = pelican(project, "-e", 'CASEBOOK_PRIVACY_PATTERNS={"account": "ACC-(\\\\d"}')
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "pelicanconf.py: CASEBOOK_PRIVACY_PATTERNS: 'ACC-(\\\\d' is not a regular expression"
        in result.stderr
    )


def test_sample_journal_passes_check(project):
    result = run_invoke(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors." in result.stdout


def test_check_reports_privacy_findings_broken_links_and_warnings(project):
    entry = project / ENTRY
    entry.write_text(
        entry.read_text()
        + "\nShe said to ring 07700 900123. See [the list](/tags/nope/) and [here](#gone).\n"
    )
    (project / "content/entries/2025/none.md").write_text(
        "Title: No lessons\nDate: 2025-07-01\nAuthor: Dev Patel\n\nA story.\n"
    )
    (project / "content/entries/2025/notes.txt").write_text("stray")
    result = run_invoke(project, "check")
    assert result.returncode == 1
    out = result.stdout
    line = len(entry.read_text().splitlines())
    assert f"{ENTRY}:{line}:18: phone number 077** ****23." in out
    assert (
        "On the page /2025/02/silence-on-the-line/" in out
        and "the link to /tags/nope/ leads to no page" in out
    )
    assert "the link to #gone points to #gone, which is not on that page" in out
    assert "Warnings (2):" in out and "notes.txt" in out
    assert 'content/entries/2025/none.md: This entry has no "Lessons learned" section' in out
    assert "3 errors: fix them first." in out


def test_check_reports_content_mistakes_without_building(project):
    entry = project / "content/entries/2022/2022-11-08-refund-by-friday.md"
    entry.write_text(entry.read_text().replace("Date: 2022-11-08 15:05", "Date: 2022-02-30"))
    result = run_invoke(project, "check")
    assert result.returncode == 1
    assert (
        'content/entries/2022/2022-11-08-refund-by-friday.md:2: Date "2022-02-30" is not a real '
        "date" in result.stdout
    )
    assert "Done: Processed" not in result.stdout + result.stderr  # nothing was built


def test_readme_lists_what_the_scan_covers():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in re.findall(
        r"^(CASEBOOK_(?:PHONE|PRIVACY)_\w+)", (ROOT / "pelicanconf.py").read_text(), re.M
    ):
        assert setting in readme, f"{setting} is not in the README"
