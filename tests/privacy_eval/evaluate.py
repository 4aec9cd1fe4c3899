"""Measure the privacy scan on the evaluation set: precision and recall per kind, and false alarms.

`invoke privacy-eval` prints the figures; tests/test_privacy_eval.py holds them to the targets.
Each line is scanned as the body of an entry, with the sample journal's settings (pelicanconf.py).
A finding counts as right when it has the expected kind and covers all of the expected value that
the reader sees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pelican.plugins.casebook.content.privacy.scanner import Scanner
from pelican.plugins.casebook.content.privacy.visible import BREAK, Visible, visible_text
from pelican.plugins.casebook.settings import CasebookSettings
from pelican.settings import read_settings

from .corpus import Line, generated, handwritten

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Title: An evaluation line\n\n"


@dataclass
class Figures:
    right: Counter = field(default_factory=Counter)  # by kind
    false_alarms: Counter = field(default_factory=Counter)
    missed: Counter = field(default_factory=Counter)
    lines: Counter = field(default_factory=Counter)  # by group
    lines_with_alarms: Counter = field(default_factory=Counter)
    mistakes: list[str] = field(default_factory=list)

    def precision(self, kind: str) -> float:
        return self.right[kind] / ((self.right[kind] + self.false_alarms[kind]) or 1)

    def recall(self, kind: str | None = None) -> float:
        right = self.right[kind] if kind else sum(self.right.values())
        missed = self.missed[kind] if kind else sum(self.missed.values())
        return right / ((right + missed) or 1)

    def alarms_per_50(self, group: str) -> float:
        return 50 * self.lines_with_alarms[group] / (self.lines[group] or 1)

    def share_flagged(self, group: str) -> float:
        return self.lines_with_alarms[group] / (self.lines[group] or 1)

    def __str__(self) -> str:
        kinds = sorted(set(self.right) | set(self.false_alarms) | set(self.missed))
        rows = [
            f"{'kind':22} {'right':>6} {'false':>6} {'missed':>6} {'precision':>10} {'recall':>7}"
        ]
        rows += [
            f"{kind:22} {self.right[kind]:6} {self.false_alarms[kind]:6} {self.missed[kind]:6} "
            f"{self.precision(kind):10.3f} {self.recall(kind):7.3f}"
            for kind in kinds
        ]
        rows += [
            "",
            f"Recall on all personal data: {self.recall():.3f} (target at least 0.97)",
            f"Ordinary prose: {self.lines_with_alarms['prose']} of {self.lines['prose']} lines "
            "with a false "
            f"alarm, {self.alarms_per_50('prose'):.2f} per 50 lines (target at most 1)",
            f"Order and ticket numbers of 7 to 10 random digits in a sentence: "
            f"{self.lines_with_alarms['reference numbers']} of {self.lines['reference numbers']} "
            "flagged, "
            f"{100 * self.share_flagged('reference numbers'):.1f}% (target under 5%)",
            f"Random numbers of 7 to 10 digits with no word to say what they are: "
            f"{self.lines_with_alarms['numbers without a label']} of "
            f"{self.lines['numbers without a label']} "
            f"flagged, {100 * self.share_flagged('numbers without a label'):.1f}% (no target: "
            "some are phone "
            "numbers)",
        ]
        return "\n".join(rows)


def scanner() -> Scanner:
    settings = CasebookSettings.from_pelican(read_settings(str(ROOT / "pelicanconf.py")))
    return Scanner(
        settings.phone_region,
        settings.privacy_patterns,
        settings.privacy_allowed,
        settings.privacy_reference_words,
        settings.privacy_reference_patterns,
    )


def evaluate(lines: list[Line] | None = None) -> Figures:
    lines = handwritten() + generated() if lines is None else lines
    scan, figures = scanner(), Figures()
    for line in lines:
        figures.lines[line.group] += 1
        visible = visible_text(HEADER + line.text)
        expected = [
            (e.kind, seen(visible, e.start + len(HEADER), e.end + len(HEADER)))
            for e in line.expected
        ]
        found_all = []
        reported = list(scan.personal_data(visible, scan.matches(visible.text), Counter()))
        for match, _ in reported:
            covered = [
                e
                for e in expected
                if e[0] == match.kind and e[1] and match.start <= e[1][0] and e[1][-1] < match.end
            ]
            if covered:
                found_all += covered
                figures.right[match.kind] += 1
            else:
                figures.false_alarms[match.kind] += 1
                figures.mistakes.append(f"false alarm ({match.kind}): {line.text!r}")
        for kind, indices in expected:
            if (kind, indices) not in found_all:
                figures.missed[kind] += 1
                figures.mistakes.append(f"missed ({kind}): {line.text!r}")
        if not expected and reported:
            figures.lines_with_alarms[line.group] += 1
    return figures


def seen(visible: Visible, start: int, end: int) -> list[int]:
    """Where the reader sees what was typed between start and end (not the address behind a link in
    it)."""
    indices = [index for index in range(len(visible.text)) if start <= visible.origin(index) < end]
    breaks = [index for index in indices if visible.text[index] == BREAK]
    return [index for index in indices if not breaks or index < breaks[0]]


def main(show_mistakes: bool = False) -> Figures:
    figures = evaluate()
    print(figures)
    if show_mistakes:
        print("", *figures.mistakes, sep="\n")
    return figures
