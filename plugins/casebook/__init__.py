"""Casebook: the incident journal's Pelican plugin.

Data flows one way: content files are checked; Pelican reads the entries
(our reader finds their lessons); we attach comments and endorsements, index
the lessons, the theme renders the pages, and Pagefind indexes them for search.
register() only wires signals.

Installed (`pip install`), it is the namespace plugin pelican.plugins.casebook,
which Pelican finds with PLUGINS = ["casebook"]. Its pages need its theme:
THEME = casebook.THEME in the site's pelicanconf.py.
"""

from pathlib import Path

from pelican import signals

from . import build, page_cache, seams, staging
from .content import as_read
from .content.privacy import journal as privacy
from .indexes import feeds, search
from .rendering import ahead, compiled, membership, once, reader, theme_files

HERE = Path(__file__).resolve().parent
# Installed, the theme is beside the code; in this repository, it is theme/ (see pyproject.toml).
THEME = str(
    next(folder for folder in (HERE / "theme", HERE.parents[1] / "theme") if folder.is_dir())
)


def register():
    signals.initialized.connect(seams.make_cache_safe)
    signals.initialized.connect(seams.print_whole_lines)
    signals.initialized.connect(build.collect_less)
    signals.get_generators.connect(search.stop_indexing_in_background)  # its pages will change
    signals.get_generators.connect(staging.build_into_staging)
    signals.get_generators.connect(page_cache.forget_stale_reader_cache)
    signals.all_generators_finalized.connect(build.refuse_unread_files)
    signals.all_generators_finalized.connect(as_read.check_as_read)  # before anything is written
    signals.all_generators_finalized.connect(page_cache.prepare_page_cache)
    signals.get_writer.connect(page_cache.page_caching_writer)
    signals.readers_init.connect(reader.use_casebook_reader)
    signals.generator_init.connect(once.add_template_helpers)
    signals.generator_init.connect(compiled.reuse_compiled_templates)
    signals.generator_init.connect(theme_files.add_theme_file_helper)
    signals.article_generator_init.connect(build.check_before_reading)
    signals.article_generator_init.connect(
        privacy.warn_before_reading
    )  # every build scans what it reads
    signals.article_generator_init.connect(
        ahead.start
    )  # a second process converts entries and comments
    signals.article_generator_pretaxonomy.connect(ahead.entries_read)
    signals.article_generator_pretaxonomy.connect(build.verify_entries_read)
    signals.article_generator_pretaxonomy.connect(build.spell_tags_alike)
    signals.article_generator_finalized.connect(build.settle_addresses)  # Pelican's cache is saved
    signals.page_generator_finalized.connect(build.settle_addresses)
    signals.article_generator_finalized.connect(build.index_reading_paths)
    signals.article_generator_finalized.connect(build.attach_discussions)
    signals.article_generator_finalized.connect(build.index_lessons)
    signals.article_generator_finalized.connect(build.index_read_next)
    signals.article_generator_finalized.connect(search.prepare_index)
    signals.article_generator_finalized.connect(membership.use_listings)
    signals.content_written.connect(
        search.page_written
    )  # Pagefind starts after the last entry page
    signals.article_writer_finalized.connect(build.write_index_pages)
    signals.article_writer_finalized.connect(build.write_supervision_pages)
    signals.article_writer_finalized.connect(ahead.stop)
    signals.feed_generated.connect(feeds.complete_pelicans_feed)
    signals.finalized.connect(page_cache.save_fingerprints)
    signals.finalized.connect(search.index_site)  # waits for Pagefind, before the swap
    signals.finalized.connect(staging.swap_in_staged_output)
    signals.finalized.connect(search.index_in_background)  # the preview's, after the swap
