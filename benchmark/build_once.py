"""One measured Pelican build, in a process of its own so its peak memory is its own.

python -m benchmark.build_once '<json: {"settings_file": ..., "overrides": {...}}>'
prints a JSON line: wall time, CPU time and peak memory (this process, and its
children such as Pagefind), the time of each stage, and the time spent in the
functions named in "timed" (e.g. "pelican.plugins.casebook.build:write_insights").
"""

from __future__ import annotations

import importlib
import json
import logging
import resource
import sys
import time

from pelican import Pelican, signals
from pelican.settings import read_settings


def timed(names: list[str]) -> dict[str, dict[str, float]]:
    """Wrap these functions ("module:name") to add up the time spent in each, wall and CPU (this
    thread's:
    what the machine's other work does not inflate); before Pelican loads the plugin, so that the
    signals
    it connects lead to the wrappers."""
    spent = {name: {"wall_seconds": 0.0, "cpu_seconds": 0.0} for name in names}
    for name in names:
        module_name, function_name = name.split(":")
        module = importlib.import_module(module_name)

        def wrapper(
            *args, __function=getattr(module, function_name), __spent=spent[name], **kwargs
        ):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return __function(*args, **kwargs)
            finally:
                __spent["wall_seconds"] += time.perf_counter() - wall
                __spent["cpu_seconds"] += time.thread_time() - cpu

        setattr(module, function_name, wrapper)
    return spent


def main(arguments: str) -> None:
    request = json.loads(arguments)
    logging.disable(logging.WARNING)  # warnings are the build's business, not the benchmark's
    spent = timed(request.get("timed", []))
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
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    print(
        json.dumps(
            {
                "wall_seconds": ended - began,
                "stages": {
                    "setup": marks["start"] - began,
                    "checking and reading": marks["read"] - marks["start"],
                    "writing": marks["written"] - marks["read"],
                    "waiting for the search index, and swap": ended - marks["written"],
                },
                # Pagefind runs beside Pelican on another core: CPU time shows the work, wall time
                # the wait.
                "cpu_seconds": own.ru_utime + own.ru_stime,
                "cpu_seconds_children": children.ru_utime + children.ru_stime,
                "peak_memory_mb": own.ru_maxrss / 1024,
                "peak_memory_children_mb": children.ru_maxrss / 1024,
                "timed_seconds": spent,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
