"""The test command of `invoke mutation`: pytest on one test file, against the mutated copy.

Run from the copy's folder (.mutation/<module>/). The plugin is installed editable, so its
name, pelican.plugins.casebook, leads to the checkout's own plugins/casebook/; here that name
is bound to the copy's folder first, so the tests see the mutant. mutmut counts only exit
status 1 as a kill: a mutant that stops the tests from being collected (status 2) fails them too.
"""

import importlib.util
import sys
from pathlib import Path

import pelican.plugins  # noqa: F401  (the namespace the plugin goes into)
import pytest

NAME = "pelican.plugins.casebook"
folder = Path("plugins/casebook").resolve()
spec = importlib.util.spec_from_file_location(
    NAME, folder / "__init__.py", submodule_search_locations=[str(folder)]
)
plugin = importlib.util.module_from_spec(spec)
sys.modules[NAME] = plugin
spec.loader.exec_module(plugin)
sys.exit(min(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "--noconftest", *sys.argv[1:]]), 1))
