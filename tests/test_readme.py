"""The README stays true: its two commands, CI, and the task list."""

from __future__ import annotations

import re

from conftest import ROOT, run_invoke

README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_ci_runs_exactly_the_readme_test_command():
    serve, test = shell_blocks(README.split("## Two commands")[1].split("\n## ")[0])
    assert serve.endswith("invoke serve") and test.endswith("pytest")
    ci_script = (ROOT / ".ci/run").read_text()
    assert (
        ci_script.rstrip().splitlines()[-1] == test
    )  # after installing Debian packages, the README's command


def test_readme_documents_every_task(project):
    listed = set(re.findall(r"^  ([\w-]+)", run_invoke(project, "--list").stdout, re.M))
    documented = set(re.findall(r"^\| `invoke ([\w-]+)", README, re.M))
    assert documented == listed
