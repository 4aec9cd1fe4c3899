"""Casebook: the incident journal's Pelican plugin.

Data flows one way: content files are checked, Pelican reads the entries, we
attach comments and endorsements, and the theme renders the pages.
register() only wires signals.
"""

from pelican import signals

from . import build, sanitise, staging


def register():
    signals.get_generators.connect(staging.build_into_staging)
    signals.article_generator_init.connect(build.check_before_reading)
    signals.content_object_init.connect(sanitise.sanitise_content)
    signals.article_generator_finalized.connect(build.attach_discussions)
    signals.article_writer_finalized.connect(build.write_endorsed_page_and_feed)
    signals.finalized.connect(staging.swap_in_staged_output)
