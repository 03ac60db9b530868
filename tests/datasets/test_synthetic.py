"""The chapter's synthetic series: the seeds a notebook passes."""

import numpy as np
import pytest

from skseq.datasets import make_sine_series


def _chapter_series(n_series, n_steps, seed):
    """The chapter's ``generate_time_series`` on ``RandomState(seed)``."""
    rng = np.random.RandomState(seed)
    freq1, freq2, offset1, offset2 = rng.rand(4, n_series, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offset1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offset2) * (freq2 * 20 + 20))
    series += 0.1 * (rng.rand(n_series, n_steps) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def test_an_int_seed_still_draws_the_chapters_series():
    expected = _chapter_series(4, 30, seed=3)
    np.testing.assert_array_equal(make_sine_series(4, 30, random_state=3), expected)
    rng = np.random.RandomState(3)
    np.testing.assert_array_equal(make_sine_series(4, 30, random_state=rng), expected)


def test_a_numpy_generator_seeds_the_series_as_the_estimators_accept_it():
    # np.random.default_rng(0) raised sklearn's "cannot be used to seed a
    # numpy.random.RandomState instance", though every skseq estimator takes it
    series = make_sine_series(3, 40, random_state=np.random.default_rng(0))
    again = make_sine_series(3, 40, random_state=np.random.default_rng(0))
    assert series.shape == (3, 40, 1) and series.dtype == np.float32
    np.testing.assert_array_equal(series, again)
    assert np.abs(series).max() <= 0.75


@pytest.mark.parametrize("seed", ["a", 1.5, True, -1])
def test_a_bad_seed_is_refused_naming_random_state(seed):
    with pytest.raises((TypeError, ValueError), match="random_state"):
        make_sine_series(2, 10, random_state=seed)
