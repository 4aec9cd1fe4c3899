"""Entries and comments converted ahead in a second process make exactly the site this process
alone makes."""

from __future__ import annotations

import logging
import re
import sys

from conftest import build, site_files

from benchmark.generate import generate


def test_converting_ahead_changes_nothing_but_who_converts(tmp_path, caplog, monkeypatch):
    content = generate(tmp_path / "journal", 150)
    with caplog.at_level(logging.INFO, logger="pelican.plugins.casebook"):
        build(content, tmp_path / "ahead")
    shared = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith("Converted in a second process")
    ]
    assert shared, "no second process"
    entries, comments = map(
        int, re.search(r": (\d+) of 150 entries, (\d+) of \d+ comments", shared[0]).groups()
    )
    assert entries > 0 and comments > 0, shared  # the worker did part of both
    monkeypatch.setattr(sys.modules["pelican.plugins.casebook.rendering.ahead"], "AT_LEAST", 10**9)
    build(content, tmp_path / "alone")
    assert site_files(tmp_path / "ahead") == site_files(tmp_path / "alone")
