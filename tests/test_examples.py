"""Smoke tests of the example scripts in ``examples/`` (quick mode only)."""

import csv
import importlib.util
import math
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load_example(name):
    """Import ``examples/<name>.py`` as a module (examples/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic_series():
    return load_example("synthetic_series")


def test_synthetic_series_quick(synthetic_series, tmp_path, capsys):
    output = tmp_path / "results.csv"
    results = synthetic_series.main(["--quick", "--output", str(output)])
    printed = capsys.readouterr().out

    rows = synthetic_series.ROWS
    assert [(r["task"], r["model"], r["book"]) for r in results] == [
        row[:3] for row in rows
    ]
    for task, model, book, _ in rows:
        assert any(
            task in line and model in line and book in line
            for line in printed.splitlines()
        ), f"row {task} | {model} missing from the printed table"
    for result in results:
        assert math.isfinite(result["skseq"]) and result["skseq"] >= 0, result

    # The naive forecast learns nothing, so its MSE does not depend on training.
    naive = results[0]
    assert naive["model"].startswith("naive") and naive["task"] == "next step"
    assert 0.005 < naive["skseq"] < 0.05

    with open(output, newline="") as file:
        written = list(csv.DictReader(file))
    assert [row["model"] for row in written] == [r["model"] for r in results]
    assert all(math.isfinite(float(row["skseq"])) for row in written)
