"""WindowedForecaster(sample_weight=per time step): mapped to the windows."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skseq import DenseForecaster, FlattenSequence
from skseq.forecasting import SeriesSplit, WindowedForecaster
from skseq.windowing._feeder import WindowBatches


class WeightRecorder(RegressorMixin, BaseEstimator):
    """Records the weights its fit gets; predicts zeros."""

    def fit(self, X, y, sample_weight=None):
        self.sample_weight_ = sample_weight
        self.n_windows_ = len(X)
        return self

    def predict(self, X):
        return np.zeros(len(X))


class RecursiveRecorder(WeightRecorder):
    """A WeightRecorder that says it trains recursively."""

    def __init__(self, strategy="recursive"):
        self.strategy = strategy


@pytest.fixture(scope="module")
def series():
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    return pd.Series(np.sin(np.arange(60) / 4), index=days, name="y")


def test_window_weight_is_mean_of_its_target_steps(series):
    steps = np.random.default_rng(0).uniform(size=len(series))
    model = WindowedForecaster(WeightRecorder(), window=5, horizon=3)
    got = model.fit(series, sample_weight=steps).estimator_.sample_weight_
    n_windows = len(series) - 5 - 3 + 1
    expected = [steps[i + 5 : i + 8].mean() for i in range(n_windows)]
    assert_allclose(got, expected)


def test_estimator_without_sample_weight_is_refused(series):
    from sklearn.neighbors import KNeighborsRegressor

    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), KNeighborsRegressor(2)), window=5
    )
    routing = r"set_config\(enable_metadata_routing=True\)"
    with pytest.raises(TypeError, match=r"takes no sample_weight.*" + routing):
        model.fit(series, sample_weight=np.ones(len(series)))


def test_conformal_forecaster_refusal_says_why_and_what_to_do(series):
    """It said "every Keras-backed skseq forecaster does", which a
    ConformalForecaster around one is not."""
    from skseq import ConformalForecaster

    wrapped = ConformalForecaster(DenseForecaster(epochs=1))
    model = WindowedForecaster(wrapped, window=5)
    with pytest.raises(TypeError, match="ConformalForecaster.fit takes no") as refused:
        model.fit(series, sample_weight=np.ones(len(series)))
    message = str(refused.value)
    assert "Keras-backed" not in message
    assert "unweighted" in message and "drop sample_weight" in message
    assert "WindowedForecaster(DenseForecaster(" in message


def _weighted_ridge_forecast(series, steps, window):
    """What a Ridge fitted on the windows with their weights forecasts."""
    from skseq import make_windows

    X, y = make_windows(series.to_numpy(), window)
    ridge = Ridge().fit(X.reshape(len(X), -1), y, sample_weight=steps[window:])
    return ridge.predict(series.to_numpy()[None, -window:])[0]


def test_pipeline_gets_the_weights_through_metadata_routing(series):
    steps = np.r_[np.zeros(30), np.linspace(1, 3, len(series) - 30)]
    with sklearn.config_context(enable_metadata_routing=True):
        ridge = Ridge().set_fit_request(sample_weight=True)
        model = WindowedForecaster(
            make_pipeline(FlattenSequence(), ridge), window=5, scale=False
        ).fit(series, sample_weight=steps)
        forecast = model.forecast(series).iloc[0]
    expected = _weighted_ridge_forecast(series, steps, 5)
    assert_allclose(forecast, expected, rtol=1e-10)
    unweighted = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()), window=5, scale=False
    ).fit(series)
    assert abs(unweighted.forecast(series).iloc[0] - expected) > 1e-6


def test_pipeline_gets_the_weights_without_routing(series):
    # the docstring's own pipeline: its last step is given step__sample_weight
    steps = np.r_[np.zeros(30), np.linspace(1, 3, len(series) - 30)]
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()), window=5, scale=False
    ).fit(series, sample_weight=steps)
    assert_allclose(
        model.forecast(series).iloc[0],
        _weighted_ridge_forecast(series, steps, 5),
        rtol=1e-10,
    )


def test_bad_step_weights_are_refused(series):
    model = WindowedForecaster(WeightRecorder(), window=5)
    with pytest.raises(ValueError, match="time step"):
        model.fit(series, sample_weight=np.ones(10))
    only_history = np.r_[np.ones(5), np.zeros(len(series) - 5)]
    with pytest.raises(ValueError, match="no window"):
        model.fit(series, sample_weight=only_history)


def test_feeder_batches_carry_relative_weights():
    weights = np.arange(1.0, 9.0)
    source = WindowBatches(np.arange(12.0), None, 3, 2, 4, sample_weight=weights)
    X, y, w = source[1]
    # one weight per sample, repeated over the horizon steps of the 3D targets
    assert w.shape == y.shape[:2]
    assert_allclose(w[:, 0], weights[4:8] / weights.mean(), rtol=1e-6)
    train, validation = source.split(0.25)
    assert_allclose(validation[0][2][:, 1], weights[6:] / weights[6:].mean())


def test_feeder_leaves_zero_weighted_windows_out_of_the_batches():
    """Zero-weighted windows were batched with weight 0: out of the loss, but
    in batch normalisation's statistics, unlike fit's arrays, which drop them."""
    weights = np.r_[0.0, 1.0, 0.0, 2.0, 3.0, 0.0, 1.0, 1.0]
    source = WindowBatches(np.arange(12.0), None, 3, 2, 4, sample_weight=weights)
    assert source.starts.tolist() == [1, 3, 4, 6, 7]
    batches = [source[k] for k in range(len(source))]
    assert_allclose(
        np.concatenate([X[:, 0, 0] for X, _, _ in batches]), [1, 3, 4, 6, 7]
    )
    assert all((w > 0).all() for _, _, w in batches)
    train, validation = source.split(0.4)
    assert validation.starts.tolist() == [6, 7]


def test_feed_batches_uses_the_weights(series):
    steps = np.random.default_rng(1).uniform(size=len(series))
    net = DenseForecaster(3, epochs=1, batch_size=8, random_state=0)
    model = WindowedForecaster(net, window=5, horizon=2, feed="batches")

    def fitted(weights):
        return model.fit(series, sample_weight=weights).estimator_.model_.get_weights()

    a, b, c = fitted(steps), fitted(4 * steps), fitted(None)
    for left, right in zip(a, b, strict=True):
        assert_array_equal(left, right)
    assert any(not np.array_equal(p, q) for p, q in zip(a, c, strict=True))


def test_grid_search_routes_step_weights(series):
    steps = np.linspace(0.5, 2, len(series))
    with sklearn.config_context(enable_metadata_routing=True):
        model = WindowedForecaster(WeightRecorder(), window=5)
        model.set_fit_request(sample_weight=True)
        search = GridSearchCV(
            model, {"window": [4, 5]}, cv=SeriesSplit(2, test_size=5, lookback=5)
        ).fit(series, sample_weight=steps)
    recorded = search.best_estimator_.estimator_.sample_weight_
    window = search.best_params_["window"]
    assert_allclose(recorded, steps[window:])


def test_a_recursive_window_is_weighted_by_the_step_it_trains_on():
    # recursive trains on each window's first step only: a corrupted step of
    # weight 0, and the windows that read it, were still trained on (weighted
    # by the later steps' weights), and the exact linear model was off
    t = np.arange(63)
    clean = np.sin(t / 2)
    corrupted = clean[:60].copy()
    corrupted[30] += 5.0
    weights = np.ones(60)
    weights[30:34] = 0.0  # the step, and every window whose inputs hold it
    recursive = DenseForecaster(strategy="recursive", solver="lstsq")
    model = WindowedForecaster(
        recursive, window=3, horizon=3, difference=None, scale=False
    ).fit(pd.Series(corrupted, name="y"), sample_weight=weights)
    forecast = model.forecast(pd.Series(corrupted, name="y"))
    assert_allclose(forecast, clean[60:], atol=1e-4)


def test_recursive_window_weights_are_those_of_their_first_steps(series):
    steps = np.random.default_rng(0).uniform(size=len(series))
    recorder = make_pipeline(RecursiveRecorder())  # read through the Pipeline
    model = WindowedForecaster(recorder, window=5, horizon=3, difference=None)
    fitted = model.fit(series, sample_weight=steps).estimator_.steps[-1][1]
    assert_allclose(fitted.sample_weight_, steps[5 : 5 + fitted.n_windows_])


def test_a_request_of_no_weights_is_not_overridden(series):
    # Under routing, set_fit_request(sample_weight=False) says "not for me":
    # the weights were passed to the estimator's fit anyway.
    weights = np.linspace(0, 1, len(series))
    with sklearn.config_context(enable_metadata_routing=True):
        refusing = WeightRecorder().set_fit_request(sample_weight=False)
        with pytest.raises(TypeError, match="requests sample_weight=False"):
            WindowedForecaster(refusing, window=5).fit(series, sample_weight=weights)
        asking = WeightRecorder().set_fit_request(sample_weight=True)
        model = WindowedForecaster(asking, window=5).fit(series, sample_weight=weights)
        unset = WindowedForecaster(WeightRecorder(), window=5)
        unset.fit(series, sample_weight=weights)
    assert model.estimator_.sample_weight_ is not None
    assert_allclose(unset.estimator_.sample_weight_, model.estimator_.sample_weight_)
