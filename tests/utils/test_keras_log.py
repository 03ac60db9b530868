"""A notebook session prints only what the user asked for (the quiet-session test).

TensorFlow's C++ start-up lines, its harmless ERROR lines and Keras' retracing
warnings are dropped whatever ``TF_CPP_MIN_LOG_LEVEL`` is; the user's own warnings,
prints and unknown errors pass.
"""

import logging
import os
import re
import subprocess
import sys

import pytest

from skseq.utils import _native_log
from skseq.utils._keras import _KerasRetracingFilter
from skseq.utils._native_log import _run_filter, keep_line

# What a notebook user does: load data, a windowed forecaster, a time-ordered grid
# search (9 fits: enough for TensorFlow's retracing warning), a backtest, a plot,
# and a classifier whose masks make oneDNN log its DT_BOOL "error". Dense models:
# a GRU would triple the time and print the same.
SESSION = """
import matplotlib
matplotlib.use("Agg")
from sklearn.model_selection import GridSearchCV
from skseq import DenseForecaster
from skseq.datasets import load_ridership
from skseq.forecasting import SeriesSplit, WindowedForecaster, backtest
from skseq.plotting import ForecastDisplay

series = load_ridership()[["rail"]]["2019-01":"2019-04"]
model = WindowedForecaster(
    DenseForecaster(epochs=1, random_state=0), window=7, horizon=2, target="rail"
)
grid = {"window": [5, 7], "horizon": [1, 2]}
search = GridSearchCV(model, grid, cv=SeriesSplit(n_splits=2)).fit(series)
errors, forecasts = backtest(search.best_estimator_, series, start="2019-04-26")
ForecastDisplay.from_estimator(search.best_estimator_, series, n_history=20)
"""
# A classifier, then what the user prints or warns: all of that must come out.
USER = """
import os, sys, warnings
import numpy as np
from skseq import NextStepClassifier

tokens = np.random.default_rng(0).integers(0, 5, size=(16, 9))
NextStepClassifier(2, vocab_size=5, epochs=1, random_state=0).fit(tokens).generate(
    tokens[0], 2, random_state=0
)
warnings.warn("the user's own warning")
print("the user's own line", file=sys.stderr, flush=True)
os.write(2, b"E0000 00:00:1.0  1 x.cc:1] an unknown native error\\n")
print(os.environ["TF_CPP_MIN_LOG_LEVEL"])
"""


def run_script(script, env_update):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(env_update)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env
    )


def assert_only_users_output(result, level, unknown_error_shown):
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{level}\n"  # skseq never overrides the user's level
    expected = ["UserWarning: the user's own warning", "the user's own line"]
    if unknown_error_shown:
        expected.append("E0000 00:00:1.0  1 x.cc:1] an unknown native error")
    lines = result.stderr.splitlines()
    shown = [re.sub(r"^<string>:\d+: ", "", line) for line in lines]
    assert shown == expected


def test_notebook_session_is_quiet():
    result = run_script(SESSION + USER, {})
    assert_only_users_output(result, 2, unknown_error_shown=True)


def test_quiet_when_the_user_sets_tf_cpp_min_log_level():
    # TensorFlow 2.21 prints its start-up lines even at level 3; level 3 hides
    # native ERROR lines, the user's own, as TensorFlow documents.
    result = run_script(USER, {"TF_CPP_MIN_LOG_LEVEL": "3"})
    assert_only_users_output(result, 3, unknown_error_shown=False)


# Keras imported by the user before skseq builds a model (a notebook's first cell):
# TensorFlow's start-up lines are out before skseq runs, but what comes later (the
# GPU search's and the masks' ERROR lines, a search's retracing warnings) is not.
KERAS_FIRST = """
import sys
import keras
import numpy as np
import skseq

print("skseq starts", file=sys.stderr, flush=True)
rng = np.random.default_rng(0)
X = [rng.normal(size=n).astype("float32") for n in rng.integers(5, 12, size=20)]
for seed in range(8):
    skseq.ConvClassifier(2, epochs=1, random_state=seed).fit(X, np.arange(20) % 2)
"""


def test_quiet_after_skseq_starts_when_the_user_imported_keras_first():
    result = run_script(KERAS_FIRST, {})
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("skseq starts\n"), result.stderr


def test_level_0_turns_the_filter_off(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    monkeypatch.setattr(_native_log, "_installed", [])
    assert _native_log.install() is False
    assert keep_line("I0000 00:00:1.5  3712 port.cc:153] oneDNN custom operations", 0)


def test_a_filter_that_cannot_start_is_tried_once(monkeypatch):
    # import_keras installs the filter at every fit and predict.
    starts = []

    def refuse(*args, **kwargs):
        starts.append(args)
        raise OSError("no child process here")

    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    monkeypatch.setattr(_native_log, "_installed", [])
    monkeypatch.setattr(_native_log, "_failed", [])
    monkeypatch.setattr(_native_log.subprocess, "Popen", refuse)
    assert _native_log.install() is False
    assert _native_log.install() is False
    assert len(starts) == 1


@pytest.mark.parametrize(
    ("line", "level", "kept"),
    [
        ("I0000 00:00:1.5  3712 port.cc:153] oneDNN custom operations", 2, False),
        ("I0000 00:00:1.5  3712 port.cc:153] oneDNN custom operations", 0, True),
        ("I0000 00:00:1.5  3712 x.cc:1] something else", 1, False),
        ("W0000 00:00:1.5  3712 x.cc:1] something else", 1, True),
        ("E0000 00:00:1.5  3712 cuda_platform.cc:52] failed call to cuInit", 1, False),
        ("E0000 00:00:1.5  3712 x.cc:1] an unknown error", 2, True),
        ("E0000 00:00:1.5  3712 x.cc:1] an unknown error", 3, False),
        ("F0000 00:00:1.5  3712 x.cc:1] Check failed", 3, True),
        ("WARNING: All log messages before absl::InitializeLog() is called", 1, False),
        ("UserWarning: something a user must see", 3, True),
        ("Traceback (most recent call last):", 3, True),
    ],
)
def test_keep_line(line, level, kept):
    assert keep_line(line + "\n", level) is kept


def test_filter_streams_unfinished_lines_and_drops_log_lines():
    source_read, source_write = os.pipe()
    target_read, target_write = os.pipe()
    pieces = [
        b"I0000 00:00:1.5  12 port.cc:153] oneDNN custom operations are on\n",
        b" 50%|###",  # a progress bar: copied before its line ends
        b"\r 60%|####\n",
        b"E00",  # could still become a log line: held until its end
        b"00 00:00:1.5  12 x.cc:1] oneDNN supports DT_BOOL only on platforms with\n",
        b"the end",
    ]
    for piece in pieces:
        os.write(source_write, piece)
    os.close(source_write)
    _run_filter(2, source_read, target_write)
    os.close(target_write)
    assert os.read(target_read, 4096) == b" 50%|###\r 60%|####\nthe end"
    os.close(source_read)
    os.close(target_read)


def make_record(message):
    return logging.LogRecord("tensorflow", logging.WARNING, "", 0, message, (), None)


def test_only_keras_retracing_warnings_are_dropped():
    keras_own = make_record(
        "5 out of the last 5 calls to <function TensorFlowTrainer."
        "make_predict_function.<locals>.one_step_on_data_distributed at 0x7f> "
        "triggered tf.function retracing."
    )
    users = make_record(
        "5 out of the last 5 calls to <function my_step at 0x7f> "
        "triggered tf.function retracing."
    )
    drop = _KerasRetracingFilter()
    assert not drop.filter(keras_own)
    assert drop.filter(users)
    assert drop.filter(make_record("another warning"))


INTERRUPT = """
import os, signal, time
from skseq.utils import _native_log
assert _native_log.install()
signal.signal(signal.SIGINT, lambda *args: None)
os.killpg(os.getpgid(0), signal.SIGINT)  # a notebook's "interrupt the kernel"
time.sleep(0.5)
os.write(2, b"the user's error after an interrupt\\n")
"""


def test_filter_survives_an_interrupt_of_the_process_group():
    # Jupyter interrupts a kernel with SIGINT to its whole process group: the
    # filter must outlive it, or every later line on stderr is lost (EPIPE).
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPT],
        capture_output=True,
        text=True,
        start_new_session=True,  # its own group, as Jupyter starts kernels
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "the user's error after an interrupt\n"


# Threads that fit or predict at once after the user imported Keras each call
# import_keras, hence install, first: one filter process, not one per thread.
CONCURRENT_INSTALL = """
import threading
from skseq.utils import _native_log

barrier = threading.Barrier(4)

def install():
    barrier.wait()
    _native_log.install()

threads = [threading.Thread(target=install) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(_native_log._installed))
"""


def test_threads_install_one_filter():
    result = run_script(CONCURRENT_INSTALL, {})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\n"
