"""The ``skseq`` command line: parsing, a small reproduction, show-versions."""

import csv
import os
import subprocess
import sys

import pytest

from skseq import _cli
from skseq._chapter import chorales, ridership, synthetic


def test_parser_reads_reproduce_options():
    args = _cli.build_parser().parse_args(
        ["reproduce", "--quick", "--only", "synthetic", "--output", "out"]
    )
    assert args.command == "reproduce" and args.quick
    assert args.only == ["synthetic"] and args.output == "out"
    assert args.epochs is None and not args.no_figures

    args = _cli.build_parser().parse_args(["reproduce"])
    assert args.only is None and args.output == _cli.DEFAULT_OUTPUT


@pytest.mark.parametrize(
    "argv",
    [[], ["reproduce", "--only", "chorals-typo"], ["frobnicate"]],
)
def test_parser_rejects_bad_arguments(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        _cli.main(argv)
    assert exit_info.value.code == 2
    assert "usage: skseq" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        ([], "choose a COMMAND: reproduce or show-versions"),
    ],
)
def test_a_bad_option_before_the_command_is_named(argv, message, capsys):
    # "skseq --bogus" answered "the following arguments are required: COMMAND"
    with pytest.raises(SystemExit) as exit_info:
        _cli.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_epochs_must_be_positive(capsys):
    assert _cli.main(["reproduce", "--epochs", "0"]) == 2
    assert "--epochs" in capsys.readouterr().err


def test_reproduce_quick_synthetic_writes_table_and_figures(
    tmp_path, capsys, monkeypatch
):
    # Three rows of the table (naive, linear, recursive deep RNN) keep the run
    # short; the whole table runs in tests/test_examples.py.
    names = ("naive (last value)", "linear", "recursive one-step deep RNN")
    monkeypatch.setattr(synthetic, "ROWS", [r for r in synthetic.ROWS if r[1] in names])
    assert (
        _cli.main(
            ["reproduce", "--quick", "--only", "synthetic", "--output", str(tmp_path)]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "book" in printed and "naive (last value)" in printed
    assert "0.020" in printed  # the book's figure beside ours
    # a line per model as it finishes, before the table
    done = [line for line in printed.splitlines() if line.startswith("  done: ")]
    assert len(done) == 3 and "validation MSE" in done[0], done
    assert printed.index("  done: ") < printed.index("book")
    assert "1 seed(s)" in printed and "? (1 seed)" in printed  # --quick: one seed

    with open(tmp_path / "synthetic.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["model"] for row in rows] == [row[1] for row in synthetic.ROWS]
    assert (tmp_path / "synthetic.txt").read_text().startswith("Synthetic series")
    for name in ("synthetic_mse", "synthetic_forecast", "synthetic_learning_curves"):
        path = tmp_path / f"{name}.png"
        assert path.stat().st_size > 1000, name


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_reproduce_quick_ridership_one_row(tmp_path, capsys, monkeypatch):
    # The 14-day sequence-to-sequence row draws every ridership figure.
    row = next(r for r in ridership.ROWS if "seq-to-seq, last step" in r[0])
    monkeypatch.setattr(ridership, "ROWS", [row])
    assert (
        _cli.main(
            [
                "reproduce",
                "--only",
                "ridership",
                "--epochs",
                "1",
                "--output",
                str(tmp_path),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "42,143" in printed and "+14: 34,322" in printed
    for name in ("ridership_mae", "ridership_horizon_errors", "ridership_forecast"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000, name


def test_reproduce_quick_chorales_composes_a_chorale(tmp_path, capsys, monkeypatch):
    train, valid, test = chorales.load_chorales()
    monkeypatch.setattr(
        chorales, "load_chorales", lambda: (train[:4], valid[:2], test[:3])
    )
    argv = ["reproduce", "--quick", "--only", "chorales", "--output", str(tmp_path)]
    assert _cli.main(argv) == 0
    printed = capsys.readouterr().out
    assert "0.816" in printed and "test" in printed
    assert "done: NextStepClassifier (chorales): test accuracy" in printed
    with open(tmp_path / "generated_chorale.csv") as file:
        chords = list(csv.reader(file))
    assert chords[0] == ["note0", "note1", "note2", "note3"]
    assert len(chords) == 1 + 8 + 56  # header, seed chords, composed chords
    # the seed is the first 8 chords of test chorale 2, unchanged
    assert [list(map(int, row)) for row in chords[1:9]] == test[2][:8].tolist()
    assert all(
        int(key) == 0 or 36 <= int(key) <= 81 for row in chords[1:] for key in row
    )
    assert (tmp_path / "generated_chorale.wav").stat().st_size > 44
    assert (tmp_path / "generated_chorale.png").stat().st_size > 1000
    assert (tmp_path / "chorales_accuracy.png").stat().st_size > 1000
    assert "1 seed(s)" in printed and "? (1 seed)" in printed


def test_reproduce_without_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(synthetic, "ROWS", synthetic.ROWS[:1])
    _cli.main(
        [
            "reproduce",
            "--quick",
            "--only",
            "synthetic",
            "--no-figures",
            "--output",
            str(tmp_path),
        ]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "synthetic.csv",
        "synthetic.txt",
    ]


def test_reproduce_removes_the_figures_of_an_earlier_run(tmp_path, monkeypatch):
    # A run with figures, then one with --no-figures, left the first run's
    # PNGs (and its generated chorale) beside the new CSV, showing old numbers.
    monkeypatch.setattr(synthetic, "ROWS", synthetic.ROWS[:1])
    for name in synthetic.FIGURE_FILES:
        (tmp_path / name).write_text("an earlier run's figure")
    (tmp_path / "mine.png").write_text("not skseq's")
    argv = ["reproduce", "--quick", "--only", "synthetic", "--no-figures"]
    assert _cli.main([*argv, "--output", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mine.png",
        "synthetic.csv",
        "synthetic.txt",
    ]


@pytest.mark.parametrize("table", [synthetic, ridership, chorales])
def test_figure_files_name_every_file_a_table_saves(table):
    # the file names written in save_figures' code are all removed before a run
    import inspect
    import re

    code = inspect.getsource(table.save_figures)
    written = set(re.findall(r'"(\w+\.(?:png|csv|wav))"', code))
    assert written and written <= set(table.FIGURE_FILES)


def test_show_versions_command(capsys):
    assert _cli.main(["show-versions"]) == 0
    printed = capsys.readouterr().out
    for key in ("python", "skseq", "numpy", "scikit-learn", "keras", "backend"):
        assert key in printed
    assert "accelerators" in printed


def test_show_versions_lists_backend():
    from skseq.utils._show_versions import get_versions

    versions = get_versions()
    assert versions["Python dependencies"]["skseq"]
    backend = versions["Keras backend"]
    assert backend["backend"] in ("tensorflow", "jax", "torch")
    assert backend["backend version"]


def test_console_script_is_installed():
    # `pip install -e .` installs the `skseq` script; run it as a subprocess.
    script = os.path.join(os.path.dirname(sys.executable), "skseq")
    command = (
        [script] if os.path.exists(script) else [sys.executable, "-m", "skseq._cli"]
    )
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("skseq ")


def test_python_dash_m_skseq_runs_the_command():
    # where the scripts folder is not on PATH, `python -m skseq` is the command
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": root}
    result = subprocess.run(
        [sys.executable, "-m", "skseq", "--version"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("skseq ")


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_ridership_baselines_match_the_book():
    # Both baselines are deterministic: the seasonal naive forecast and SARIMA
    # refitted every day of Mar-May 2019, as in the chapter.
    from skseq.datasets import load_ridership

    (_, _, naive), (_, _, sarima) = ridership.naive_and_sarima(load_ridership())
    assert round(naive) == 42_143
    assert abs(sarima - 32_041) < 0.01 * 32_041


@pytest.mark.parametrize("quick", [True, False])
def test_chorales_model_trains_as_the_book_not_with_the_new_defaults(quick):
    """The classifiers' plateau schedule and best-weight restoring are defaults
    since the strong-defaults issue; the book's configuration turns them off."""
    params = chorales.make_model(quick, epochs=20).get_params()
    assert params["reduce_lr_patience"] is None
    assert params["restore_best_weights"] is False


def fake_table(name, calls):
    """A table module whose run is instant (or interrupted, like Ctrl-C)."""

    class Table:
        NOTES = ()
        FIGURE_FILES = ()

        @staticmethod
        def run(quick, epochs, fitted):
            calls.append(name)
            if name == "interrupted":
                raise KeyboardInterrupt
            return [{"model": name, "mse": 1.0}], {}

        describe = staticmethod(lambda settings: f"Table {name}")
        format_table = staticmethod(lambda results: "model mse")
        save_figures = staticmethod(lambda results, fitted, folder: [])

    return Table


@pytest.fixture
def fake_tables(monkeypatch):
    from skseq import _chapter

    calls = []
    tables = {name: fake_table(name, calls) for name in ("first", "interrupted")}
    monkeypatch.setattr(_chapter, "TABLES", tables)
    return calls


def reproduce(folder, *names):
    only = [arg for name in names for arg in ("--only", name)]
    return _cli.main(["reproduce", *only, "--no-figures", "--output", str(folder)])


def test_ctrl_c_keeps_finished_tables_and_exits_130(tmp_path, capsys, fake_tables):
    assert reproduce(tmp_path, "first", "interrupted") == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"skseq: interrupted; finished tables kept in {tmp_path} (first)"
    ]
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.csv", "first.txt"]


def test_ctrl_c_before_any_table_finished(tmp_path, capsys, fake_tables):
    assert reproduce(tmp_path, "interrupted") == 130
    assert capsys.readouterr().err.strip() == (
        "skseq: interrupted before any table finished"
    )


@pytest.mark.parametrize("below", ["file", "file/sub"])
def test_output_under_a_regular_file_fails_before_training(
    tmp_path, capsys, fake_tables, below
):
    # Fails as root too (unlike a read-only folder): nothing can be created
    # under a regular file.
    (tmp_path / "file").write_text("not a folder")
    folder = tmp_path / below
    assert reproduce(folder, "first") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"skseq: error: --output {folder}: cannot write there (")
    assert len(err.strip().splitlines()) == 1
    assert fake_tables == []  # checked before any training


def test_output_folder_check_creates_and_probes(tmp_path, monkeypatch):
    folder = tmp_path / "new" / "results"
    assert _cli.check_output_folder(folder) is None
    assert folder.is_dir() and list(folder.iterdir()) == []  # probe removed

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_cli.tempfile, "TemporaryFile", read_only)
    message = _cli.check_output_folder(folder)
    assert message == f"--output {folder}: cannot write there (Permission denied)"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root writes into read-only folders; the check is tested above with a "
    "regular file and a refused probe",
)
def test_read_only_output_folder_fails_before_training(tmp_path, fake_tables):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert reproduce(folder, "first") == 2
    finally:
        folder.chmod(0o700)
    assert fake_tables == []


def test_only_the_command_filters_tensorflows_log(monkeypatch, capsys):
    # `skseq ...` (argv from sys.argv) drops TensorFlow's C++ lines from stderr;
    # main([...]) from a script or a test leaves stderr alone.
    from skseq.utils import _native_log

    calls = []
    monkeypatch.setattr(_native_log, "filter_tensorflow_log", lambda: calls.append(1))
    monkeypatch.setattr(sys, "argv", ["skseq", "show-versions"])
    assert _cli.main(["show-versions"]) == 0 and calls == []
    assert _cli.main() == 0 and calls == [1]
    assert "skseq" in capsys.readouterr().out


def test_figures_saved_in_a_quick_run_say_so(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skseq._chapter._common import figure_note, save_figure

    quick, full = plt.subplots()[0], plt.subplots()[0]
    with figure_note("--quick: a smoke test"):
        save_figure(quick, tmp_path, "quick.png")
    save_figure(full, tmp_path, "full.png")
    assert [text.get_text() for text in quick.texts] == ["--quick: a smoke test"]
    assert full.texts == []


def test_the_quick_note_sits_under_the_x_axis_label(tmp_path):
    # the note once overlapped the x axis label (and a date axis' offset)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skseq._chapter._common import figure_note, save_figure

    fig, ax = plt.subplots(figsize=(7, 2.5), layout="constrained")
    ax.set_xlabel("next-note accuracy")
    with figure_note("--quick: a smoke test, not the book's settings"):
        save_figure(fig, tmp_path, "quick.png")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # the layout as saved (save_figure closed it)
    note = fig.texts[0].get_window_extent()
    label = ax.xaxis.label.get_window_extent()
    assert note.y1 <= label.y0


def test_book_vs_skseq_bars_start_at_zero_and_the_legend_is_off_them():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skseq._chapter._common import plot_book_vs_skseq

    results = [
        {"skseq": 0.8, "std": 0.01, "scores": "0.79 0.81", "book": "0.82"},
        {"skseq": 0.85, "std": float("nan"), "scores": "0.85", "book": "-"},
    ]
    fig, ax = plt.subplots(layout="constrained")
    plot_book_vs_skseq(ax, ["test", "valid"], results)
    fig.canvas.draw()
    assert [bar.get_x() for bar in ax.containers[0]] == [0.0, 0.0]
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1
    plt.close(fig)


def test_a_diverged_network_stops_reproduce_with_one_message(
    tmp_path, monkeypatch, capsys
):
    # A seed whose training diverged ended `skseq reproduce` with a Python
    # traceback whose advice (lower the learning rate) the command cannot take.
    def diverge(name, **kwargs):
        if name == "ridership":
            raise FloatingPointError("Training diverged: the loss became nan")
        return []

    monkeypatch.setattr(_cli, "reproduce_table", diverge)
    argv = ["reproduce", "--only", "synthetic", "--only", "ridership"]
    assert _cli.main([*argv, "--output", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "skseq: error: the ridership table stopped: Training diverged" in err
    assert "finished tables kept" in err and "(synthetic)" in err
    assert "Traceback" not in err
