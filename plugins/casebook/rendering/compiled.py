"""The theme's templates compiled once per process, not once per build.

Pelican makes new template environments for every build, and `invoke
livereload` builds again and again in one process: compiling the theme's
templates each time was a fixed part of every save's wait (0.2 s of a
rebuild). Jinja keys the compiled code by the template's name and file and
checks it against the digest of the template's source, so a template edited
between builds is compiled again.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledInMemory(BytecodeCache):
    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])  # ignored if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledInMemory()


def reuse_compiled_templates(generator) -> None:
    """Connected to `generator_init`: every generator has its own template environment."""
    generator.env.bytecode_cache = COMPILED
