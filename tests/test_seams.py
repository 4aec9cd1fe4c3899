"""The parts of Pelican that Casebook relies on beyond its public API (see
plugins/casebook/seams.py).

Each test names the seam and what to look at when it fails: a newer Pelican
changed something our plugin depends on, and the plugin must change with it.
"""

from __future__ import annotations

import inspect

from casebook.content.headers import source_text
from pelican.cache import FileDataCacher
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open
from pelican.writers import Writer

CHANGED = (
    "Pelican changed {what}, which plugins/casebook/{module} relies on: "
    "adapt it to the new Pelican."
)


def test_the_content_cache_is_built_and_saved_as_seams_py_expects():
    parameters = list(inspect.signature(FileDataCacher.__init__).parameters)
    assert parameters == ["self", "settings", "cache_name", "caching_policy", "load_policy"], (
        CHANGED.format(what="FileDataCacher.__init__'s parameters", module="seams.py")
    )
    source = inspect.getsource(FileDataCacher)
    for attribute in ("_cache_path", "_cache_open", "_cache_data_policy", "_cache"):
        assert f"self.{attribute} =" in source, CHANGED.format(
            what=f"FileDataCacher.{attribute}", module="seams.py"
        )
    assert callable(FileDataCacher.save_cache), CHANGED.format(
        what="FileDataCacher.save_cache", module="seams.py"
    )


def test_the_reader_reads_a_file_as_pelican_opens_it(tmp_path):
    path = tmp_path / "entry.md"
    path.write_bytes(
        "\ufeffTitle: x\r\nDate: 2024-01-01\rAuthor: A\n\nText \u2028 and caf\u00e9\r\n".encode()
    )
    with pelican_open(str(path)) as text:
        assert source_text(path.read_bytes()) == text, CHANGED.format(
            what="how pelican_open decodes a file", module="content/headers.py (source_text)"
        )


def test_the_markdown_reader_has_the_parts_our_reader_uses():
    source = inspect.getsource(MarkdownReader)
    for part in ("self._md", "self._source_path", "def _parse_metadata"):
        assert part in source, CHANGED.format(
            what=f"MarkdownReader ({part})", module="rendering/reader.py"
        )


def test_the_writer_has_the_parts_the_page_cache_uses():
    source = inspect.getsource(Writer)
    for part in (
        "def _open_w(self, filename, encoding, override=False)",
        "self._written_files",
        "self._overridden_files",
        "def write_file(",
        "def write_feed(",
    ):
        assert part in source, CHANGED.format(
            what=f"Writer ({part})", module="page_cache/writer.py"
        )


def test_a_file_pelican_could_not_read_is_recorded_as_none():
    from pelican.generators import Generator

    source = inspect.getsource(Generator._add_failed_source_path)
    assert '"generated_content"' in source and "= None" in source, CHANGED.format(
        what="how a file that could not be read is recorded (Generator._add_failed_source_path)",
        module="build.py (refuse_unread_files)",
    )


def test_pelicans_log_handler_is_the_one_seams_py_filters():
    import logging

    from pelican import log

    assert isinstance(log.DEFAULT_LOG_HANDLER, logging.Handler), CHANGED.format(
        what="pelican.log.DEFAULT_LOG_HANDLER", module="seams.py (print_whole_lines)"
    )
    assert inspect.signature(log.init).parameters["handler"].default is log.DEFAULT_LOG_HANDLER, (
        CHANGED.format(
            what="the handler pelican.log.init installs by default",
            module="seams.py (print_whole_lines)",
        )
    )


def test_pelicans_once_per_process_memory_of_messages_is_where_seams_py_clears_it():
    from pelican.log import LimitFilter

    for part in ("_raised_messages", "_group_count"):
        assert hasattr(getattr(LimitFilter, part, None), "clear"), CHANGED.format(
            what=f"LimitFilter.{part}", module="seams.py (forget_logged_messages)"
        )
