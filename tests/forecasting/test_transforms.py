"""Trend and seasonality: differencing and target transforms in WindowedForecaster."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from skseq import DenseForecaster, FlattenSequence, NaiveForecaster
from skseq.forecasting import SeriesSplit, WindowedForecaster, backtest
from skseq.forecasting._transforms import difference, integrate

LAGS = [(1,), (2,), (7,), (1, 1), (1, 12), (12, 1), (1, 1, 7)]


def linear():
    return make_pipeline(FlattenSequence(), LinearRegression())


class LastYear(RegressorMixin, BaseEstimator):
    """Seasonal naive (12 steps) in float64 (NaiveForecaster computes in float32)."""

    def fit(self, X, y):
        self.horizon_ = 1 if np.ndim(y) == 1 else np.shape(y)[1]
        return self

    def predict(self, X):
        steps = np.asarray(X)[:, -12:, 0][:, : self.horizon_]
        return steps[:, 0] if self.horizon_ == 1 else steps


def trend_and_season(n=120, *, start="2010-01-01", log=False):
    """A linear trend plus a yearly season, monthly; exp() of it with ``log``."""
    t = np.arange(n, dtype=np.float64)
    season = np.array([0, 2, 5, 3, 1, -1, -4, -6, -3, 0, 1, 2], dtype=np.float64)
    values = 10 + 0.5 * t + season[t.astype(int) % 12]
    if log:
        values = np.exp(values / 20)
    months = pd.date_range(start, periods=n, freq="MS", name="month")
    return pd.Series(values, index=months, name="y")


# -- exact inversion ------------------------------------------------------------------
@pytest.mark.parametrize("lags", LAGS)
@pytest.mark.parametrize("horizon", [1, 5, 30])
def test_integrate_inverts_difference_for_every_order_and_horizon(lags, horizon):
    rng = np.random.default_rng(sum(lags) + horizon)
    series = rng.normal(size=(150, 2)).cumsum(axis=0)
    integers = np.round(series * 100)  # sums of integers are exact in float64
    n_diff = sum(lags)
    starts = np.arange(n_diff + 3, 150 - horizon + 1, 7)  # first step of each forecast
    for values, exact in ((series, False), (integers, True)):
        diffs = difference(values, lags)  # diffs[j] is the change at step j + n_diff
        forecasts = np.stack([diffs[s - n_diff : s - n_diff + horizon] for s in starts])
        history = np.stack([values[s - n_diff - 3 : s] for s in starts])
        levels = integrate(forecasts, history, lags)
        expected = np.stack([values[s : s + horizon] for s in starts])
        assert levels.dtype == np.float64 and levels.shape == expected.shape
        if exact:
            np.testing.assert_array_equal(levels, expected)
        else:
            np.testing.assert_allclose(levels, expected, rtol=1e-12, atol=1e-12)


def test_difference_shortens_by_the_sum_of_lags():
    values = np.arange(30.0).reshape(15, 2) ** 2
    assert difference(values, (1, 7)).shape == (7, 2)
    np.testing.assert_array_equal(difference(values, ()), values)
    np.testing.assert_array_equal(difference(values, (1, 1))[:, 0], 8.0)  # (2t)^2


# -- forecasts in the series' units --------------------------------------------------
@pytest.mark.parametrize("lags", [1, (1, 12)])
def test_linear_model_recovers_trend_plus_season_exactly(lags):
    series = trend_and_season(132)
    train, test = series.iloc[:108], series.iloc[108:]
    model = WindowedForecaster(linear(), window=24, horizon=24, difference=lags)
    forecast = model.fit(train).forecast(train)
    pd.testing.assert_index_equal(forecast.index, test.index)
    assert forecast.index.freq == "MS" and forecast.dtype == np.float64
    np.testing.assert_allclose(forecast.to_numpy(), test.to_numpy(), atol=1e-8)
    assert model.difference_ == ((1,) if lags == 1 else lags)
    assert model.score(series.iloc[60:]) == pytest.approx(1.0, abs=1e-12)


def test_without_differencing_a_seasonal_naive_misses_the_trend():
    series = trend_and_season(132)
    train, test = series.iloc[:108], series.iloc[108:]
    naive = WindowedForecaster(LastYear(), window=12, horizon=12, difference=None)
    plain = naive.fit(train).forecast(train)
    np.testing.assert_allclose(test[:12] - plain, 6.0, atol=1e-9)  # 12 months x 0.5
    # naive on the first difference: last year's changes from the last level
    drifting = naive.set_params(difference=1).fit(train).forecast(train)
    np.testing.assert_allclose(drifting, test[:12], atol=1e-9)


def test_log_transform_makes_a_multiplicative_season_additive():
    series = trend_and_season(132, log=True)
    train, test = series.iloc[:108], series.iloc[108:]
    model = WindowedForecaster(
        linear(), window=24, horizon=12, target_transform="log", difference=1
    )
    forecast = model.fit(train).forecast(train)
    np.testing.assert_allclose(forecast, test[:12], rtol=1e-9)
    assert model.target_transform_.func is np.log


@pytest.mark.parametrize(
    "transform",
    ["log", "box-cox", FunctionTransformer(np.sqrt, inverse_func=np.square)],
)
def test_target_transforms_are_inverted(transform):
    """A naive forecast survives transform + inverse (and + differencing)."""
    series = trend_and_season(60)
    naive = WindowedForecaster(
        LastYear(), window=12, horizon=6, target_transform=transform, difference=None
    )
    forecast = naive.fit(series).forecast(series)
    np.testing.assert_allclose(forecast, series.iloc[-12:-6], rtol=1e-10)
    drift = naive.set_params(difference=12).fit(series).forecast(series)
    # one step: last year's value plus last year's yearly change, transformed
    levels = naive.target_transform_.transform(series.to_numpy()[:, None])[:, 0]
    change = 2 * levels[-12] - levels[-24]
    expected = naive.target_transform_.inverse_transform([[change]])[0, 0]
    np.testing.assert_allclose(drift.iloc[0], expected, rtol=1e-10)


def test_recursive_strategy_is_integrated_from_the_last_level():
    """The network forecasts changes recursively; the wrapper sums them onto the
    last value of the series."""
    series = trend_and_season(80)
    network = DenseForecaster(strategy="recursive", epochs=1, random_state=0)
    model = WindowedForecaster(network, window=12, horizon=4, difference=1)
    forecast = model.fit(series).forecast(series)
    changes = StandardScaler().fit(np.diff(series.to_numpy())[:, None])
    window = changes.transform(np.diff(series.to_numpy()[-13:])[:, None])
    steps = model.estimator_.predict(window[None]).reshape(-1, 1)
    expected = series.iloc[-1] + np.cumsum(changes.inverse_transform(steps))
    np.testing.assert_allclose(forecast, expected, rtol=1e-6)


def test_backtest_integrates_each_forecast_from_its_own_history():
    series = trend_and_season(100)
    model = WindowedForecaster(
        LastYear(), window=12, horizon=3, difference=(1, 12)
    ).fit(series.iloc[:70])  # up to 2015-10: backtested after it
    errors, forecasts = backtest(model, series, start="2015-11-01")
    np.testing.assert_allclose(errors.to_numpy(), 0.0, atol=1e-9)
    for date in ["2015-11-01", "2016-02-01"]:
        expected = model.forecast(
            series[: pd.Timestamp(date) - pd.DateOffset(months=1)]
        )
        np.testing.assert_allclose(forecasts.loc[date].to_numpy(), expected)
    with pytest.raises(ValueError, match=r"window=12 \+ sum\(difference=\(1, 12\)\)"):
        backtest(model, series, start=20)


def test_covariates_stay_aligned_with_differenced_targets():
    """y changes by the known-future x of the same step: exact only if the
    covariate rows are dropped along with the differenced-away target rows."""
    x = np.random.default_rng(0).normal(size=90)
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    frame = pd.DataFrame({"y": 3 + np.cumsum(x), "x": x}, index=days)
    model = WindowedForecaster(
        linear(), window=3, horizon=2, target="y", future_covariates="x", difference=1
    ).fit(frame.iloc[:80])
    forecast = model.forecast(frame.iloc[:80], future=frame[["x"]].iloc[80:82])
    np.testing.assert_allclose(forecast, frame["y"].iloc[80:82], atol=1e-8)


# -- search without leakage -----------------------------------------------------------
class RecordingNaive(NaiveForecaster):
    """Records the largest training target of each fit (a differenced square
    series has increasing, distinct changes, so this names the latest row)."""

    fits = []

    def fit(self, X, y):
        RecordingNaive.fits.append(float(np.asarray(y).max()))
        return super().fit(X, y)


def test_grid_search_over_difference_differences_each_fold_alone():
    t = np.arange(150, dtype=np.float64)
    squares = t**2  # row r changes by 2r - 1 from row r - 1
    model = WindowedForecaster(RecordingNaive(), window=4, horizon=2, scale=False)
    cv = SeriesSplit(3, test_size=20, lookback=6, horizon=2)
    RecordingNaive.fits = []
    search = GridSearchCV(model, {"difference": [None, 1, (1, 1)]}, cv=cv).fit(squares)
    folds = [train[-1] for train, _ in cv.split(squares)]
    fits = np.reshape(RecordingNaive.fits[:9], (3, 3))
    np.testing.assert_array_equal(fits[0], squares[folds])  # levels: last row squared
    np.testing.assert_array_equal(fits[1], 2 * np.array(folds) - 1.0)  # changes
    np.testing.assert_array_equal(fits[2], 2.0)  # second differences
    # second differences of a parabola are constant: the naive forecast is exact
    assert search.best_params_ == {"difference": (1, 1)}
    assert search.best_score_ == pytest.approx(1.0)


def test_grid_search_prefers_differencing_a_trend():
    series = trend_and_season(144)
    model = WindowedForecaster(NaiveForecaster(season=12), window=12, horizon=6)
    cv = SeriesSplit(3, test_size=12, lookback=25, horizon=6)
    search = GridSearchCV(model, {"difference": [None, 1, 12]}, cv=cv).fit(series)
    assert search.best_params_["difference"] in (1, 12)
    assert search.best_score_ == pytest.approx(1.0)


# -- errors ---------------------------------------------------------------------------
@pytest.mark.parametrize("transform", ["log", "box-cox"])
def test_values_a_transform_cannot_take_are_refused(transform):
    series = trend_and_season(60)
    bad = series.copy()
    bad.iloc[5] = 0.0
    model = WindowedForecaster(linear(), window=12, target_transform=transform)
    with pytest.raises(ValueError, match=r"cannot take the target value 0\.0.*> 0"):
        model.fit(bad)
    model.fit(series)
    negative = series.copy()
    negative.iloc[-3] = -1.0
    with pytest.raises(ValueError, match=r"-1\.0 \(column 'y', at 2014-10-01"):
        model.forecast(negative)
    with pytest.raises(ValueError, match="target_transform"):
        model.score(negative)


def test_predict_names_the_date_of_a_value_the_transform_cannot_take():
    # predict(X) prepends the kept training rows: the refused value's place
    # must be X's date, not its position among those rows and X's
    series = trend_and_season(60)
    model = WindowedForecaster(linear(), window=12, horizon=3, target_transform="log")
    model.fit(series.iloc[:48], series.iloc[:48])
    test = series.iloc[48:].copy()
    test.iloc[4] = 0.0
    with pytest.raises(ValueError, match=rf"0\.0 \(column 'y', at {test.index[4]}"):
        model.predict(test)


class FarBelow(RegressorMixin, BaseEstimator):
    """Forecasts 100 standard deviations below the mean (in model units)."""

    def fit(self, X, y):
        self.shape_ = np.shape(y)[1:]
        return self

    def predict(self, X):
        return np.full((len(X), *self.shape_), -100.0)


def test_a_forecast_box_cox_cannot_invert_is_refused_not_nan():
    # Box-Cox (lambda > 0) has no inverse below -1/lambda: forecast and predict
    # returned NaN silently, and score and backtest failed on "Input contains NaN"
    series = trend_and_season(60)
    model = WindowedForecaster(
        FarBelow(), window=12, horizon=2, target_transform="box-cox", difference=None
    ).fit(series[:48])
    assert model.target_transform_.lambdas_[0] > 0
    match = "inverse of target_transform has no value at some forecasts"
    with pytest.raises(ValueError, match=match):
        model.forecast(series[:48])
    with pytest.raises(ValueError, match=match):
        model.predict(series[48:])
    with pytest.raises(ValueError, match=match):
        model.score(series[48:], series[48:])


def test_a_custom_transform_returning_nan_is_refused():
    series = trend_and_season(60) - 20
    model = WindowedForecaster(
        linear(),
        window=12,
        target_transform=FunctionTransformer(np.sqrt, np.square, check_inverse=False),
    )
    with pytest.raises(ValueError, match="returns NaN or infinity"):
        model.fit(series)


def test_a_transform_changing_the_target_columns_is_refused():
    # 2 targets -> 1 column: fit passed, forecast crashed in a reshape
    y = trend_and_season(60)
    frame = pd.DataFrame({"a": y, "b": 2 * y})
    transform = FunctionTransformer(
        lambda x: x[:, :1],
        inverse_func=lambda x: np.hstack([x, 2 * x]),
        check_inverse=False,
    )
    model = WindowedForecaster(
        linear(), window=12, horizon=2, target_transform=transform, difference=None
    )
    with pytest.raises(ValueError, match=r"turns the targets of shape \(60, 2\)"):
        model.fit(frame)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"target_transform": "sqrt"}, ValueError, "target_transform must be one of"),
        ({"target_transform": StandardScaler}, TypeError, "invertible transformer"),
        ({"target_transform": object()}, TypeError, "invertible transformer"),
        ({"difference": -1}, ValueError, "difference must be None, a lag"),
        ({"difference": 1.5}, ValueError, "difference must be None, a lag"),
        ({"difference": "1"}, ValueError, "difference must be None, a lag"),
        ({"difference": True}, ValueError, "difference must be None, a lag"),
        ({"difference": (1, 0)}, ValueError, "difference must be None, a lag"),
        ({"difference": (1, 12), "window": 40}, ValueError, r"needs at least 54"),
    ],
)
def test_bad_parameters(params, error, match):
    model = WindowedForecaster(linear(), window=12).set_params(**params)
    with pytest.raises(error, match=match):
        model.fit(trend_and_season(52))


def test_predict_needs_the_differenced_history():
    series = trend_and_season(60)
    model = WindowedForecaster(linear(), window=12, difference=(1, 12)).fit(series)
    assert model.forecast(series.iloc[-25:]).equals(model.forecast(series))
    with pytest.raises(ValueError, match="a forecast needs 25 rows of history"):
        model.forecast(series.iloc[-24:])


def _counts():
    return pd.Series(
        600.0 + 50 * np.sin(np.arange(60) / 3),
        index=pd.date_range("2024-01-01", periods=60, freq="D"),
        name="count",
    )


def test_a_transform_without_inverse_warns_and_names_the_fix():
    # FunctionTransformer(np.log1p) inverts as the identity: log units came back
    series = _counts()
    model = WindowedForecaster(
        NaiveForecaster(), window=4, target_transform=FunctionTransformer(np.log1p)
    )
    with pytest.warns(UserWarning, match=r"inverse_func=np\.expm1"):
        model.fit(series)
    assert model.forecast(series).iloc[0] < 10  # 6.40: the warning is the fix


def test_a_scaler_without_inverse_warns():
    series = _counts()
    model = WindowedForecaster(
        NaiveForecaster(), window=4, scale=FunctionTransformer(lambda v: v / 100)
    )
    with pytest.warns(UserWarning, match="scale=.*does not undo"):
        model.fit(series)


@pytest.mark.parametrize(
    "transform",
    [
        "log",
        "box-cox",
        FunctionTransformer(np.log1p, inverse_func=np.expm1),
        StandardScaler(),
    ],
)
def test_invertible_transforms_do_not_warn(transform):
    series = _counts()
    model = WindowedForecaster(
        NaiveForecaster(), window=4, target_transform=transform, difference=1
    ).fit(series)  # pytest turns any warning into an error
    forecast = model.forecast(series).iloc[0]  # in the series' units
    assert abs(forecast - series.iloc[-1]) < 2 * abs(series.diff().iloc[-1]) + 1e-3


@pytest.mark.parametrize("param", ["target_transform", "scale"])
def test_an_inverse_without_its_transform_warns(param):
    # FunctionTransformer(inverse_func=...) transforms as the identity but inverts:
    # sklearn checks only pairs, so nothing warned (forecast 2.35e17 for 40)
    series = _counts()
    model = WindowedForecaster(
        NaiveForecaster(), window=4, **{param: FunctionTransformer(inverse_func=np.exp)}
    )
    with pytest.warns(UserWarning, match="does not undo"):
        model.fit(series)
