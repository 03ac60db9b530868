"""Shared fixtures: small data sets, built once per module."""

import numpy as np
import pytest

from skseq.datasets import make_sine_series


@pytest.fixture(scope="session")
def sine_series():
    """80 synthetic series of 30 steps, shape (80, 30, 1)."""
    return make_sine_series(80, 30, random_state=0)


@pytest.fixture(scope="session")
def next_step_data(sine_series):
    """Next-step data: X (80, 20, 1), y (80,)."""
    return sine_series[:, :20], sine_series[:, 20, 0]


@pytest.fixture(scope="session")
def multi_step_data(sine_series):
    """Five steps ahead: X (80, 20, 1), y (80, 5)."""
    return sine_series[:, :20], sine_series[:, 20:25, 0]


@pytest.fixture(scope="session")
def multivariate_data():
    """Two targets and one covariate: X (60, 12, 3), y (60, 4, 2)."""
    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(size=(60, 16, 3)), axis=1).astype(np.float32)
    return series[:, :12], series[:, 12:, :2]


def _tiny_data():
    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(size=(16, 10)), axis=1)
    return {
        "X": series[:, :8],
        "y": series[:, 8:],
        "labels": np.where(series[:, 7] > series[:, 0], "up", "down"),
        "tokens": np.tile([0.0, 1.0, 2.0, 3.0], (16, 2)),
        "series": series[0],
    }


@pytest.fixture(scope="session")
def tiny_data():
    """A function giving tiny data for every kind of estimator, a fresh dict
    (new arrays) per call: ``X`` (16, 8) and ``y`` (16, 2) of random walks,
    ``labels`` ("up"/"down", 16), ``tokens`` (16, 8) of 4 symbols for
    next-step classifiers, and ``series`` (10,) for WindowedForecaster."""
    return _tiny_data
