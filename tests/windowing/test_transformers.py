import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skseq import (
    FlattenSequence,
    SequenceScaler,
    SlidingWindowTransformer,
    make_windows,
)


def test_sliding_window_transformer_matches_make_windows():
    series = np.arange(24.0).reshape(12, 2)
    windows = SlidingWindowTransformer(window=5, stride=2).fit_transform(series)
    X, _ = make_windows(series, window=5, horizon=1, stride=2)
    # windows start every 2 steps from the first row: 0, 2, 4, 6; the transformer
    # also returns the window starting at 6, which has no target after it
    assert windows.shape == (4, 5, 2)
    np.testing.assert_array_equal(windows[: len(X)], X)
    np.testing.assert_array_equal(windows[-1], series[6:11])


def test_sliding_window_transformer_checks_features_and_length():
    transformer = SlidingWindowTransformer(window=5).fit(np.zeros((10, 2)))
    with pytest.raises(ValueError, match="2"):
        transformer.transform(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="fewer than window=5"):
        transformer.transform(np.zeros((4, 2)))


def test_flatten_is_a_view_and_orders_time_major():
    X = np.arange(24.0).reshape(2, 4, 3)
    flat = FlattenSequence().fit_transform(X)
    assert np.shares_memory(flat, X)
    np.testing.assert_array_equal(flat[0], X[0].ravel())
    names = FlattenSequence().fit(X).get_feature_names_out(["a", "b", "c"])
    assert list(names[:4]) == ["t0_a", "t0_b", "t0_c", "t1_a"]


def test_flatten_refuses_another_length():
    flatten = FlattenSequence().fit(np.zeros((2, 4, 3)))
    with pytest.raises(ValueError, match="fitted on"):
        flatten.transform(np.zeros((2, 5, 3)))


def test_flatten_ridge_pipeline_is_a_linear_forecaster():
    series = np.sin(np.arange(300) / 5)
    X, y = make_windows(series, window=10)
    model = make_pipeline(FlattenSequence(), Ridge(alpha=1e-6)).fit(X, y)
    assert model.score(X, y) > 0.999


def test_sequence_scaler_scales_each_feature_over_all_steps():
    rng = np.random.default_rng(0)
    X = rng.normal(loc=[5.0, -3.0], scale=[2.0, 0.5], size=(50, 7, 2))
    scaled = SequenceScaler().fit_transform(X)
    flat = scaled.reshape(-1, 2)
    np.testing.assert_allclose(flat.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(flat.std(axis=0), 1, atol=1e-12)
    back = SequenceScaler().fit(X).inverse_transform(scaled)
    np.testing.assert_allclose(back, X)


def test_sequence_scaler_takes_any_scaler_and_any_length():
    X = np.arange(40.0).reshape(4, 10)
    scaler = SequenceScaler(MinMaxScaler()).fit(X)
    out = scaler.transform(X[:, :6])
    assert out.shape == (4, 6)
    assert out.min() == 0.0
    assert scaler.scaler is None or isinstance(scaler.scaler, MinMaxScaler)
    with pytest.raises(ValueError, match="features per time step"):
        scaler.transform(np.zeros((4, 6, 2)))
