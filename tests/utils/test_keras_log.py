"""Fitting a first model prints nothing on stderr (TensorFlow's C++ start-up log)."""

import os
import subprocess
import sys

SCRIPT = """
import numpy as np
from skseq import GRUForecaster
X = np.random.default_rng(0).normal(size=(16, 5))
GRUForecaster(2, epochs=1, random_state=0).fit(X, X[:, -1]).predict(X[:2])
print("fitted")
"""


def run(env_update):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(env_update)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env
    )


def test_first_fit_prints_nothing_to_stderr():
    result = run({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fitted"
    assert result.stderr == ""


def test_users_log_level_is_left_alone():
    # A user who sets the level gets TensorFlow's own behaviour; we only check
    # that skseq does not overwrite the variable.
    result = run({"TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr
    script = "import skseq.networks, os; print(os.environ['TF_CPP_MIN_LOG_LEVEL'])"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env
    )
    assert out.stdout.strip() == "1"


def test_other_stderr_output_is_kept():
    # Lines that are not TensorFlow's native log pass through the filter.
    from skseq.utils._keras import _NATIVE_LOG_LINE

    assert _NATIVE_LOG_LINE.match(
        "I0000 00:00:1795452266.962331    3712 port.cc:153] oneDNN custom operations"
    )
    assert _NATIVE_LOG_LINE.match(
        "E0000 00:00:1795452269.027209    3712 cuda_platform.cc:52] failed call"
    )
    assert not _NATIVE_LOG_LINE.match("UserWarning: something a user must see")
    assert not _NATIVE_LOG_LINE.match("Traceback (most recent call last):")
