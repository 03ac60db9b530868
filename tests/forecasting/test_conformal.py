"""Split-conformal intervals: coverage, shapes, parameters and errors."""

import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.model_selection import GridSearchCV

from skseq import ConformalForecaster, DenseForecaster, GRUForecaster, NaiveForecaster
from skseq.forecasting._conformal import conformal_bounds, sorted_residuals

FAST = {"epochs": 2, "batch_size": 64, "random_state": 0}


def _random_walks(n_samples, horizon, n_targets=1, seed=0):
    """Random walks: the naive forecast's errors are i.i.d. Gaussian sums."""
    steps = np.random.default_rng(seed).normal(size=(n_samples, 8 + horizon, n_targets))
    series = np.cumsum(steps, axis=1)
    return series[:, :8], series[:, 8:]


def _coverage(y, lower, upper):
    return np.mean((lower <= y) & (y <= upper), axis=0)


class _ZeroForecaster(RegressorMixin, BaseEstimator):
    """Forecasts 0 and records what it was fitted on."""

    def fit(self, X, y):
        self.n_fitted_ = len(X)
        self.y_shape_ = np.shape(y)[1:]
        return self

    def predict(self, X):
        return np.zeros((len(X), *self.y_shape_))


@pytest.mark.parametrize("coverage", [0.8, 0.9])
def test_naive_intervals_hold_their_coverage_on_iid_errors(coverage):
    X, y = _random_walks(4000, 1)
    y = y[:, 0, 0]
    # fit (nothing) on 1000 samples, calibrate on 1000, test on 2000: the
    # coverage's standard error is about 0.015 at 80%
    model = ConformalForecaster(NaiveForecaster(), calibration_fraction=0.5)
    model.fit(X[:2000], y[:2000])
    lower, upper = model.predict_interval(X[2000:], coverage=coverage)
    assert abs(_coverage(y[2000:], lower, upper) - coverage) < 0.03


def test_dense_intervals_hold_their_coverage_at_every_step_and_target():
    # A linear model barely trained: the guarantee does not need a good model.
    # 1000 calibration and 2000 test points: standard error about 0.012.
    rng = np.random.default_rng(1)
    X = rng.normal(size=(4000, 6, 2)).astype(np.float32)
    signal = X[:, -1:, :] * np.array([1.0, -2.0], np.float32)
    y = signal + rng.normal(scale=0.5, size=(4000, 3, 2)).astype(np.float32)
    model = ConformalForecaster(DenseForecaster(**FAST), calibration_fraction=0.5)
    model.fit(X[:2000], y[:2000])
    lower, upper = model.predict_interval(X[2000:], coverage=0.9)
    assert lower.shape == upper.shape == (2000, 3, 2)
    per_output = _coverage(y[2000:], lower, upper)
    assert np.all(np.abs(per_output - 0.9) < 0.04), per_output


@pytest.mark.parametrize(
    "horizon, n_targets, y_ndim, expected",
    [(1, 1, 1, (7,)), (4, 1, 2, (7, 4)), (4, 2, 3, (7, 4, 2))],
)
def test_intervals_take_the_shape_of_y(horizon, n_targets, y_ndim, expected):
    X, y = _random_walks(300, horizon, n_targets)
    y = y.reshape(y.shape[:y_ndim]) if y_ndim > 1 else y[:, 0, 0]
    model = ConformalForecaster(NaiveForecaster()).fit(X, y)
    lower, upper = model.predict_interval(X[:7])
    assert model.predict(X[:7]).shape == lower.shape == upper.shape == expected
    assert model.residuals_.shape == (60, horizon, n_targets)


def test_any_coverage_after_one_fit_widens_with_coverage():
    X, y = _random_walks(400, 3)
    model = ConformalForecaster(NaiveForecaster()).fit(X, y)
    widths = [
        np.mean(np.subtract(*model.predict_interval(X[:5], coverage)[::-1]))
        for coverage in (0.5, 0.8, 0.9, 0.95)
    ]
    assert np.all(np.diff(widths) > 0)
    center = np.mean(model.predict_interval(X[:5], 0.8), axis=0)
    np.testing.assert_allclose(center, model.predict(X[:5]), atol=1e-6)


def test_calibrates_on_the_latest_samples_after_a_gap():
    X = np.arange(100.0).reshape(20, 5)
    y = np.arange(20.0)
    model = ConformalForecaster(_ZeroForecaster(), calibration_fraction=0.25, gap=2)
    model.fit(X, y)
    assert model.estimator_.n_fitted_ == 20 - 5 - 2
    np.testing.assert_array_equal(model.residuals_[:, 0, 0], np.arange(15.0, 20.0))
    refitted = clone(model).set_params(refit=True).fit(X, y)
    assert refitted.estimator_.n_fitted_ == 20
    np.testing.assert_array_equal(refitted.residuals_, model.residuals_)


def test_conformal_quantile_rank():
    residuals = sorted_residuals(np.arange(1.0, 20.0)[:, None], np.zeros((19, 1)))
    # n = 19: 0.9 -> rank ceil(20 * 0.9) = 18, 0.95 -> rank 19 (the largest)
    lower, upper = conformal_bounds(np.zeros((1, 1)), residuals, 0.9)
    assert upper[0, 0] == 18 and lower[0, 0] == -18
    assert conformal_bounds(np.zeros((1, 1)), residuals, 0.95)[1][0, 0] == 19


def test_clone_get_params_and_grid_search():
    model = ConformalForecaster(GRUForecaster(4), calibration_fraction=0.3)
    params = model.get_params()
    assert params["calibration_fraction"] == 0.3
    assert params["estimator__units"] == 4
    copy = clone(model)
    assert copy.estimator is not model.estimator
    assert copy.get_params()["estimator__units"] == 4
    X, y = _random_walks(120, 2)
    search = GridSearchCV(
        ConformalForecaster(NaiveForecaster()), {"estimator__season": [1, 2]}, cv=2
    ).fit(X, y)
    assert search.best_params_["estimator__season"] in (1, 2)
    assert search.best_estimator_.predict_interval(X[:2])[0].shape == (2, 2, 1)


def test_pickles_with_a_keras_forecaster():
    X, y = _random_walks(100, 2)
    model = ConformalForecaster(DenseForecaster(**FAST)).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    for before, after in zip(
        model.predict_interval(X[:4]), restored.predict_interval(X[:4]), strict=True
    ):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize(
    "coverage, error, match",
    [
        (0.0, ValueError, "strictly between 0 and 1"),
        (1.0, ValueError, "strictly between 0 and 1"),
        (1.5, ValueError, "strictly between 0 and 1"),
        ("0.9", TypeError, "coverage must be a number"),
        (True, TypeError, "coverage must be a number"),
        (0.99, ValueError, "needs at least 99 calibration samples, but there are 20"),
    ],
)
def test_bad_coverage_is_refused(coverage, error, match):
    X, y = _random_walks(100, 1)
    model = ConformalForecaster(NaiveForecaster()).fit(X, y)
    with pytest.raises(error, match=match):
        model.predict_interval(X[:2], coverage=coverage)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"calibration_fraction": 1.0}, r"calibration_fraction must lie in \[0, 1\)"),
        ({"calibration_fraction": 0.0}, "at least one sample to fit on and one"),
        ({"gap": 9}, "at least one sample to fit on and one"),
        ({"gap": -1}, "gap must be >= 0"),
    ],
)
def test_bad_split_is_refused(params, match):
    X, y = _random_walks(10, 1)
    with pytest.raises(ValueError, match=match):
        ConformalForecaster(NaiveForecaster(), **params).fit(X, y)


def test_wraps_a_plain_sklearn_regressor_also_on_3d_targets():
    # WindowedForecaster hands a skseq forecaster 3D targets (n, horizon,
    # n_targets); a Ridge pipeline inside the conformal wrapper takes them flat.
    import pandas as pd
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skseq import FlattenSequence
    from skseq.forecasting import WindowedForecaster

    rng = np.random.default_rng(0)
    series = pd.Series(
        np.sin(np.arange(300) / 3) + rng.normal(scale=0.1, size=300),
        index=pd.date_range("2024-01-01", periods=300, freq="D"),
        name="y",
    )
    ridge = make_pipeline(FlattenSequence(), Ridge(alpha=1e-3))
    model = WindowedForecaster(ConformalForecaster(ridge), window=8, horizon=2)
    lower, upper = model.fit(series).forecast_interval(series, coverage=0.9)
    forecast = model.forecast(series)
    assert lower.index.equals(forecast.index)
    assert ((lower < forecast) & (forecast < upper)).all()
    X, y = rng.normal(size=(60, 5, 2)), rng.normal(size=(60, 3, 2))
    conformal = ConformalForecaster(ridge).fit(X, y)
    bounds = conformal.predict_interval(X[:4], coverage=0.8)
    assert conformal.predict(X[:4]).shape == bounds[0].shape == (4, 3, 2)


def test_wrong_nesting_names_the_right_one():
    # ConformalForecaster(WindowedForecaster(...)) failed on array shapes ("X
    # must be 2D ...", "missing ... 'y'") and WindowedForecaster of a
    # WindowedForecaster on "X must be a series ... (73, 6, 1)"
    import pandas as pd
    from sklearn.pipeline import make_pipeline

    from skseq.forecasting import WindowedForecaster

    series = pd.Series(
        np.sin(np.arange(60) / 3), pd.date_range("2024-01-01", periods=60, freq="D")
    )
    inner = WindowedForecaster(NaiveForecaster(), window=6, horizon=2)
    wrong = ConformalForecaster(inner)
    right = r"WindowedForecaster\(ConformalForecaster\(NaiveForecaster"
    for args in [(series,), (series, series)]:
        with pytest.raises(TypeError, match=right):
            wrong.fit(*args)
    with pytest.raises(TypeError, match=right):  # wrapped in a search
        ConformalForecaster(GridSearchCV(inner, {"window": [4, 6]})).fit(series)
    twice = WindowedForecaster(make_pipeline(inner), window=6, horizon=2)
    with pytest.raises(TypeError, match=r"pass the estimator it wraps.*Naive"):
        twice.fit(series)
    # the documented nesting works
    model = WindowedForecaster(ConformalForecaster(NaiveForecaster()), window=6)
    lower, upper = model.fit(series).forecast_interval(series, coverage=0.5)
    assert (lower <= upper).all()
