"""The privacy scan, measured on its evaluation set (tests/privacy_eval/), meets the targets of
issue 15."""

from __future__ import annotations

import shutil

from conftest import ROOT, run_invoke
from privacy_eval.evaluate import evaluate


def test_the_scan_meets_its_targets_on_the_evaluation_set():
    figures = evaluate()
    assert (
        figures.lines["personal data"] >= 500 and figures.lines["prose"] >= 500
    )  # hundreds of lines each
    assert figures.recall() >= 0.97, figures
    assert figures.alarms_per_50("prose") <= 1, figures
    assert figures.share_flagged("reference numbers") < 0.05, figures
    for kind in ("phone number", "e-mail address", "payment card number", "IBAN"):
        assert figures.right[kind] >= 50, f"too few {kind}s to measure"


def test_invoke_privacy_eval_prints_the_figures(project):
    shutil.copytree(ROOT / "tests/privacy_eval", project / "tests/privacy_eval")
    result = run_invoke(project, "privacy-eval", "--mistakes")
    assert result.returncode == 0, result.stderr
    for line in (
        "kind",
        "phone number",
        "e-mail address",
        "payment card number",
        "IBAN",
        "Recall on all personal data:",
        "per 50 lines",
        "Order and ticket numbers",
    ):
        assert line in result.stdout
