"""The second wall: once Pelican has read everything, and before anything is written, each entry
and guide page holds only the fields of its contract and stays at its own address."""

from __future__ import annotations

import json

from conftest import ROOT, run_pelican, snapshot
from pelican.contents import Article
from pelican.plugins.casebook.content import as_read
from pelican.readers import Readers
from pelican.settings import read_settings

REFUND = "content/entries/2022/2022-11-08-refund-by-friday.md"
PAGE = "content/pages/how-to-write-an-entry.md"


def test_the_second_wall_stops_a_field_that_reaches_pelican_some_other_way(journal):
    """A setting can give content fields too: what Pelican read is checked again before anything is
    written."""
    extra = {
        "pages/how-to-write-an-entry.md": {"save_as": "index.html"},
        "entries/2022/2022-11-08-refund-by-friday.md": {"template": "page"},
    }
    result = run_pelican(
        journal.root / "content",
        journal.output,
        journal.root,
        "-e",
        f"EXTRA_PATH_METADATA={json.dumps(extra)}",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f'{PAGE}: Pelican read a field "Save_as" in this guide page' in result.stderr
    assert (
        f'{PAGE}: This guide page would be written to "index.html" instead of its own address, '
        '"how-to-write-an-entry/index.html"'
    ) in result.stderr
    assert f'{REFUND}: Pelican read a field "Template" in this entry' in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(journal.output) == journal.good_output


def test_the_second_wall_would_stop_the_smuggled_home_page(project):
    """Had the first wall missed the line separator, the entry Pelican reads is refused all the
    same."""
    entry = project / REFUND
    entry.write_text(
        entry.read_text().replace(
            "Tags: refunds, deadlines, escalation",
            "Tags: refunds\u2028!\nSave_as: index.html\nUrl: ",
        )
    )
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(project / "content")}
    )
    article = Readers(settings).read_file(
        str(project / "content"), REFUND.removeprefix("content/"), Article
    )
    kind, fields = as_read.CONTRACTS[as_read.ArticlesGenerator]
    messages = [problem.message for problem in as_read.as_read(article, kind, fields)]
    assert any('"Save_as"' in message for message in messages)
    assert any('"Url"' in message for message in messages)
    assert any(
        'would be written to "index.html" instead of its own address, '
        '"2022/11/refund-by-friday/index.html"' in message
        for message in messages
    )
