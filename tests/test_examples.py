"""Smoke tests of the example scripts in ``examples/`` (quick mode only)."""

import csv
import importlib.util
import math
import wave
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


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_synthetic_series_quick(synthetic_series, tmp_path, capsys, monkeypatch):
    # 200 series, not --quick's 600: every row still fits and scores (the
    # naive MSE on them is 0.019), in a third of the training steps
    from skseq._chapter import synthetic

    monkeypatch.setitem(synthetic.QUICK, "n_series", 200)
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


def test_quickstart_notebook_runs_in_quick_mode(monkeypatch):
    """Execute ``examples/notebooks/quickstart.ipynb`` with ``SKSEQ_QUICK=1``."""
    nbformat = pytest.importorskip("nbformat")  # in the test extra: never skipped
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("SKSEQ_QUICK", "1")
    # Under pytest, ipykernel leaves file descriptor 2 alone (it skips its fd
    # capture when PYTEST_CURRENT_TEST is set), so TensorFlow's C++ lines would
    # never reach the outputs checked below; in Jupyter they do.
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    notebook = nbformat.read(EXAMPLES / "notebooks" / "quickstart.ipynb", as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    ).execute()

    outputs = [out for cell in notebook.cells for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    text = "".join(
        out.get("text", "") for out in outputs if out.output_type == "stream"
    )
    assert "validation MSE" in text and "scikit-learn" in text
    assert any("image/png" in out.get("data", {}) for out in outputs)
    # No TensorFlow C++ start-up lines in the notebook's outputs.
    assert "cuda_platform" not in text and "oneDNN" not in text


def test_chorales_quick(tmp_path, capsys):
    chorales = load_example("chorales")
    result = chorales.main(["--quick", "--output-dir", str(tmp_path)])
    printed = capsys.readouterr().out
    assert "0.816" in printed and f"{result['test_accuracy']:.3f}" in printed
    assert 0 <= result["test_accuracy"] <= 1 and result["epochs"] == 1
    # the baseline without training, beside the model's score
    test_windows = chorales.make_windows(chorales.load_chorales()[2][:5])
    baseline = chorales.repeat_voice_accuracy(test_windows)
    assert "baseline" in printed and f"{baseline:.3f}" in printed

    # 8 seed chords and 56 generated ones, written back as piano keys.
    chords = result["chords"]
    assert chords.shape == (64, 4)
    assert set(chords.ravel()) <= {0, *range(36, 82)}
    with open(tmp_path / "generated_chorale.csv", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["note0", "note1", "note2", "note3"] and len(rows) == 65
    assert [int(v) for v in rows[1]] == chords[0].tolist()
    with wave.open(str(tmp_path / "generated_chorale.wav"), "rb") as audio:
        assert audio.getnchannels() == 1 and audio.getframerate() == 22050
        assert audio.getnframes() == 64 * int(60 / 160 * 22050)
