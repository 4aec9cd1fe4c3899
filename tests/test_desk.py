"""The writing desk (issue 17): write, edit, comment and endorse from the browser, in the preview.

The preview runs as a user starts it (`invoke livereload`, `invoke serve`) in a copy of the journal;
the forms are used in Debian's Chromium, by their labels; what they wrote is read from the disk.
"""

from __future__ import annotations

import datetime
import http.client
import re
import socket
import urllib.parse
from pathlib import Path

import pytest
from conftest import run_invoke, snapshot
from playwright.sync_api import expect
from test_preview import started

ENTRY_PAGE = "/2025/02/silence-on-the-line/"  # by Priya Nair (staff)
SUPERVISOR, STAFF = "Julie Hill", "Marcus Reed"
BUILT = 60_000  # ms: a save shows its page once the preview has built it (a busy machine is slow)


def entries(project: Path) -> dict[str, bytes]:
    return snapshot(project / "content")


def new_files(before: dict[str, bytes], project: Path) -> list[str]:
    return sorted(set(entries(project)) - set(before))


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_script_tab(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def fill_entry(page, title: str, **fields: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Author").select_option(fields.get("author", "Ana Sousa"))
    page.get_by_label("Tags").fill(fields.get("tags", "refunds"))
    page.get_by_label("Channel").select_option(fields.get("channel", "email"))
    page.get_by_label("Summary").fill(fields.get("summary", "A refund promised by Friday."))
    if "date" in fields:
        page.get_by_label("Date").fill(fields["date"])
    if "text" in fields:
        page.get_by_label("Text").fill(fields["text"])


GOOD_TEXT = (
    "## What happened\n\nA customer wanted a refund.\n\n## What I did\n\nI checked.\n\n"
    "## Lessons learned\n\n- Say when the refund arrives.\n"
)


def test_write_an_entry_edit_it_and_a_supervisor_endorses_it(project, tab):
    with started(project, "livereload") as preview:
        tab.goto(preview.url + "/")
        tab.get_by_role("link", name="Write", exact=True).click()
        expect(tab.get_by_label("Text")).to_have_value(re.compile("## What happened"))
        fill_entry(tab, "The refund that came early", text=GOOD_TEXT)
        tab.get_by_role("button", name="Save", exact=True).click()
        expect(tab.get_by_role("heading", level=1)).to_have_text(
            "The refund that came early", timeout=BUILT
        )
        today = datetime.date.today()
        written = (
            project / f"content/entries/{today:%Y}/{today:%Y-%m-%d}-the-refund-that-came-early.md"
        )
        text = written.read_text(encoding="utf-8")
        assert re.match(
            r"Title: The refund that came early\nDate: \d{4}-\d\d-\d\d \d\d:\d\d\n"
            r"Author: Ana Sousa\nTags: refunds\nChannel: email\n"
            r"Summary: A refund promised by Friday\.\n\n## What happened\n",
            text,
        ), text
        assert tab.url.endswith(f"/{today:%Y}/{today:%m}/the-refund-that-came-early/")
        # The page is drawn first; the rest of the site follows in the same build, and the page
        # reloads with what to read next.
        expect(tab.get_by_role("heading", name="Read next")).to_be_visible(timeout=BUILT)
        tab.goto(preview.url + "/")  # built and listed
        expect(tab.get_by_role("link", name="The refund that came early").first).to_be_visible()

        # Edit: the same form on the file; the file keeps its name and the entry its address.
        tab.go_back()
        tab.get_by_role("link", name="Edit this entry").click()
        expect(tab.get_by_label("Title")).to_have_value("The refund that came early")
        tab.get_by_label("Title").fill("The refund that came a day early")
        tab.get_by_label("Summary").fill("Early is good news too.")
        tab.get_by_role("button", name="Save", exact=True).click()
        expect(tab.get_by_role("heading", level=1)).to_have_text(
            "The refund that came a day early", timeout=BUILT
        )
        assert tab.url.endswith("/the-refund-that-came-early/")
        edited = written.read_text(encoding="utf-8")
        assert "Summary: Early is good news too.\n" in edited
        assert "Slug: the-refund-that-came-early\n" in edited
        assert "- Say when the refund arrives." in edited

        # A staff member gets no endorse box; a supervisor who did not write the entry does.
        form = tab.locator("#comment-form")
        form.get_by_label("Author").select_option(STAFF)
        expect(form.get_by_label("Endorse this entry")).to_be_hidden()
        form.get_by_label("Author").select_option(SUPERVISOR)
        expect(form.get_by_label("Endorse this entry")).to_be_visible()
        form.get_by_label("Comment").fill("Exactly what new starters need to read.")
        form.get_by_label("Endorse this entry").check()
        form.get_by_role("button", name="Add the comment").click()
        expect(tab.locator(".badge-endorsed").first).to_be_visible(timeout=BUILT)
        comment = next((project / "content/comments/the-refund-that-came-early").glob("*.md"))
        assert re.match(
            rf"Author: {SUPERVISOR}\nDate: [\d: -]+\nEndorsement: yes\n\n"
            r"Exactly what new starters need to read\.\n$",
            comment.read_text(encoding="utf-8"),
        )
        assert comment.name.endswith("-julie-hill.md")

        # Reply to that comment, from its Reply link.
        tab.get_by_role("link", name="Reply to this comment").first.click()
        tab.get_by_label("Author").select_option("Ana Sousa")
        expect(tab.get_by_label("Endorse this entry")).to_be_hidden()
        tab.get_by_label("Comment", exact=True).fill("Thank you!")
        tab.get_by_role("button", name="Add the comment").click()
        expect(tab.get_by_text("Thank you!")).to_be_visible(timeout=BUILT)
        reply = next(comment.parent.glob("*-ana-sousa.md"))
        assert f"Replyto: {comment.stem}\n" in reply.read_text(encoding="utf-8")
        expect(tab.locator(".comment-replies")).to_contain_text("Thank you!")


def test_an_edit_is_refused_when_the_file_changed_since_the_form_was_opened(project, tab):
    entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
    with started(project, "livereload") as preview:
        tab.goto(preview.url + "/write/silence-on-the-line/")
        tab.get_by_label("Summary").fill("My summary")
        entry.write_text(entry.read_text(encoding="utf-8") + "\nAdded elsewhere.\n")
        changed = entry.read_bytes()
        tab.get_by_role("button", name="Save", exact=True).click()
        expect(tab.get_by_role("alert")).to_contain_text("was changed on disk since you opened")
        expect(tab.get_by_label("Summary")).to_have_value("My summary")
        assert entry.read_bytes() == changed


def test_a_bad_date_and_a_tag_variant_are_shown_next_to_their_fields_without_javascript(
    project, no_script_tab
):
    tab = no_script_tab
    with started(project, "serve") as preview:
        before = entries(project)
        tab.goto(preview.url + "/write/")
        fill_entry(tab, "A date that never was", date="2025-02-30", tags="Anxious-Caller, refunds")
        tab.get_by_label("Text").fill(GOOD_TEXT + "\nKeep this sentence.\n")
        tab.get_by_role("button", name="Save", exact=True).click()
        date_message = tab.locator("#date-error-1")
        expect(date_message).to_contain_text('Date "2025-02-30" is not a real date')
        expect(tab.get_by_label("Date")).to_have_attribute("aria-invalid", "true")
        expect(tab.locator("#tags-warning-1")).to_contain_text(
            'The tag "Anxious-Caller" is written "anxious caller"'
        )
        expect(tab.get_by_label("Text")).to_have_value(re.compile("Keep this sentence."))
        expect(tab.get_by_label("Title")).to_have_value("A date that never was")
        assert new_files(before, project) == []

        # The date put right, the tag's warning seen: saving again keeps the tag as written.
        tab.get_by_label("Date").fill("2025-02-28 10:00")
        tab.get_by_role("button", name="Save", exact=True).click()
        expect(tab.get_by_role("heading", level=1)).to_have_text(
            "A date that never was", timeout=BUILT
        )
        assert new_files(before, project) == ["entries/2025/2025-02-28-a-date-that-never-was.md"]


def test_a_pasted_phone_number_shows_a_masked_warning_before_saving(project, tab):
    with started(project, "livereload") as preview:
        before = entries(project)
        tab.goto(preview.url + "/write/")
        fill_entry(tab, "A number in the notes")
        tab.get_by_label("Text").fill("## What happened\n\nShe said: call me on 020 7946 0958.\n")
        warning = tab.locator('.desk-live[data-field="text"]')
        expect(warning).to_contain_text("phone number 020 ****", timeout=BUILT)
        expect(warning).not_to_contain_text("7946 0958")
        expect(tab.locator("#preview")).to_contain_text(
            "She said", timeout=BUILT
        )  # the reader's preview

        # Tags: the journal's tags are suggested as one types; a variant is warned about.
        tab.get_by_label("Tags").fill("refunds, anx")
        suggested = tab.locator("#known-tags option")
        expect(suggested).to_have_count(1)
        expect(suggested).to_have_attribute("value", "refunds, anxious caller")
        tab.get_by_label("Tags").fill("refunds, Anxious-Caller")
        expect(tab.locator('.desk-live[data-field="tags"]')).to_contain_text(
            'The tag "Anxious-Caller" is written "anxious caller"', timeout=BUILT
        )
        assert new_files(before, project) == []


def test_a_draft_and_a_preview_are_as_the_journal_makes_them(project, no_script_tab):
    tab = no_script_tab
    with started(project, "serve") as preview:
        tab.goto(preview.url + "/write/")
        fill_entry(tab, "Still thinking", text=GOOD_TEXT + "\n<script>alert(1)</script>\n")
        tab.get_by_role("button", name="Preview").click()
        expect(tab.locator("#preview .entry-body h2").first).to_have_text("What happened")
        expect(tab.locator("#preview")).to_contain_text("Lessons found: 1")
        assert tab.locator("#preview script").count() == 0  # sanitised as the build does
        tab.get_by_role("button", name="Save as draft").click()
        expect(tab.get_by_text("Draft: only you see this preview.")).to_be_visible(timeout=BUILT)
        assert "/drafts/still-thinking/" in tab.url
        today = datetime.date.today()
        path = project / f"content/entries/{today:%Y}/{today:%Y-%m-%d}-still-thinking.md"
        assert "\nStatus: draft\n" in path.read_text(encoding="utf-8")


def get_form(base: str) -> tuple[str, str]:
    """The XSRF cookie and the token of the desk's form, as a browser would have them."""
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=30)
    connection.request("GET", "/write/")
    answer = connection.getresponse()
    page = answer.read().decode()
    cookie = answer.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    return cookie, token


def post(base: str, fields: dict, headers: dict) -> int:
    netloc = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=60)
    body = urllib.parse.urlencode(fields)
    connection.request(
        "POST",
        "/write/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Host": netloc, **headers},
    )
    answer = connection.getresponse()
    answer.read()
    return answer.status


def this_machines_address() -> str | None:
    """The address this machine has on its network (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("198.51.100.1", 9))  # a documentation address
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_a_post_without_the_token_or_from_elsewhere_is_refused_and_writes_nothing(project):
    with started(project, "serve") as preview:
        before = entries(project)
        cookie, token = get_form(preview.url)
        entry = {
            "title": "Written from elsewhere",
            "date": "2025-03-01 09:00",
            "author": "Ana Sousa",
            "text": GOOD_TEXT,
            "action": "save",
        }
        port = urllib.parse.urlsplit(preview.url).port
        assert post(preview.url, entry, {"Cookie": cookie}) == 403  # no token
        assert post(preview.url, {**entry, "_xsrf": "2|00|00|00"}, {"Cookie": cookie}) == 403
        signed = {**entry, "_xsrf": token}
        foreign_origin = {"Cookie": cookie, "Origin": "http://evil.example"}
        assert post(preview.url, signed, foreign_origin) == 403
        foreign_host = {"Cookie": cookie, "Host": f"rebound.evil.example:{port}"}
        assert post(preview.url, signed, foreign_host) == 403
        assert new_files(before, project) == []
        # The preview listens on localhost only: this machine's other addresses have nothing.
        if outward := this_machines_address():
            with pytest.raises(OSError):
                socket.create_connection((outward, port), timeout=5).close()
        # Nor does a page of the journal go to a name pointed at this server (DNS rebinding).
        rebound = http.client.HTTPConnection(urllib.parse.urlsplit(preview.url).netloc, timeout=30)
        rebound.request("GET", ENTRY_PAGE, headers={"Host": f"rebound.evil.example:{port}"})
        assert rebound.getresponse().status == 403
        # The same request from the desk's own page is taken: the refusals were for what differed.
        own = {"Cookie": cookie, "Origin": preview.url}
        assert post(preview.url, signed, own) == 303
        assert new_files(before, project) == ["entries/2025/2025-03-01-written-from-elsewhere.md"]


def test_publish_has_no_writing_desk_page_link_or_script(project, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_SITEURL", "https://casebook.test")
    target = tmp_path / "published"
    result = run_invoke(project, "publish", "--target", str(target), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    site = snapshot(target / "current")
    assert any(name.endswith("index.html") for name in site)
    for name, data in site.items():
        assert not name.startswith("write"), name
        for mark in (b"/write/", b"desk.js", b"desk-", b"comment-form"):
            assert mark not in data, f"{mark!r} in {name}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_desk_has_no_serious_accessibility_violation(project, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()

    def audit(what: str) -> None:
        for violation in axe.run(tab).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{what}: {violation['id']}: {violation['help']}")

    with started(project, "serve") as preview:
        for address in (ENTRY_PAGE, "/write/", "/write/silence-on-the-line/"):
            tab.goto(preview.url + address)
            audit(address)
        tab.goto(preview.url + "/write/")
        fill_entry(tab, "Messages", date="2025-13-01", text="Call 020 7946 0958 now.")
        tab.get_by_role("button", name="Save", exact=True).click()
        expect(tab.locator("#date-error-1")).to_be_visible()
        audit("the form with messages")
        tab.goto(preview.url + "/write/silence-on-the-line/comment/")
        tab.get_by_label("Author").select_option("Tom Okafor")
        tab.get_by_label("Endorse this entry").check()
        tab.get_by_role("button", name="Add the comment").click()
        expect(tab.get_by_text("This comment has no text yet")).to_be_visible()
        audit("the comment form with messages")
    context.close()
    assert not found, "\n".join(found)


def test_the_comment_form_refuses_what_the_build_refuses_without_javascript(project, no_script_tab):
    tab = no_script_tab
    with started(project, "serve") as preview:
        before = entries(project)
        tab.goto(preview.url + ENTRY_PAGE)
        form = tab.locator("#comment-form")
        form.get_by_label("Author").select_option(STAFF)
        form.get_by_label("Comment", exact=True).fill("I would endorse this.")
        form.get_by_label("Endorse this entry").check()  # no script hides it: the server refuses
        form.get_by_role("button", name="Add the comment").click()
        expect(tab.locator("#endorsement-error-1")).to_contain_text(
            f"Only supervisors can endorse an entry, and {STAFF} is staff."
        )
        expect(tab.get_by_label("Comment", exact=True)).to_have_value("I would endorse this.")
        assert new_files(before, project) == []
        tab.get_by_label("Endorse this entry").uncheck()
        tab.get_by_role("button", name="Add the comment").click()
        expect(tab.locator(".comment-body").last).to_have_text(
            "I would endorse this.", timeout=BUILT
        )
        assert len(new_files(before, project)) == 1
