"""Casebook: the incident journal's Pelican plugin.

Data flows one way: content files are checked (validation), then Pelican reads
them into entries, and the theme renders them. register() only wires signals.
"""

from pelican import signals

from . import staging, build


def register():
    signals.get_generators.connect(staging.build_into_staging)
    signals.article_generator_init.connect(build.check_before_reading)
    signals.finalized.connect(staging.swap_in_staged_output)
