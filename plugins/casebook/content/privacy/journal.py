"""The privacy scan of the whole journal, on every build: warnings in the preview, errors in
`check`.

Every build scans what it reads: entries (their header fields too: titles, summaries, tags),
comments and the guide pages. The roster's e-mail addresses are allowed. A build prints each
finding as a warning and, in the local preview, shows it in a banner on the entry's page
(CASEBOOK_PRIVACY_BANNER, off in publishconf.py); `invoke check` and `invoke publish` refuse them.
A file's findings are remembered by its digest in the cache folder, so a rebuild scans only the
files that changed.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ...build import CHECKED
from ...page_cache.fingerprints import fingerprint, folder_fingerprint
from ...problems import Problem
from ...settings import CasebookSettings
from ..entries import entry_slug
from ..headers import Header, digest_of, source_text
from ..people import Roster
from ..validation import CheckedContent
from .scanner import FileScan, Finding, Scanner

logger = logging.getLogger(__name__)

MEMORY = "casebook-privacy.json"  # in the cache folder
BATCH = 200  # files scanned at once: fewer passes of each recogniser, and still little memory
BANNERS = "privacy_banners"  # context key: entry source path -> the findings its page shows


@dataclass(frozen=True)
class JournalScan:
    findings: list[Finding]
    hidden: list[Problem]  # plain markers that accept findings: `check` says how many
    by_entry: dict[
        str, list[Finding]
    ]  # an entry's source path -> its own findings and its comments'


def journal_scanner(settings: CasebookSettings, roster: Roster) -> Scanner:
    roster_addresses = [person.email for person in roster.people.values() if person.email]
    return Scanner(
        settings.phone_region,
        settings.privacy_patterns,
        [*settings.privacy_allowed, *roster_addresses],
        settings.privacy_reference_words,
        settings.privacy_reference_patterns,
    )


def scan_journal(
    settings: CasebookSettings, content: CheckedContent, memory: Memory | None = None
) -> JournalScan:
    scanner = journal_scanner(settings, content.roster)
    memory = memory or Memory(None)
    memory.expect(rules_fingerprint(scanner))
    files = [
        *content.entries,
        *(header for headers in content.comments.values() for header in headers),
        *content.pages,
    ]
    unknown = [header for header in files if header.digest not in memory.known]
    memory.learn(scanner, unknown)
    logger.info(
        "Privacy scan: scanned %d of %d files; the others had not changed.",
        len(unknown),
        len(files),
    )
    entry_paths = {entry_slug(header, settings): str(header.path) for header in content.entries}
    entry_of_comment = {
        str(header.path): entry_paths.get(slug)
        for slug, headers in content.comments.items()
        for header in headers
    }
    findings, hidden, by_entry = [], [], {}
    for header in files:
        scan = memory.recall(header)
        findings += scan.findings
        hidden += scan.hidden_problems(header.path)
        if scan.findings:  # shown on its entry's page: the entry's own, or its comments'
            page = entry_of_comment.get(str(header.path), str(header.path))
            by_entry.setdefault(page, []).extend(scan.findings)
    memory.save()
    return JournalScan(findings, hidden, by_entry)


def rules_fingerprint(scanner: Scanner) -> str:
    """What a file's findings depend on besides the file: the scanner's settings, this code,
    libphonenumber."""
    return fingerprint(
        repr(scanner.configuration),
        folder_fingerprint(Path(__file__).parent),
        version("phonenumbers"),
    )


class Memory:
    """Each file's findings by its digest, as the builds before found them: a rebuild scans only
    what changed.

    Kept in one JSON file in the cache folder, for the files of the last build only.
    """

    def __init__(self, path: Path | None, load: bool = True):
        self.path = path
        self.known: dict = {}
        self.rules = ""
        if path and load:
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
                self.rules, self.known = saved["rules"], saved["files"]
            except (OSError, ValueError, KeyError, TypeError):
                pass
        self.used: dict = {}

    def expect(self, rules: str) -> None:
        """Forget what was found under other rules."""
        if rules != self.rules:
            self.rules, self.known = rules, {}

    def learn(self, scanner: Scanner, headers: list[Header]) -> None:
        """Scan the files not known yet, a batch at a time (the scanner reads a batch at once)."""
        for first in range(0, len(headers), BATCH):
            batch, texts = [], []
            for header in headers[first : first + BATCH]:
                data = header.path.read_bytes()
                if (
                    digest_of(data) == header.digest
                ):  # else saved since the check: never kept under its old digest
                    batch.append(header)
                    texts.append((header.path, source_text(data)))
            for header, scan in zip(batch, scanner.scan(texts)):
                self.known[header.digest] = {
                    "findings": [
                        [finding.line, finding.column, finding.kind, finding.masked]
                        for finding in scan.findings
                    ],
                    "hidden": [[line, count] for line, count in scan.hidden.items()],
                }

    def recall(self, header: Header) -> FileScan:
        if (
            header.digest not in self.known
        ):  # saved since the check: an entry or comment stops the build (build.py)
            return FileScan([], Counter())
        saved = self.used[header.digest] = self.known[header.digest]
        return FileScan(
            [Finding(header.path, *finding) for finding in saved["findings"]],
            Counter(dict(saved["hidden"])),
        )

    def save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
            partial.write_text(
                json.dumps({"rules": self.rules, "files": self.used}), encoding="utf-8"
            )
            os.replace(partial, self.path)  # whole or not at all, even with two builds at once


def warn_before_reading(generator) -> None:
    """Connected to `article_generator_init`, after the content check: every build scans what it
    reads.

    Findings are warnings here, so that the preview still builds; the preview's entry pages show
    them
    (CASEBOOK_PRIVACY_BANNER). With Pelican's cache on, only the files that changed are scanned
    again.
    """
    settings: CasebookSettings = generator.context["casebook"]
    pelican = generator.settings
    memory = Memory(
        Path(pelican["CACHE_PATH"]) / MEMORY if pelican["CACHE_CONTENT"] else None,
        load=pelican["LOAD_CONTENT_CACHE"],
    )
    scan = scan_journal(settings, generator.context[CHECKED], memory)
    for finding in scan.findings:
        logger.warning("%s", finding)
    generator.context[BANNERS] = scan.by_entry if settings.privacy_banner else {}
