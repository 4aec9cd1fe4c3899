"""`invoke import`: read an export, plan its files, write them all or none, and say what was
done."""

from __future__ import annotations

from pathlib import Path

from ...content.validation import check_content
from ...problems import display_path
from ...settings import CasebookSettings
from ..authoring import sound_roster
from .formats import read_export
from .model import Export
from .plan import Plan, author_names, plan_import, plural
from .writer import write_all


def import_journal(
    settings: CasebookSettings, source: Path, mappings: list[str], dry_run: bool = False
) -> str:
    """Import an export file; return the summary to print. ImportRefused (or RefusedError) when
    nothing was."""
    roster = sound_roster(settings)
    names = author_names(mappings, roster)
    export = read_export(source)
    plan = plan_import(export, check_content(settings), roster, settings, names, source)
    warnings = write_all(plan.files, settings, dry_run)
    return summary(source, export, plan, warnings, dry_run)


def summary(source: Path, export: Export, plan: Plan, warnings: list[str], dry_run: bool) -> str:
    kinds = [file.kind for file in plan.files]
    lines = [
        f"{display_path(source)} is {export.kind}.",
        f"{'Would import' if dry_run else 'Imported'} {plural(kinds.count('post'), 'post')}, "
        f"{plural(kinds.count('draft'), 'draft')} and {plural(kinds.count('comment'), 'comment')}.",
    ]
    if plan.existing:
        entries = plural(plan.existing["entry"], "entry", "entries")
        lines.append(
            f"Already in the journal, left as they are: {entries} and "
            f"{plural(plan.existing['comment'], 'comment')}."
        )
    if plan.skipped:
        lines.append(
            "Not imported, as they were not published there or are not journal entries: "
            + ", ".join(f"{kind} ({count})" for kind, count in sorted(plan.skipped.items()))
            + "."
        )
    if plan.titled:
        lines += [
            "These posts had no title, so their first words are their title; change it if you "
            "like:",
            *(f"  {display_path(path)}" for path in plan.titled),
        ]
    if warnings:
        lines += [
            f"The privacy scan found {plural(len(warnings), 'thing')} to look at before publishing "
            "(warnings):",
            *(f"  {warning}" for warning in warnings),
        ]
    if dry_run:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines)
