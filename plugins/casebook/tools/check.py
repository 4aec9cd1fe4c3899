"""`invoke check`: every content rule, the privacy scan and, on a build, the links."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.privacy.journal import scan_journal
from ..content.validation import check_content
from ..settings import CasebookSettings
from .links import broken_links
from .provenance import check_endorsements


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    content_ok: bool = True  # no content rule broken: the site can be built

    def __str__(self) -> str:
        lines = []
        for title, items in (("Errors", self.errors), ("Warnings", self.warnings)):
            if items:
                lines += [f"{title} ({len(items)}):", *(f"  {item}" for item in items), ""]
        verdict = (
            f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}: fix them first."
            if self.errors
            else "No errors."
        )
        return "\n".join(lines + [verdict])


def check_sources(settings: CasebookSettings, publishing: bool = False) -> Report:
    """The content rules, the privacy scan (its findings are errors here, warnings in a build) and
    (if on)
    who committed each endorsement, without building."""
    content = check_content(settings)
    report = Report(
        [str(p) for p in content.problems], [str(w) for w in content.warnings], not content.problems
    )
    if settings.verify_endorsements:
        comments = [header for headers in content.comments.values() for header in headers]
        errors, warnings = check_endorsements(comments, content.roster, settings, publishing)
        report.errors += [str(problem) for problem in errors]
        report.warnings += [str(problem) for problem in warnings]
    privacy = scan_journal(settings, content)
    report.errors += [str(finding) for finding in privacy.findings]
    report.warnings += [str(marker) for marker in privacy.hidden]
    return report


def check_build(output: Path, settings: CasebookSettings, site_url: str) -> list[str]:
    """Links in a built site that lead nowhere."""
    return broken_links(output, [site_url, settings.feed_domain])
