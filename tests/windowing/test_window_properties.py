"""Property-based tests of the windowing: for any series length, window, horizon
and stride, windows never look past their targets nor past the series end."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skseq import count_windows, make_windows
from skseq.windowing._feeder import window_batch

lengths = st.integers(min_value=1, max_value=300)
sizes = st.integers(min_value=1, max_value=40)
strides = st.integers(min_value=1, max_value=12)
features = st.integers(min_value=1, max_value=3)


def _time_series(n_steps, n_features):
    """Each value tells its time step (feature f adds f * 1000)."""
    steps = np.arange(n_steps, dtype=np.float64)[:, None]
    return steps + 1000.0 * np.arange(n_features)[None, :]


@settings(max_examples=200, deadline=None)
@given(
    n_steps=lengths, window=sizes, horizon=sizes, stride=strides, n_features=features
)
def test_windows_precede_their_targets_and_stay_inside(
    n_steps, window, horizon, stride, n_features
):
    expected = max(0, (n_steps - window - horizon) // stride + 1)
    assert count_windows(n_steps, window, horizon, stride=stride) == expected
    series = _time_series(n_steps, n_features)
    if expected == 0:
        with pytest.raises(ValueError, match="too short"):
            make_windows(series, window, horizon, stride=stride)
        return
    X, y = make_windows(series, window, horizon, stride=stride)
    assert len(X) == len(y) == expected
    times, target_times = X[:, :, 0], np.reshape(y, (len(y), horizon, -1))[:, :, 0]
    offset = (n_steps - window - horizon) % stride
    starts = offset + np.arange(expected) * stride
    # Window i covers steps offset + i*stride .. + window - 1, contiguously,
    np.testing.assert_array_equal(times, starts[:, None] + np.arange(window))
    # and its targets are the horizon steps right after it: strictly later,
    assert (target_times.min(axis=1) > times.max(axis=1)).all()
    np.testing.assert_array_equal(target_times, times[:, -1:] + 1 + np.arange(horizon))
    # never beyond the series' end, and the last one ends at the last step
    # (the latest data), with no possible window left out.
    assert target_times.max() == n_steps - 1
    assert times.min() < stride
    # Every feature of a window comes from the same time steps.
    offsets = np.broadcast_to(1000.0 * np.arange(n_features), X.shape)
    np.testing.assert_array_equal(X - X[:, :, :1], offsets)


@settings(max_examples=100, deadline=None)
@given(n_steps=lengths, window=sizes, horizon=sizes, stride=strides)
def test_windows_are_read_only_views_of_the_series(n_steps, window, horizon, stride):
    if count_windows(n_steps, window, horizon, stride=stride) == 0:
        return
    series = _time_series(n_steps, 2)
    original = series.copy()
    X, y = make_windows(series, window, horizon, stride=stride)
    assert np.shares_memory(X, series)
    assert not X.flags.writeable and not y.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        X[0, 0, 0] = -1.0
    with pytest.raises(ValueError, match="read-only"):
        y[(0,) * y.ndim] = -1.0
    np.testing.assert_array_equal(series, original)


@settings(max_examples=100, deadline=None)
@given(
    n_steps=st.integers(min_value=2, max_value=200),
    window=sizes,
    horizon=sizes,
    data=st.data(),
)
def test_feeder_batches_equal_make_windows_for_any_starts(
    n_steps, window, horizon, data
):
    n_windows = count_windows(n_steps, window, horizon)
    if n_windows == 0:
        return
    series = _time_series(n_steps, 2)
    starts = np.array(
        data.draw(
            st.lists(
                st.integers(0, n_windows - 1), min_size=1, max_size=min(n_windows, 20)
            )
        )
    )
    X, y = window_batch(series, series, starts, window, horizon)
    X_all, y_all = make_windows(series, window, horizon)
    np.testing.assert_array_equal(X, X_all[starts])
    np.testing.assert_array_equal(y, np.reshape(y_all, (n_windows, horizon, 2))[starts])
