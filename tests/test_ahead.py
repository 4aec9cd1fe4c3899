"""Entries converted ahead in a second process make exactly the site this process alone makes."""

from __future__ import annotations

import logging
import sys

from conftest import ROOT, build, snapshot

sys.path.insert(0, str(ROOT))
from benchmark.generate import generate  # noqa: E402


def site_files(folder):
    return {name: data for name, data in snapshot(folder).items()
            if not name.startswith("pagefind/") and name != ".casebook-pages.json"}


def test_converting_ahead_changes_nothing_but_who_converts(tmp_path, caplog, monkeypatch):
    content = generate(tmp_path / "journal", 150)
    with caplog.at_level(logging.INFO, logger="casebook"):
        build(content, tmp_path / "ahead")
    shared = [r.getMessage() for r in caplog.records if "converted in a second process" in r.getMessage()]
    assert shared and not shared[0].startswith("0 of"), shared  # the worker did part of the work
    monkeypatch.setattr(sys.modules["casebook.rendering.ahead"], "AT_LEAST", 10**9)
    build(content, tmp_path / "alone")
    assert site_files(tmp_path / "ahead") == site_files(tmp_path / "alone")
