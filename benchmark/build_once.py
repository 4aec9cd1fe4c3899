"""One measured Pelican build, in a process of its own so its peak memory is its own.

python -m benchmark.build_once '<json: {"settings_file": ..., "overrides": {...}}>'
prints a JSON line: wall time, CPU time and peak memory (this process, and its
children such as Pagefind) and the time of each stage.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time

from pelican import Pelican, signals
from pelican.settings import read_settings


def main(arguments: str) -> None:
    request = json.loads(arguments)
    logging.disable(logging.WARNING)  # warnings are the build's business, not the benchmark's
    marks = {}

    def mark(name):
        def receiver(sender, **kwargs):
            marks.setdefault(name, time.perf_counter())
        return receiver

    # Connected before Pelican registers the plugin, so these run first for each signal.
    signals.get_generators.connect(mark("start"), weak=False)
    signals.all_generators_finalized.connect(mark("read"), weak=False)
    signals.finalized.connect(mark("written"), weak=False)
    began = time.perf_counter()
    settings = read_settings(request.get("settings_file"), override=request["overrides"])
    Pelican(settings).run()
    ended = time.perf_counter()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall_seconds": ended - began,
        "stages": {
            "setup": marks["start"] - began,
            "checking and reading": marks["read"] - marks["start"],
            "writing": marks["written"] - marks["read"],
            "waiting for the search index, and swap": ended - marks["written"],
        },
        # Pagefind runs beside Pelican on another core: CPU time shows the work, wall time the wait.
        "cpu_seconds": own.ru_utime + own.ru_stime,
        "cpu_seconds_children": children.ru_utime + children.ru_stime,
        "peak_memory_mb": own.ru_maxrss / 1024,
        "peak_memory_children_mb": children.ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
