"""The privacy scan: what it reports and what it leaves alone, in every build, in `check` and in
the preview."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import BIN, ROOT, html, run_invoke
from test_tasks import fetch, free_port

ENTRY = "content/entries/2025/2025-02-11-silence-on-the-line.md"
ENTRY_PAGE = "2025/02/silence-on-the-line/index.html"


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
