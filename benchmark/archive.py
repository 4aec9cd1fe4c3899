"""What the archive's "did you mean" and the entry pages' "read next" cost (issue 18).

python -m benchmark.archive [--entries 5000] [--out FILE]

Generates the benchmark journal (generate.py), builds it with pelicanconf.py
in a process of its own, timing Casebook's steps for read next (counting each
entry's words, previous/next and related entries) and the vocabulary; then
serves the site to Debian's Chromium and times a misspelt query from its
last key press to the suggestion shown, counting the bytes it fetched.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import random
import string
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from pelican.plugins.casebook.indexes.words import VOCABULARY_SIZE

from .generate import generate
from .run import CHROMIUM, ROOT, QuietHandler, casebook_overrides, measured_build

STEPS = {
    "counting each entry's words": "pelican.plugins.casebook.build:entry_words",
    "previous/next and related entries": "pelican.plugins.casebook.build:place_read_next",
    "vocabulary: sorting the words": "pelican.plugins.casebook.build:vocabulary",
    "vocabulary: writing the file": "pelican.plugins.casebook.build:write_vocabulary",
}
MISSPELT = ("refnd", "custmer", "warehuose")  # words the generated journal has, misspelt


def time_to_suggestion(site: Path) -> dict | None:
    """In Chromium: the archive, then each misspelt query typed; from its last key to the
    suggestion, and what was fetched for it."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: list[str] = []  # addresses; their sizes are those of the files served
    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.on("request", lambda request: fetched.append(request.url))
            base = f"http://127.0.0.1:{server.server_address[1]}"
            page.goto(f"{base}/archive/")
            page.locator("#search[data-ready]").wait_for(state="attached")
            page.wait_for_load_state("networkidle")
            for word in MISSPELT:
                before = len(fetched)
                page.locator("#search-input").fill(word[:-1])
                page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
                start = time.perf_counter()
                page.locator("#search-input").press(word[-1])
                page.locator("#search-suggestion").wait_for(state="visible")
                seconds = time.perf_counter() - start
                closest = page.evaluate(
                    "performance.getEntriesByName('casebook: closest words').at(-1).duration"
                )
                figures[word] = {
                    "suggestion": page.locator("#search-suggestion a").inner_text(),
                    "seconds_from_last_key": round(seconds, 3),
                    "closest_words_milliseconds": round(closest, 1),
                    "bytes_fetched": sum(
                        (site / url.removeprefix(base).split("?")[0].lstrip("/")).stat().st_size
                        for url in fetched[before:]
                    ),
                }
            browser.close()
    finally:
        server.shutdown()
    return figures


def fill_to_the_cap(path: Path) -> None:
    """The generated journal writes from a short list of words; a real one has many more. Pad the
    vocabulary with made-up words of real lengths, up to the most it may hold: the worst case for
    its download and for finding the closest word."""
    words = json.loads(path.read_text())["words"]
    rng = random.Random(18)
    made_up = set(words)
    while len(made_up) < VOCABULARY_SIZE:
        made_up.add("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 12))))
    padded = words + sorted(made_up - set(words))
    path.write_text(json.dumps({"words": padded}, separators=(",", ":")))


def vocabulary_figures(path: Path) -> dict:
    data = path.read_bytes()
    return {
        "words": len(json.loads(data)["words"]),
        "bytes": len(data),
        "gzip_bytes": len(gzip.compress(data, 9)),
    }


def run(entries: int, out: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as folder:
        content = generate(Path(folder), entries)
        site = Path(folder) / "site"
        build = measured_build(
            str(ROOT / "pelicanconf.py"),
            casebook_overrides(content, site),
            tuple(STEPS.values()),
        )
        vocabulary = site / "search" / "words.json"
        figures = {
            "entries": entries,
            "build_wall_seconds": build["wall_seconds"],
            "build_cpu_seconds": build["cpu_seconds"],
            "steps": {name: build["timed_seconds"][function] for name, function in STEPS.items()},
            "vocabulary": vocabulary_figures(vocabulary),
            "suggestions": time_to_suggestion(site),
        }
        fill_to_the_cap(vocabulary)
        figures["vocabulary_at_its_cap"] = vocabulary_figures(vocabulary)
        figures["suggestions_at_its_cap"] = time_to_suggestion(site)
    print(json.dumps(figures, indent=2))
    if out:
        out.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    run(arguments.entries, arguments.out)
