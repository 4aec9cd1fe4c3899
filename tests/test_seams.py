"""The parts of Pelican that Casebook relies on beyond its public API (see
plugins/casebook/seams.py, whose numbers the tests give).

Each test names the seam and what to look at when it fails: a newer (or older)
Pelican changed something our plugin depends on, and the plugin must change
with it. .ci/run runs these on the oldest and the newest supported Pelican.
Runs that send Pelican's signals are made by the real `pelican` command on a
small site without Casebook, in a process of their own: this one has
Casebook's receivers connected.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import BIN, ROOT
from markdown import Markdown
from packaging.requirements import Requirement
from pelican.cache import FileDataCacher
from pelican.contents import Article
from pelican.plugins.casebook.content.headers import source_text
from pelican.plugins.casebook.seams import (
    MarkdownReaderSeam,
    TemplateStandIn,
    WriterSeam,
    forget_read_content,
    keep_addresses,
    markdown_options,
    raw_content,
    read_content_caches,
)
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from pelican.utils import SafeDatetime, pelican_open
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
            what=f"MarkdownReader ({part})", module="seams.py (seam 3)"
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
        assert part in source, CHANGED.format(what=f"Writer ({part})", module="seams.py (seam 1)")


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


def supported_pelican():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(Requirement(d) for d in dependencies if Requirement(d).name == "pelican").specifier


def test_the_pinned_and_the_running_pelican_are_in_the_supported_range():
    pinned = re.search(r"^pelican==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)[1]
    assert pinned in supported_pelican(), (
        f"requirements.txt pins Pelican {pinned}, outside the range pyproject.toml declares: "
        "widen the range once tests/test_seams.py passes on it."
    )
    assert version("pelican") in supported_pelican(), (
        f"Pelican {version('pelican')} is outside the range pyproject.toml declares."
    )


# A small site without Casebook, built by the real `pelican` command.

ARTICLES = {
    "alpha.md": "Title: Alpha\nDate: 2024-01-01\nTags: one, two\nCategory: calls\nAuthor: Ann\n\nA",
    "beta.md": "Title: Beta\nDate: 2024-01-02\nTags: two\nCategory: mail\nAuthor: Bob\n\nB",
}

# A plugin that goes through the seams, and writes what it saw to probe.json.
PROBE = """
import json, os
from pelican import signals
from pelican.plugins.casebook.seams import build_into, markdown_reader, read_before
from pelican.plugins.casebook.seams import replace_listings

seen = {"finalized": [], "membership": 0}


class Counted(tuple):
    def __contains__(self, entry):
        seen["membership"] += 1
        return tuple.__contains__(self, entry)


def before_reading(generator):
    seen["read before"] = read_before(generator, os.path.join(generator.path, "alpha.md"))


def into_probe_folder(pelican):
    build_into(pelican, pelican.settings["PROBE_FOLDER"])


def listings(generator):
    seen["shapes"] = [
        type(generator.tags).__name__,
        sorted((str(tag), len(entries)) for tag, entries in generator.tags.items()),
        [(str(name), len(entries)) for name, entries in generator.categories],
        [(str(name), len(entries)) for name, entries in generator.authors],
    ]
    seen["reader"] = type(markdown_reader(generator)).__name__
    replace_listings(generator, Counted)


def receiver(name):
    def receive(pelican):
        written = os.path.isfile(os.path.join(pelican.output_path, "index.html"))
        seen["finalized"].append([name, written])
        if name == "third":
            with open(pelican.settings["PROBE_FILE"], "w") as file:
                json.dump(seen, file)
    return receive


RECEIVERS = [receiver(name) for name in ("first", "second", "third")]


def register():
    signals.get_generators.connect(into_probe_folder)
    signals.article_generator_init.connect(before_reading)
    signals.article_generator_finalized.connect(listings)
    for receive in RECEIVERS:
        signals.finalized.connect(receive)
"""


def plain_pelican(root: Path, plugins=(), **settings) -> dict:
    """Build the small site with `pelican`; its settings as Pelican reads them."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (content / name).write_text(text, encoding="utf-8")
    conf = {
        "SITENAME": "Seams",
        "TIMEZONE": "UTC",
        "PATH": str(content),
        "OUTPUT_PATH": str(root / "output"),
        "CACHE_PATH": str(root / "cache"),
        "PLUGIN_PATHS": [str(root / "plugins")],
        "PLUGINS": list(plugins),
        "FEED_ALL_ATOM": None,
        **settings,
    }
    (root / "pelicanconf.py").write_text(
        "".join(f"{name} = {value!r}\n" for name, value in conf.items()), encoding="utf-8"
    )
    run = subprocess.run(
        [BIN / "pelican", "-s", str(root / "pelicanconf.py")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return read_settings(str(root / "pelicanconf.py"))


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> tuple[Path, dict]:
    """The small site built twice with the probe plugin and the content cache: its folder, and
    what the probe saw in each build."""
    root = tmp_path_factory.mktemp("probed")
    (root / "plugins").mkdir()
    (root / "plugins" / "probe.py").write_text(PROBE, encoding="utf-8")
    builds = []
    for _ in range(2):
        plain_pelican(
            root,
            plugins=["probe"],
            PROBE_FOLDER=str(root / "staged"),
            PROBE_FILE=str(root / "probe.json"),
            CACHE_CONTENT=True,
            LOAD_CONTENT_CACHE=True,
            CHECK_MODIFIED_METHOD="md5",  # the files are written again, the same
        )
        builds.append(json.loads((root / "probe.json").read_text(encoding="utf-8")))
    first, second = builds
    return root, {**second, "read before": [first["read before"], second["read before"]]}


def test_1_the_writer_keeps_its_record_of_written_files_where_writer_seam_does(tmp_path):
    class PageCacheLike(WriterSeam):
        drawn = {str(tmp_path / "kept.html")}  # by the page cache, once

        def already_on_disk(self, path):
            if path in self.drawn:
                self.drawn.discard(path)
                return True
            return False

    writer = PageCacheLike(str(tmp_path), settings=read_settings(override={}))
    (tmp_path / "kept.html").write_text("drawn by the page cache", encoding="utf-8")
    writer.write_file("kept.html", TemplateStandIn(lambda context: "from Pelican"), {})
    message = CHANGED.format(what="Writer._open_w and its bookkeeping", module="seams.py (seam 1)")
    assert (tmp_path / "kept.html").read_text(encoding="utf-8") == "drawn by the page cache", (
        message
    )
    assert writer.was_written(str(tmp_path / "kept.html")), message
    # Pelican's own check of files written twice sees the page as written.
    with pytest.raises(RuntimeError):
        writer.write_file("kept.html", TemplateStandIn(lambda context: "again"), {})
    writer.record_written(str(tmp_path / "feed.xml"), override=True)
    with pytest.raises(RuntimeError):
        writer.write_file(
            "feed.xml", TemplateStandIn(lambda context: "again"), {}, override_output=True
        )


def test_2_write_file_asks_a_template_only_to_render(tmp_path):
    writer = Writer(str(tmp_path), settings=read_settings(override={}))
    seen = []

    def render(context):
        seen.append(context["output_file"])
        return "<p>drawn</p>"

    writer.write_file("page/index.html", TemplateStandIn(render), {"SITEURL": ""})
    assert (tmp_path / "page/index.html").read_text(encoding="utf-8") == "<p>drawn</p>", (
        CHANGED.format(what="what Writer.write_file asks of a template", module="seams.py (seam 2)")
    )
    assert seen == ["page/index.html"], CHANGED.format(
        what="the context Writer.write_file gives a template (output_file)",
        module="page_cache/inputs.py and writer.py",
    )


def test_3_one_markdown_reads_file_after_file_with_pelicans_metadata_parsing():
    settings = read_settings(override={})
    reader = MarkdownReaderSeam(settings)
    markdown = Markdown(**markdown_options(settings))
    steps = [type(step).__name__ for step in markdown.preprocessors]
    reader.use_markdown(markdown)
    message = CHANGED.format(
        what="MarkdownReader._parse_metadata (or how it uses _md and the meta step)",
        module="seams.py (seam 3)",
    )
    for number in (1, 2):
        markdown.reset()
        reader.restore_meta_step()
        assert [type(step).__name__ for step in markdown.preprocessors] == steps, message
        markdown.convert(f"Title: Entry {number}\nSummary: the *first* words\n\nText")
        metadata = reader.parse_metadata(markdown.Meta, f"entry-{number}.md")
        assert metadata["title"] == f"Entry {number}", message
        assert metadata["summary"] == "<p>the <em>first</em> words</p>", message


def test_4_markdown_options_are_those_pelicans_reader_completes():
    settings = read_settings(
        override={"MARKDOWN": {"extension_configs": {"markdown.extensions.toc": {}}}}
    )
    ours = markdown_options(settings)
    assert "extensions" not in settings["MARKDOWN"]  # the settings are left as they were
    MarkdownReader(settings)  # completes settings["MARKDOWN"] in place
    assert ours == settings["MARKDOWN"], CHANGED.format(
        what="how MarkdownReader completes the MARKDOWN setting", module="seams.py (seam 4)"
    )


def test_5_raw_content_is_the_text_before_pelican_replaces_links():
    settings = read_settings(override={})
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": ""}
    other = Article("B", {"title": "Other"}, settings, "other.md", context)
    context["generated_content"]["other.md"] = other
    link = '<a href="{filename}/other.md">other</a>'
    entry = Article(link, {"title": "Entry"}, settings, "entry.md", context)
    message = CHANGED.format(what="Content._content", module="seams.py (seam 5)")
    assert raw_content(entry) == link, message
    assert "{filename}" not in entry.content and other.url in entry.content, message


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_6_pelicans_cache_of_what_was_read_is_where_forget_read_content_looks(tmp_path, layer):
    settings = plain_pelican(
        tmp_path, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CONTENT_CACHING_LAYER=layer
    )
    written = sorted(path.name for path in (tmp_path / "cache").iterdir())
    known = [path.name for path in read_content_caches(settings)]
    assert written and set(written) <= set(known), CHANGED.format(
        what=f"the names of its content cache files ({written}, {layer} layer)",
        module="seams.py (seam 6)",
    )
    forget_read_content(settings)
    assert not any((tmp_path / "cache").iterdir())


def test_7_a_run_writes_where_get_generators_points_it(probed):
    root, _ = probed
    assert (root / "staged" / "index.html").is_file(), CHANGED.format(
        what="when the generators and writer take pelican.output_path",
        module="seams.py (seam 7)",
    )
    assert not (root / "output").exists()


def test_8_listings_are_shaped_as_replace_listings_expects(probed):
    root, seen = probed
    message = CHANGED.format(
        what="ArticlesGenerator's tags, categories and authors", module="seams.py (seam 8)"
    )
    assert seen["shapes"] == [
        "defaultdict",
        [["one", 1], ["two", 2]],
        [["calls", 1], ["mail", 1]],
        [["Ann", 1], ["Bob", 1]],
    ], message
    assert seen["membership"] > 0, message  # Pelican asks the listing, not a list of its own
    one = (root / "staged" / "tag" / "one.html").read_text(encoding="utf-8")
    assert "Alpha" in one and "Beta" not in one, message


def test_9_finalized_comes_after_the_pages_and_calls_receivers_in_order(probed):
    _, seen = probed
    assert seen["finalized"] == [["first", True], ["second", True], ["third", True]], (
        CHANGED.format(
            what="when `finalized` is sent, or the order of its receivers",
            module="__init__.py (seam 9)",
        )
    )


def test_10_a_generator_has_its_markdown_reader_where_markdown_reader_looks(probed):
    _, seen = probed
    assert seen["reader"] == "MarkdownReader", CHANGED.format(
        what="Generator.readers.readers", module="seams.py (seam 10)"
    )
    assert seen["read before"] == [False, True], CHANGED.format(
        what="how Readers answers get_cached_data for a file read by an earlier build",
        module="seams.py (seam 10, read_before)",
    )


def test_14_a_kept_address_is_the_one_pelican_answers_without_working_it_out_again():
    settings = read_settings(override={})
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": ""}
    metadata = {"title": "Entry", "date": SafeDatetime(2024, 3, 1), "slug": "entry"}
    entry = Article("", metadata, settings, "entry.md", context)
    address = (entry.url, entry.save_as)
    keep_addresses([entry])
    entry.settings = {**settings, "ARTICLE_URL": "moved/", "ARTICLE_SAVE_AS": "moved.html"}
    message = CHANGED.format(what="Content.get_url_setting", module="seams.py (seam 14)")
    assert (entry.url, entry.save_as) == address, message
    del entry.override_url, entry.override_save_as  # what keep_addresses set, and nothing else
    assert (entry.url, entry.save_as) == ("moved/", "moved.html"), message


# Pelican's private names the seams above wrap; no other module of the plugin may use them.
PRIVATE = re.compile(
    r"(?<!self)\.(_content|_md|_source_path|_parse_metadata|_open_w|_written_files"
    r"|_overridden_files|_cache_path|_cache_open|_cache_data_policy)\b"
)


def test_only_seams_py_reaches_into_pelican():
    plugin = ROOT / "plugins/casebook"
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(plugin.rglob("*.py"))
        if path.name != "seams.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE.search(line)
    ]
    assert not found, (
        "Pelican's internals outside seams.py: use or add a seam there:\n" + "\n".join(found)
    )
