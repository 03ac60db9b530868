"""The package itself: light import, public API, data set generator."""

import subprocess
import sys

import numpy as np

import skseq
from skseq.datasets import make_sine_series

# Appended to a child interpreter's code: fails it if a backend got imported.
NO_BACKEND = (
    "heavy = [m for m in ('keras', 'tensorflow', 'jax', 'torch') "
    "if m in sys.modules]; "
    "assert not heavy, heavy"
)


def run_python(code):
    """Run ``code`` in a fresh interpreter; return the completed process."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )


def test_import_loads_no_backend_and_prints_nothing():
    result = run_python("import sys, skseq; " + NO_BACKEND)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_architecture_arithmetic_needs_no_backend():
    """Estimators import the choices and the alignment arithmetic at module top:
    computing a receptive field or aligning targets must not import Keras."""
    code = (
        "import sys, numpy as np; "
        "from skseq.utils import _architecture; "
        "from skseq import ConvRNNForecaster, RNNClassifier, WaveNetForecaster; "
        "assert WaveNetForecaster(dilation_rates=(1, 2), n_blocks=2)"
        "._receptive_field() == 7; "
        "Y = ConvRNNForecaster()._align_sequence_targets(np.zeros((1, 50, 1))); "
        "assert Y.shape == (1, 24, 1), Y.shape; "
    )
    result = run_python(code + NO_BACKEND)
    assert result.returncode == 0, result.stderr


def test_public_names_are_exported():
    for name in skseq.__all__:
        assert hasattr(skseq, name), name


def test_sine_series_follows_the_chapters_formula():
    series = make_sine_series(5, 51, random_state=0)
    assert series.shape == (5, 51, 1) and series.dtype == np.float32
    # two sines of amplitude 0.5 and 0.2 plus noise in [-0.05, 0.05]
    assert np.abs(series).max() <= 0.75
    np.testing.assert_array_equal(series, make_sine_series(5, 51, random_state=0))
    assert not np.array_equal(series, make_sine_series(5, 51, random_state=1))
