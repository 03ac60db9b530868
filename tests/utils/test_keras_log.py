"""A notebook session prints only what the user asked for (the quiet-session test).

By default skseq leaves stderr alone (its file descriptor, ``isatty``, the user's
absl-py lines): a session prints the user's lines and TensorFlow's own C++
start-up lines, which TensorFlow >= 2.20 prints whatever ``TF_CPP_MIN_LOG_LEVEL``
is, and nothing else (Keras' retracing warnings are dropped from Python's
logging). The opt-in ``skseq.filter_tensorflow_log`` drops TensorFlow's native
lines too; the user's own warnings, prints, absl lines and unknown errors pass.
"""

import logging
import os
import pty
import re
import subprocess
import sys
import tty

import pytest

from skseq.utils import _native_log
from skseq.utils._keras import (
    _KerasRetracingFilter,
    import_keras,
    skseq_keras_calls,
)
from skseq.utils._native_log import _run_filter, keep_line

# What a notebook user does: load data, a windowed forecaster, a time-ordered grid
# search (9 fits: enough for TensorFlow's retracing warning), a backtest, a plot,
# and a classifier whose masks make oneDNN log its DT_BOOL "error". Dense models:
# a GRU would triple the time and print the same.
SESSION = """
import matplotlib
matplotlib.use("Agg")
from sklearn.base import clone
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
best = search.best_estimator_  # fitted on every row: backtest a clone
errors, forecasts = backtest(clone(best), series, start="2019-04-26")
ForecastDisplay.from_estimator(search.best_estimator_, series, n_history=20)
"""
# A classifier, then what the user prints, warns or logs with absl-py (in the
# format of absl's handler, as absl.app.run sets it): all of that must come out.
USER = """
import os, sys, warnings
import numpy as np
from absl import flags, logging as absl_logging
from skseq import NextStepClassifier

tokens = np.random.default_rng(0).integers(0, 5, size=(16, 9))
NextStepClassifier(2, vocab_size=5, epochs=1, random_state=0).fit(tokens).generate(
    tokens[0], 2, random_state=0
)
warnings.warn("the user's own warning")
print("the user's own line", file=sys.stderr, flush=True)
os.write(2, b"E0000 00:00:1.0  1 x.cc:1] an unknown native error\\n")
flags.FLAGS.mark_as_parsed()
absl_logging.use_absl_handler()
absl_logging.set_verbosity(absl_logging.INFO)
absl_logging.warning("the user's absl warning")
absl_logging.info("the user's absl info")
print(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "unset"), os.isatty(2))
"""
FILTERED = "import skseq\nassert skseq.filter_tensorflow_log()\n"


def script_env(env_update):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(env_update)
    return env


def run_script(script, env_update, tmp_path):
    """Run ``script`` from a .py file, as absl-py names its lines by their file."""
    path = tmp_path / "user_script.py"
    path.write_text(script)
    return subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=script_env(env_update),
    )


def run_in_terminal(script, env_update, tmp_path):
    """Like run_script, with stderr a pseudo-terminal (stdout still a pipe)."""
    path = tmp_path / "user_script.py"
    path.write_text(script)
    master, slave = pty.openpty()
    tty.setraw(slave)  # no carriage return added: compare lines as written
    with subprocess.Popen(
        [sys.executable, str(path)],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=script_env(env_update),
    ) as process:
        os.close(slave)
        err = b""
        while chunk := _read_terminal(master):
            err += chunk
        os.close(master)
        out = process.stdout.read()
    return subprocess.CompletedProcess(
        process.args, process.returncode, out.decode(), err.decode()
    )


def _read_terminal(fd):
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: every writer closed the terminal
        return b""


USERS_LINES = [
    "UserWarning: the user's own warning",
    "the user's own line",
    "E0000 00:00:1.0  1 x.cc:1] an unknown native error",
    "the user's absl warning",
    "the user's absl info",
]


def users_lines(stderr):
    """stderr's lines, the user's warning and absl lines without their prefix."""
    absl_prefix = r"^[WI]\d{4} [\d:.]+ +\d+ user_script\.py:\d+\] "
    lines = [re.sub(r"^.*user_script\.py:\d+: ", "", line) for line in stderr]
    lines = [line for line in lines if not line.startswith("  warnings.warn(")]
    return [re.sub(absl_prefix, "", line) for line in lines]


def assert_only_users_output(result, level, tty, unknown_error_shown):
    assert result.returncode == 0, result.stderr
    # the user's level (unset: whatever their imports set); isatty as it was
    shown_level, shown_tty = result.stdout.split()
    assert shown_tty == str(tty)
    assert level is None or shown_level == str(level)
    expected = [
        line for line in USERS_LINES if unknown_error_shown or "x.cc" not in line
    ]
    assert users_lines(result.stderr.splitlines()) == expected


def test_notebook_session_prints_tensorflows_start_up_lines_and_the_users(tmp_path):
    # Nothing from skseq or Keras (retracing warnings): only TensorFlow's native
    # start-up lines (the ones filter_tensorflow_log drops) and the user's lines,
    # absl's included; stderr is still the terminal it was.
    result = run_in_terminal(SESSION + USER, {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "True"
    lines = result.stderr.splitlines()
    users = [line for line in lines if keep_line(line + "\n", 2)]
    assert users_lines(users) == USERS_LINES, result.stderr
    assert "retracing" not in result.stderr


def test_filtered_session_in_a_terminal_prints_only_the_users_lines(tmp_path):
    result = run_in_terminal(FILTERED + USER, {}, tmp_path)
    assert_only_users_output(result, None, True, unknown_error_shown=True)


def test_filtered_session_at_the_users_tf_cpp_min_log_level(tmp_path):
    # TensorFlow 2.21 prints its start-up lines even at level 3; level 3 hides
    # native ERROR lines, the user's own, as TensorFlow documents.
    result = run_script(FILTERED + USER, {"TF_CPP_MIN_LOG_LEVEL": "3"}, tmp_path)
    assert_only_users_output(result, 3, False, unknown_error_shown=False)


# Keras imported by the user before skseq builds a model (a notebook's first cell):
# a search's retracing warnings come later, and are dropped all the same.
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


def test_no_retracing_warnings_when_the_user_imported_keras_first(tmp_path):
    result = run_script(KERAS_FIRST, {}, tmp_path)
    assert result.returncode == 0, result.stderr
    after = result.stderr.split("skseq starts\n")[1]
    # at most TensorFlow's native lines (no GPU), none of Python's logging
    assert not [line for line in after.splitlines() if keep_line(line + "\n", 2)]


# Closed stderr (``python script.py 2>&-``): Python sets sys.stderr to None.
CLOSED_STDERR = """
import os, sys
import numpy as np
import skseq

X = np.random.default_rng(0).normal(size=(32, 8)).astype("float32")
model = skseq.DenseForecaster(epochs=1, random_state=0).fit(X[:, :-1], X[:, -1])
model.predict(X[:, 1:])
try:
    os.fstat(2)
except OSError:
    print("stderr still closed")
print(sys.stderr, skseq.filter_tensorflow_log())
"""


def test_fit_with_stderr_closed(tmp_path):
    path = tmp_path / "user_script.py"
    path.write_text(CLOSED_STDERR)
    result = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" "{path}" 2>&-'],
        capture_output=True,
        text=True,
        env=script_env({}),
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout == "stderr still closed\nNone False\n"


FD_2_CLOSED = """
import os
os.close(2)
import skseq
print(skseq.filter_tensorflow_log())
try:
    os.fstat(2)
except OSError:
    print("stderr still closed")
"""


def test_filter_with_file_descriptor_2_closed_changes_nothing():
    # sys.stderr still set, its file descriptor closed (a daemon's doing).
    result = subprocess.run(
        [sys.executable, "-c", FD_2_CLOSED], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout == "False\nstderr still closed\n"


def test_import_keras_leaves_the_environment_alone(monkeypatch):
    # Setting TF_CPP_MIN_LOG_LEVEL would outlive the TensorFlow import: the
    # user's later subprocesses would inherit it. Even before TensorFlow is
    # imported, the environment is the user's.
    import_keras()  # Keras imported for good: later calls only look it up
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    before = dict(os.environ)
    import_keras()
    assert dict(os.environ) == before
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")  # the user's, kept
    import_keras()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_level_0_turns_the_filter_off(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    monkeypatch.setattr(_native_log, "_installed", [])
    assert _native_log.filter_tensorflow_log() is False
    assert keep_line("I0000 00:00:1.5  3712 port.cc:153] oneDNN custom operations", 0)


def test_a_filter_that_cannot_start_is_tried_once(monkeypatch):
    # A script may call it more than once.
    starts = []

    def refuse(*args, **kwargs):
        starts.append(args)
        raise OSError("no child process here")

    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    monkeypatch.setattr(_native_log, "_installed", [])
    monkeypatch.setattr(_native_log, "_failed", [])
    monkeypatch.setattr(_native_log.subprocess, "Popen", refuse)
    assert _native_log.filter_tensorflow_log() is False
    assert _native_log.filter_tensorflow_log() is False
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
        # absl-py's lines (absl.app.run's handler) are the user's: never dropped
        ("W1206 01:02:03.456789 140246 train.py:12] yours", 2, True),
        ("I1206 01:02:03.456789 140246 3829374.py:3] a notebook cell's", 3, True),
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
    with skseq_keras_calls():
        assert not drop.filter(keras_own)
        assert drop.filter(users)
        assert drop.filter(make_record("another warning"))


def test_users_own_keras_models_keep_their_retracing_warnings():
    # After skseq has built a model, the user's own Keras models (trained in a
    # loop in the same notebook) must still get TensorFlow's warning: only
    # skseq's own fits and predicts drop it.
    keras_own = make_record(
        "6 out of the last 6 calls to <function TensorFlowTrainer._make_function."
        "<locals>.multi_step_on_iterator at 0x7f> triggered tf.function retracing."
    )
    import_keras()
    logger = logging.getLogger("tensorflow")
    assert logger.filter(keras_own)
    with skseq_keras_calls():
        assert not logger.filter(keras_own)
    assert logger.filter(keras_own)


INTERRUPT = """
import os, signal, time
from skseq.utils import _native_log
assert _native_log.filter_tensorflow_log()
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


# Threads that call filter_tensorflow_log at once: one filter process, not one per
# thread.
CONCURRENT_INSTALL = """
import threading
from skseq.utils import _native_log

barrier = threading.Barrier(4)

def install():
    barrier.wait()
    _native_log.filter_tensorflow_log()

threads = [threading.Thread(target=install) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(_native_log._installed))
"""


def test_threads_install_one_filter(tmp_path):
    result = run_script(CONCURRENT_INSTALL, {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\n"
