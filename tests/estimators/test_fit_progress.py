"""The progress line of a fit: what it says, when it shows, where it stays quiet."""

import contextlib
import io
import subprocess
import sys

import joblib
import numpy as np
import pytest

from skseq import GRUForecaster, make_windows
from skseq.datasets import make_sine_series
from skseq.estimators import _fit_progress
from skseq.estimators._fit_progress import FitProgress, in_parallel_worker


@pytest.fixture(scope="module")
def windows():
    return make_windows(make_sine_series(1, 80, random_state=0)[0], window=8)


def _gru(**params):
    settings = {"epochs": 3, "batch_size": 32, "random_state": 0}
    return GRUForecaster(2, **{**settings, **params})


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _fit_output(X, y, **params):
    """What a fit writes to ``sys.stdout``, a terminal."""
    return _fit_model_and_output(X, y, **params)[1]


def _fit_model_and_output(X, y, **params):
    """The fitted model and what its fit wrote to ``sys.stdout``, a terminal."""
    with contextlib.redirect_stdout(_Terminal()) as out:
        model = _gru(**params).fit(X, y)
    return model, out.getvalue()


def _drive(progress, epochs, seconds_per_epoch, logs):
    """Run ``progress`` through a fit of ``len(logs)`` epochs on a fake clock."""
    times = iter(range(0, 1000, seconds_per_epoch))
    progress.clock = lambda: next(times)
    progress.set_params({"epochs": epochs})
    progress.on_train_begin()
    for epoch, epoch_logs in enumerate(logs):
        progress.on_epoch_end(epoch, epoch_logs)
    progress.on_train_end()


def test_fit_prints_epochs_losses_and_time_left(windows):
    model, out = _fit_model_and_output(  # a seed that improves after epoch 1
        *windows,
        verbose=1,
        early_stopping=True,
        patience=5,
        learning_rate=0.03,
        random_state=2,
    )
    lines = out.split("\r")[1:]
    assert lines[0].startswith("GRUForecaster  epoch 1/3  loss ")
    assert "val_loss " in lines[0]
    assert lines[-1].startswith("GRUForecaster: fitted in ")
    # The best epoch differs between backends.
    best = np.argmin(model.history_["val_loss"]) + 1
    assert "3 epochs" in lines[-1] and f"kept epoch {best} (val_loss " in lines[-1]
    assert out.endswith("\n") and out.count("\n") == 1


def test_time_left_from_the_epochs_after_the_first():
    out = _Terminal()
    progress = FitProgress("Model", stream=out)
    logs = [{"loss": 1.0}, {"loss": 0.5}, {"loss": 0.25}]
    _drive(progress, 10, 3, logs)
    # fake clock: start 0, epochs end at 3, 6, 9
    assert [line.rstrip() for line in out.getvalue().split("\r")[1:]] == [
        "Model  epoch 1/10  loss 1  3.0 s",
        "Model  epoch 2/10  loss 0.5  6.0 s, about 24 s left",
        "Model  epoch 3/10  loss 0.25  9.0 s, about 21 s left",
        "Model: fitted in 9.0 s, 3 of 10 epochs, loss 0.25",
    ]


def test_log_file_gets_whole_lines():
    out = io.StringIO()
    _drive(FitProgress("M", stream=out), 30, 2, [{"loss": 1.0}] * 30)
    # a line every 30 s, and the last one
    assert [line.split("  ")[1] for line in out.getvalue().splitlines()[:-1]] == [
        "epoch 15/30",
        "epoch 30/30",
    ]
    last = out.getvalue().splitlines()[-1]
    assert last == "M: fitted in 1 min 00 s, 30 epochs, loss 1"


def test_terminal_line_is_rewritten_in_place():
    out = _Terminal()
    progress = FitProgress("Model", stream=out, early_stopping=True, kept="val_loss")
    logs = [{"loss": 1.0, "val_loss": v} for v in (2.0, 1.0, 1.5)]
    _drive(progress, 3, 1, logs)
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") == 4  # three epochs, then the last line
    redraws = text.split("\r")[1:]
    assert redraws[1].startswith("Model  epoch 2/3  loss 1  val_loss 1  2.0 s, ")
    assert "at most 1.0 s left" in redraws[1]
    assert redraws[-1].startswith(
        "Model: fitted in 3.0 s, 3 epochs, kept epoch 2 (val_loss 1)"
    )
    # the last line covers the longer line it replaces
    assert len(redraws[-1].rstrip("\n")) >= len(redraws[-2])


def test_auto_stays_silent_for_a_quick_fit_and_shows_a_slow_one():
    quick, slow, log = _Terminal(), _Terminal(), io.StringIO()
    _drive(FitProgress("M", after=5, stream=quick), 2, 2, [{"loss": 1}] * 2)
    _drive(FitProgress("M", after=5, stream=slow), 4, 2, [{"loss": 1}] * 4)
    _drive(FitProgress("M", after=5, stream=log), 4, 2, [{"loss": 1}] * 4)
    assert quick.getvalue() == ""
    redraws = slow.getvalue().split("\r")[1:]
    assert [line.rstrip() for line in redraws] == [
        "M  epoch 3/4  loss 1  6.0 s, about 2.0 s left",
        "M  epoch 4/4  loss 1  8.0 s",
        "M: fitted in 8.0 s, 4 epochs, loss 1",
    ]
    # each redraw covers the longer line before it
    assert len(redraws[1]) == len(redraws[2].rstrip("\n")) == len(redraws[0])
    # a fit shorter than 30 s leaves one line in a log
    assert log.getvalue() == "M: fitted in 8.0 s, 4 epochs, loss 1\n"


def test_one_epoch_is_singular():
    out = io.StringIO()
    _drive(FitProgress("M", stream=out), 1, 1, [{"loss": 1.0}])
    assert out.getvalue() == "M: fitted in 1.0 s, 1 epoch, loss 1\n"


def test_diverged_fit_says_so():
    out = io.StringIO()
    _drive(FitProgress("M", stream=out), 5, 1, [{"loss": 1.0}, {"loss": float("nan")}])
    assert out.getvalue().splitlines()[-1] == (
        "M: stopped after 2 of 5 epochs (2.0 s): the loss is nan"
    )


@pytest.mark.parametrize("threshold, shown", [(0.0, True), (1e9, False)])
def test_default_verbose_shows_only_slow_fits(windows, monkeypatch, threshold, shown):
    monkeypatch.setattr(_fit_progress, "SLOW_FIT_SECONDS", threshold)
    assert _gru().verbose == "auto"
    assert bool(_fit_output(*windows)) is shown


@pytest.mark.parametrize("verbose, shown", [("auto", False), (1, True)])
def test_auto_is_silent_where_nobody_watches(windows, monkeypatch, verbose, shown):
    # a log, a pipe, a doctest or a docs build: "auto" would print a line that
    # depends on the machine's speed (a doctest failed on a busy machine)
    monkeypatch.setattr(_fit_progress, "SLOW_FIT_SECONDS", 0.0)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        _gru(verbose=verbose).fit(*windows)
    assert bool(out.getvalue()) is shown


def test_verbose_0_is_silent(windows, monkeypatch, capsys):
    monkeypatch.setattr(_fit_progress, "SLOW_FIT_SECONDS", 0.0)
    _gru(verbose=0).fit(*windows)
    assert capsys.readouterr() == ("", "")


def test_bad_verbose_is_refused(windows):
    with pytest.raises(ValueError, match='verbose must be "auto" or an int'):
        _gru(verbose="loud").fit(*windows)


@pytest.mark.parametrize("verbose", [True, 1.0, None])
def test_verbose_of_another_type_names_auto(windows, verbose):
    # the default is a string: "must be an int" alone misleads
    with pytest.raises(TypeError, match='verbose must be "auto" or an int'):
        _gru(verbose=verbose).fit(*windows)


def test_silent_in_joblib_threads(windows):
    assert not in_parallel_worker()
    outputs = joblib.Parallel(n_jobs=2, backend="threading")(
        joblib.delayed(in_parallel_worker)() for _ in range(2)
    )
    assert outputs == [True, True]
    outputs = joblib.Parallel(n_jobs=1)(
        joblib.delayed(in_parallel_worker)() for _ in range(2)
    )
    assert outputs == [False, False]  # n_jobs=1 fits in this process: shown


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_silent_in_search_worker_processes(windows):
    X, y = windows
    assert _fit_output(X, y, verbose=1)  # the same fit here prints
    with joblib.parallel_backend("loky"):
        outputs = joblib.Parallel(n_jobs=2)(
            joblib.delayed(_fit_output)(X, y, verbose=1) for _ in range(2)
        )
    assert outputs == ["", ""]


def test_import_skseq_loads_no_keras_for_progress():
    code = (
        "import sys, skseq; skseq.GRUForecaster(verbose=1); "
        "assert 'skseq.estimators._fit_progress' not in sys.modules; "
        "assert 'keras' not in sys.modules and 'tensorflow' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert result.returncode == 0, result.stderr
