"""Generate a journal, build it with plain Pelican and with Casebook, and compare."""

from __future__ import annotations

import functools
import gzip
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .generate import generate
from .preview import measure_preview

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
QUERY = "refund"


def plain_pelican_settings(content: Path, output: Path) -> dict:
    """What pelican-quickstart writes for a new site (pagination 10, no feeds in development),
    with the comments folder left out: plain Pelican would read comments as articles."""
    return {
        "AUTHOR": "Casebook",
        "SITENAME": "Casebook",
        "SITEURL": "",
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "TIMEZONE": "Europe/London",
        "DEFAULT_LANG": "en",
        "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
        "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "DEFAULT_PAGINATION": 10,
        "ARTICLE_EXCLUDES": ["comments"],
        "CACHE_PATH": str(output.parent / "plain-cache"),
    }


def casebook_overrides(content: Path, output: Path) -> dict:
    """Our pelicanconf.py as it is, caches included: the full build starts with none and fills
    them."""
    return {"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": f"{output}-cache"}


def measured_build(settings_file: str | None, overrides: dict, timed: tuple[str, ...] = ()) -> dict:
    """One build in a process of its own (build_once.py); `timed` names functions to time in it."""
    request = json.dumps(
        {"settings_file": settings_file, "overrides": overrides, "timed": list(timed)}
    )
    result = subprocess.run(
        [sys.executable, "-m", "benchmark.build_once", request],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"A benchmark build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def whole_site_json(content: Path) -> bytes:
    """What a lunr- or tipue-style plugin ships to every reader: title, tags and text of every
    entry."""
    records = []
    for path in sorted((content / "entries").rglob("*.md")):
        header, _, body = path.read_text().partition("\n\n")
        meta = dict(line.split(": ", 1) for line in header.splitlines())
        text = re.sub(r"[#>*_`-]+", " ", body)
        records.append(
            {
                "title": meta["Title"],
                "tags": meta.get("Tags", ""),
                "url": meta["Slug"],
                "text": " ".join(text.split()),
            }
        )
    return json.dumps({"pages": records}).encode()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def first_query_bytes(site: Path) -> dict | None:
    """Serve the site, type a query in Chromium, and add up what Pagefind fetched."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            page = browser.new_page()
            page.on(
                "response",
                lambda response: (
                    fetched.__setitem__(response.url, len(response.body()))
                    if "/pagefind/" in response.url
                    else None
                ),
            )
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/archive/")
            page.locator("#search-input").wait_for(state="visible")
            page.wait_for_load_state("networkidle")
            opening = sum(fetched.values())
            page.locator("#search-input").press_sequentially(QUERY, delay=30)
            page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    total = sum(fetched.values())
    return {
        "opening_search_bytes": opening,
        "query_bytes": total - opening,
        "total_bytes": total,
        "files": len(fetched),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median wall time, with every run's wall time beside it: this machine's
    speed drifts."""
    middle = sorted(runs, key=lambda run: run["wall_seconds"])[len(runs) // 2]
    return {**middle, "all_wall_seconds": [run["wall_seconds"] for run in runs]}


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def run(entries: int, out: Path | None, progress=print, repeat: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as folder:
        work = Path(folder)
        progress(f"Generating a journal of {entries} entries (fixed seed)…")
        content = generate(work, entries)
        comments = sum(1 for _ in (content / "comments").rglob("*.md"))
        edited = next((content / "entries").rglob("*.md"))
        plain_runs, casebook_runs, rebuild_runs, next_runs = [], [], [], []
        for round in range(
            1, repeat + 1
        ):  # the builds take turns, so a slow spell of the machine hits both
            label = f" (round {round} of {repeat})" if repeat > 1 else ""
            progress(f"Plain Pelican: full build{label}…")
            plain_runs.append(
                measured_build(None, plain_pelican_settings(content, work / f"plain-{round}"))
            )
            progress(f"  {plain_runs[-1]['wall_seconds']:.1f} s")

            progress(
                "Casebook: full build from scratch (comments, endorsements, lessons, search "
                f"index){label}…"
            )
            site = work / f"casebook-{round}"
            casebook_runs.append(
                measured_build(str(ROOT / "pelicanconf.py"), casebook_overrides(content, site))
            )
            progress(f"  {casebook_runs[-1]['wall_seconds']:.1f} s")

            # The first rebuild after a full build, then the next one: from then on the build before
            # last is there to reuse too (see plugins/casebook/staging.py), as when writing with
            # livereload.
            for runs, which in ((rebuild_runs, "one entry"), (next_runs, "one entry again")):
                progress(
                    f"Casebook: rebuild after editing {which} (the caches of the builds "
                    f"before){label}…"
                )
                edited.write_text(
                    edited.read_text() + "\nOne more sentence, added by the benchmark.\n"
                )
                runs.append(
                    measured_build(str(ROOT / "pelicanconf.py"), casebook_overrides(content, site))
                )
                progress(f"  {runs[-1]['wall_seconds']:.1f} s")
        plain, casebook, rebuild, next_rebuild = map(
            median_run, (plain_runs, casebook_runs, rebuild_runs, next_runs)
        )
        edits = max(3, 2 * repeat)
        progress(f"Casebook preview: {edits} edits saved under `invoke livereload`…")
        preview = measure_preview(work, edited, edits, progress)

        progress("Search payload: bundle size, and what Chromium downloads for a first query…")
        bundle = folder_size(site / "pagefind")
        ui_files = sum(p.stat().st_size for p in (site / "pagefind").glob("pagefind-*ui*"))
        site_json = whole_site_json(content)
        browser = first_query_bytes(site)

        figures = {
            "entries": entries,
            "comments": comments,
            "rounds": repeat,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "system": platform.platform(),
            },
            "plain_pelican": plain,
            "casebook": casebook,
            "casebook_rebuild_one_edit": rebuild,
            "casebook_rebuild_next_edit": next_rebuild,
            # Each the median of the edits; every edit's figure beside it.
            "preview_after_edit_seconds": median(preview["preview_after_edit_seconds"]),
            "site_after_edit_seconds": median(preview["site_after_edit_seconds"]),
            "search_after_edit_seconds": median(preview["search_after_edit_seconds"]),
            "index_after_edit_seconds": median(preview["index_after_edit_seconds"]),
            "preview_after_edit_cpu_seconds": median(preview["preview_after_edit_cpu_seconds"]),
            "preview_edits": preview,
            "search": {
                "bundle_bytes": bundle,
                "bundle_bytes_without_unused_ui": bundle - ui_files,
                "whole_site_json_bytes": len(site_json),
                "whole_site_json_gzip_bytes": len(gzip.compress(site_json)),
                "first_query": browser,
                "query": QUERY,
            },
        }
    figures["ratios"] = ratios(figures)
    figures["preview_after_edit_ratio"] = figures["ratios"]["preview_after_edit_ratio"]
    progress("")
    progress(table(figures))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2) + "\n")
        progress(f"\nFigures written to {out}")
    return figures


def ratios(f: dict) -> dict:
    ratios = {
        "build_time_casebook_over_pelican": f["casebook"]["wall_seconds"]
        / f["plain_pelican"]["wall_seconds"],
        "cpu_time_casebook_over_pelican": (
            f["casebook"]["cpu_seconds"] + f["casebook"]["cpu_seconds_children"]
        )
        / f["plain_pelican"]["cpu_seconds"],
        "peak_memory_casebook_over_pelican": f["casebook"]["peak_memory_mb"]
        / f["plain_pelican"]["peak_memory_mb"],
        "rebuild_over_full_build": f["casebook_rebuild_one_edit"]["wall_seconds"]
        / f["casebook"]["wall_seconds"],
        "next_rebuild_over_full_build": f["casebook_rebuild_next_edit"]["wall_seconds"]
        / f["casebook"]["wall_seconds"],
        "preview_after_edit_ratio": f["preview_after_edit_seconds"]
        / f["plain_pelican"]["wall_seconds"],
        "site_after_edit_ratio": f["site_after_edit_seconds"] / f["plain_pelican"]["wall_seconds"],
        "search_after_edit_ratio": f["search_after_edit_seconds"]
        / f["plain_pelican"]["wall_seconds"],
        "index_after_edit_ratio": f["index_after_edit_seconds"]
        / f["plain_pelican"]["wall_seconds"],
        "preview_after_edit_cpu_ratio": f["preview_after_edit_cpu_seconds"]
        / f["plain_pelican"]["cpu_seconds"],
    }
    if f["search"]["first_query"]:
        ratios["first_query_over_whole_site_json"] = (
            f["search"]["first_query"]["total_bytes"] / f["search"]["whole_site_json_bytes"]
        )
    return ratios


def spread(run: dict) -> str:
    return ", ".join(f"{seconds:.1f}" for seconds in run["all_wall_seconds"])


def seconds(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def table(f: dict) -> str:
    plain, casebook, rebuild, again, search, r = (
        f["plain_pelican"],
        f["casebook"],
        f["casebook_rebuild_one_edit"],
        f["casebook_rebuild_next_edit"],
        f["search"],
        f["ratios"],
    )
    rows = [
        (
            "Full build, wall time" + (f" (median of {f['rounds']})" if f["rounds"] > 1 else ""),
            f"{plain['wall_seconds']:.1f} s",
            f"{casebook['wall_seconds']:.1f} s",
            f"{r['build_time_casebook_over_pelican']:.2f}  (target ≤ 1.0)",
        ),
        *([("  every round", spread(plain), spread(casebook), "")] if f["rounds"] > 1 else []),
        (
            "CPU time (build process + children)",
            f"{plain['cpu_seconds']:.1f} s",
            f"{casebook['cpu_seconds']:.1f} + {casebook['cpu_seconds_children']:.1f} s",
            f"{r['cpu_time_casebook_over_pelican']:.2f}",
        ),
        (
            "Peak memory (build process)",
            f"{plain['peak_memory_mb']:.0f} MB",
            f"{casebook['peak_memory_mb']:.0f} MB",
            f"{r['peak_memory_casebook_over_pelican']:.2f}  (target ≤ 1.0)",
        ),
        (
            "Peak memory (largest child: Pagefind)",
            "",
            f"{casebook['peak_memory_children_mb']:.0f} MB",
            "",
        ),
        *[
            (
                f"  stage: {name}",
                f"{plain['stages'][name]:.1f} s",
                f"{casebook['stages'][name]:.1f} s",
                "",
            )
            for name in casebook["stages"]
        ],
        (
            "Rebuild after one edit (caches on)",
            "",
            f"{rebuild['wall_seconds']:.1f} s",
            f"{r['rebuild_over_full_build']:.2f} of a full build  (target ≤ 0.15)",
        ),
        *([("  every round", "", spread(rebuild), "")] if f["rounds"] > 1 else []),
        (
            "The next rebuild after another edit",
            "",
            f"{again['wall_seconds']:.1f} s",
            f"{r['next_rebuild_over_full_build']:.2f} of a full build",
        ),
        *([("  every round", "", spread(again), "")] if f["rounds"] > 1 else []),
        (
            "Preview: save to page served (livereload)",
            "",
            f"{f['preview_after_edit_seconds']:.2f} s",
            f"{r['preview_after_edit_ratio']:.3f} of plain Pelican's full build  (target ≤ 0.10)",
        ),
        ("  every edit", "", seconds(f["preview_edits"]["preview_after_edit_seconds"]), ""),
        (
            "  CPU time of the preview's process",
            f"{f['plain_pelican']['cpu_seconds']:.1f} s",
            f"{f['preview_after_edit_cpu_seconds']:.2f} s",
            f"{r['preview_after_edit_cpu_ratio']:.3f} of plain Pelican's full build's CPU time",
        ),
        ("  every edit", "", seconds(f["preview_edits"]["preview_after_edit_cpu_seconds"]), ""),
        (
            "Preview: save to whole site rebuilt",
            "",
            f"{f['site_after_edit_seconds']:.2f} s",
            f"{r['site_after_edit_ratio']:.3f} of plain Pelican's full build",
        ),
        ("  every edit", "", seconds(f["preview_edits"]["site_after_edit_seconds"]), ""),
        (
            "Preview: save to edit searchable",
            "",
            f"{f['search_after_edit_seconds']:.2f} s",
            f"{r['search_after_edit_ratio']:.3f} of plain Pelican's full build  (target ≤ 0.5)",
        ),
        ("  every edit", "", seconds(f["preview_edits"]["search_after_edit_seconds"]), ""),
        (
            "Preview: save to whole search index rebuilt",
            "",
            f"{f['index_after_edit_seconds']:.2f} s",
            f"{r['index_after_edit_ratio']:.3f} of plain Pelican's full build",
        ),
        ("  every edit", "", seconds(f["preview_edits"]["index_after_edit_seconds"]), ""),
        (
            "Search bundle",
            "",
            f"{search['bundle_bytes'] / 1e6:.2f} MB",
            f"({search['bundle_bytes_without_unused_ui'] / 1e6:.2f} MB without Pagefind's unused "
            "UI files)",
        ),
        (
            "Whole-site JSON index (lunr/tipue style)",
            f"{search['whole_site_json_bytes'] / 1e6:.2f} MB",
            "",
            f"({search['whole_site_json_gzip_bytes'] / 1e6:.2f} MB gzipped)",
        ),
    ]
    first = search["first_query"]
    if first:
        rows.append(
            (
                f'First query "{search["query"]}": bytes downloaded',
                "",
                f"{first['total_bytes'] / 1e3:.0f} kB",
                f"{r['first_query_over_whole_site_json']:.3f} of the "
                f"JSON  (target ≤ 0.05); {first['opening_search_bytes'] / 1e3:.0f} kB to open "
                "search, "
                f"{first['query_bytes'] / 1e3:.0f} kB for the query",
            )
        )
    else:
        rows.append(
            (
                "First query: bytes downloaded",
                "",
                "not measured",
                "no Chromium at /usr/bin/chromium",
            )
        )
    widths = [
        max(len(row[i]) for row in rows + [("Figure", "Plain Pelican", "Casebook", "Ratio / note")])
        for i in range(3)
    ]
    lines = [
        f"{'Figure':<{widths[0]}}  {'Plain Pelican':>{widths[1]}}  {'Casebook':>{widths[2]}}  "
        "Ratio / note"
    ]
    lines.append("-" * (sum(widths) + 20))
    lines += [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}  {d}" for a, b, c, d in rows]
    return f"{f['entries']} entries, {f['comments']} comments\n" + "\n".join(lines)
