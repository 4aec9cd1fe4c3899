"""Casebook's settings: declared in one schema, checked before a build, named in every message."""

from __future__ import annotations

from conftest import ROOT, run_invoke, run_pelican
from pelican.plugins.casebook.settings import SCHEMA, settings_table


def build_with(project, *overrides: str):
    return run_pelican(project / "content", project / "output", project, "-e", *overrides)


def test_every_wrong_setting_is_named_at_once_and_nothing_is_built(project):
    result = build_with(
        project,
        'CASEBOOK_PUBLISH_KEEP="five"',
        "CASEBOOK_NOINDEX=1",
        'CASEBOOK_PHONE_REGION="UK"',
        'CASEBOOK_PAGEFIND_ARGUMENTS="--glob \'x"',
    )
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    for expected in (
        "pelicanconf.py: CASEBOOK_PUBLISH_KEEP must be a whole number, 1 or more; it is 'five'.",
        "pelicanconf.py: CASEBOOK_NOINDEX must be True or False; it is 1.",
        "pelicanconf.py: CASEBOOK_PHONE_REGION must be a two-letter country code",
        'pelicanconf.py: CASEBOOK_PAGEFIND_ARGUMENTS: "--glob \'x" cannot be read as options (no '
        "closing "
        "quotation).",
    ):
        assert expected in result.stderr, result.stderr
    assert not (project / "output").exists()


def test_a_misspelt_setting_is_a_warning_with_a_suggestion(project):
    result = build_with(project, 'CASEBOOK_CHANELS=["phone"]')
    assert result.returncode == 0, result.stderr
    assert any(
        line.startswith("WARNING")
        and line.endswith(
            "CASEBOOK_CHANELS is not a Casebook setting, so it does nothing. Did you mean "
            '"CASEBOOK_CHANNELS"?'
        )
        for line in result.stdout.splitlines()
    ), result.stdout


def test_publish_refuses_a_wrong_setting_before_anything_else(project):
    configure = project / "publishconf.py"
    configure.write_text(configure.read_text() + "\nCASEBOOK_PUBLISH_KEEP = 0\n")
    result = run_invoke(project, "publish", "--target", str(project / "target"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "CASEBOOK_PUBLISH_KEEP must be a whole number, 1 or more; it is 0." in result.stderr
    assert not (project / "target").exists()


def test_each_default_and_each_value_in_the_sample_settings_is_of_its_kind():
    from pelican.settings import read_settings

    for settings_file in ("pelicanconf.py", "publishconf.py"):
        settings = read_settings(str(ROOT / settings_file))
        for setting in SCHEMA:
            setting.kind.read(setting.default)  # raises ValueError if not
            setting.kind.read(settings.get(setting.name, setting.default))


def test_the_readme_table_is_made_from_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, (
        "run `invoke settings-table` to write the README's table again"
    )
    assert all(f"`{setting.name}`" in settings_table() for setting in SCHEMA)
