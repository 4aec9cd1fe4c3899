"""What the supervisors' and trainers' pages cost, timed inside real builds.

python -m benchmark.supervision [--entries 5000] [--repeat 3] [--out FILE]

Generates the benchmark journal (generate.py: with ten reading paths of ten
entries) and builds it with pelicanconf.py, each build in a process of its own:
a full build from scratch, then a rebuild after editing one entry, `--repeat`
times. In each, the time spent in Casebook's steps for the review queue, the
insights and the reading paths is added up (build_once.py wraps them); the
round with the median full build is reported.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from .generate import generate
from .run import ROOT, casebook_overrides, measured_build, median_run

STEPS = {  # what is timed: Casebook's functions for each feature
    "review queue: page, Atom feed, count": "pelican.plugins.casebook.build:write_review_queue",
    "insights: figures and page": "pelican.plugins.casebook.build:write_insights",
    "reading paths: checking the files": "pelican.plugins.casebook.content.validation:check_paths",
    "reading paths: placing their entries": "pelican.plugins.casebook.build:index_reading_paths",
    "reading paths: index, pages, handouts": "pelican.plugins.casebook.build:write_reading_paths",
}


def run(entries: int, repeat: int, out: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as folder:
        content = generate(Path(folder), entries)
        edited = next((content / "entries").rglob("*.md"))
        full, rebuilt = [], []
        for round in range(repeat):
            site = Path(folder) / f"site-{round}"
            full.append(
                measured_build(
                    str(ROOT / "pelicanconf.py"),
                    casebook_overrides(content, site),
                    tuple(STEPS.values()),
                )
            )
            edited.write_text(edited.read_text() + "\nOne more sentence, added by the benchmark.\n")
            rebuilt.append(
                measured_build(
                    str(ROOT / "pelicanconf.py"),
                    casebook_overrides(content, site),
                    tuple(STEPS.values()),
                )
            )
            print(
                f"round {round + 1}: full build {full[-1]['wall_seconds']:.1f} s, "
                f"rebuild {rebuilt[-1]['wall_seconds']:.1f} s"
            )
    figures = {
        "entries": entries,
        "rounds": repeat,
        "steps": STEPS,
        "full_build": median_run(full),
        "rebuild_one_edit": median_run(rebuilt),
    }
    for name, function in STEPS.items():
        full_step, rebuilt_step = (
            figures[which]["timed_seconds"][function]
            for which in ("full_build", "rebuild_one_edit")
        )
        print(
            f"{name:40} full build {full_step['cpu_seconds']:6.3f} s CPU "
            f"({full_step['wall_seconds']:6.3f} s wall)"
            f"   rebuild {rebuilt_step['cpu_seconds']:6.3f} s CPU "
            f"({rebuilt_step['wall_seconds']:6.3f} s wall)"
        )
    for which in ("full_build", "rebuild_one_edit"):
        build = figures[which]
        steps = build["timed_seconds"].values()
        print(
            f"{which}: {sum(step['cpu_seconds'] for step in steps):.2f} s CPU in these steps, of "
            f"{build['cpu_seconds']:.1f} s CPU and {build['wall_seconds']:.1f} s wall for the "
            "whole build; "
            f"peak memory {build['peak_memory_mb']:.0f} MB"
        )
    if out:
        out.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    run(arguments.entries, arguments.repeat, arguments.out)
