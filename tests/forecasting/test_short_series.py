"""Model selection on short series: splits that can train, defaults that fit,
scores that follow the metric, dates for every index."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import SeriesSplit, WindowedForecaster


def ridge():
    return make_pipeline(FlattenSequence(), Ridge(alpha=1e-6))


def monthly(n, start="2010-01"):
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(size=n)
    return pd.Series(values, pd.date_range(start, periods=n, freq="MS"), name="y")


# -- SeriesSplit ------------------------------------------------------------------
def test_series_split_refuses_a_first_fold_without_a_training_window():
    # The trend-and-seasonality page's search on 132 months: lookback=24 + 13,
    # horizon=12 left 23 training rows in fold 1, and every candidate NaN.
    cv = SeriesSplit(3, test_size=24, lookback=24 + 13, horizon=12)
    with pytest.raises(ValueError, match=r"fold 1 number 23, fewer than .* = 49"):
        list(cv.split(np.zeros(132)))
    with pytest.raises(ValueError, match="every fold .max_train_size. number 20"):
        list(
            SeriesSplit(
                2, test_size=5, horizon=3, lookback=20, max_train_size=20
            ).split(np.zeros(100))
        )
    # exactly one training window is enough
    folds = list(
        SeriesSplit(3, test_size=24, lookback=37, horizon=12).split(
            np.zeros(72 + 37 + 49)
        )
    )
    assert len(folds[0][0]) == 49


def test_a_search_whose_folds_cannot_train_raises_instead_of_a_nan_best():
    series = monthly(132)
    model = WindowedForecaster(ridge(), window=24, horizon=12)
    cv = SeriesSplit(3, test_size=24, lookback=24 + 13, horizon=12)
    search = GridSearchCV(model, {"difference": [None, 1, 12, (1, 12)]}, cv=cv)
    with pytest.raises(ValueError, match="fold 1 number 23"):
        search.fit(series)


@pytest.mark.parametrize(
    "scoring", ["neg_mean_absolute_error", "neg_mean_squared_error"]
)
def test_test_size_equal_to_horizon_scores_by_mae_and_mse(scoring):
    # test_size=horizon was refused for every metric, as if all needed R^2's 2
    series = monthly(36)
    model = WindowedForecaster(ridge(), window=6, horizon=6)
    cv = SeriesSplit(2, test_size=6, horizon=6)
    scores = cross_val_score(
        model, series, series, cv=cv, scoring=scoring, error_score="raise"
    )
    assert np.isfinite(scores).all()


def test_series_split_refuses_a_panel():
    # On a long panel (series a, b, c one after another) SeriesSplit cut by row
    # number: every fold tested series c alone, with plausible scores.
    model = WindowedForecaster(ridge(), window=6, horizon=3, series_id="series")
    long = pd.concat([monthly(48).to_frame().assign(series=name) for name in "abc"])
    with pytest.raises(ValueError, match="PanelSplit"):
        cross_val_score(model, long, long["y"], cv=SeriesSplit(3, test_size=6))
    stacked = long.set_index("series", append=True).swaplevel()
    with pytest.raises(ValueError, match="PanelSplit"):
        list(SeriesSplit(2, test_size=6).split(stacked))


def test_series_split_docstring_states_the_checks():
    assert "lookback + horizon" in SeriesSplit.__doc__
    assert "test_size >= horizon + 1" in SeriesSplit.__doc__


# -- the index of the forecast ----------------------------------------------------
def _indexes(n):
    months = pd.period_range("2000-01", periods=n, freq="M", name="month")
    return {
        "period": (months, pd.period_range("2000-01", periods=n + 3, freq="M")[n:]),
        "years": (pd.Index(np.arange(1990, 1990 + n)), 1990 + n + np.arange(3)),
        "range": (
            pd.RangeIndex(1990, 1990 + 2 * n, 2),
            1990 + 2 * n + 2 * np.arange(3),
        ),
        "timedelta": (
            pd.timedelta_range("0h", periods=n, freq="h"),
            pd.timedelta_range(f"{n}h", periods=3, freq="h"),
        ),
    }


@pytest.mark.parametrize("kind", ["period", "years", "range", "timedelta"])
def test_forecast_continues_the_index_it_was_given(kind):
    index, expected = _indexes(30)[kind]
    series = pd.Series(np.arange(30.0), index=index, name="y")
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=3).fit(series)
    for y_pred in (model.forecast(series), model.forecast(series)):
        assert isinstance(y_pred, pd.Series) and y_pred.name == "y"
        assert type(y_pred.index) is type(index)
        assert list(y_pred.index) == list(expected)
        np.testing.assert_array_equal(y_pred, [29.0] * 3)
    frame = series.to_frame().assign(z=series * 2)
    two = WindowedForecaster(NaiveForecaster(), window=4, horizon=3).fit(frame)
    assert list(two.forecast(frame).index) == list(expected)


def test_predict_interval_continues_a_period_index():
    from skseq.forecasting import ConformalForecaster

    index, expected = _indexes(60)["period"]
    series = pd.Series(np.sin(np.arange(60.0)), index=index, name="y")
    model = WindowedForecaster(ConformalForecaster(ridge()), window=4, horizon=3)
    lower, upper = model.fit(series).forecast_interval(series)
    assert list(lower.index) == list(expected) == list(upper.index)
    assert (lower <= upper).all()


def test_array_forecast_stays_an_array():
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=3)
    y_pred = model.fit(np.arange(30.0)).forecast(np.arange(30.0))
    assert isinstance(y_pred, np.ndarray)


# -- window="auto" ----------------------------------------------------------------
def test_default_window_fits_a_36_month_series():
    # README usage on 36 months failed: "X has 28 time steps, too short for
    # window=56 plus horizon=8"
    series = monthly(36)
    model = WindowedForecaster(NaiveForecaster(), horizon=8).fit(series)
    assert model.window_ == (36 - 8 - 1) // 2 == 13
    assert model.n_windows_ >= model.window_ + 2
    assert len(model.forecast(series)) == 8


@pytest.mark.parametrize(
    ("freq", "n", "horizon"), [("MS", 36, 8), ("QS", 20, 4), ("YS", 30, 3)]
)
def test_default_window_leaves_the_linear_baseline_determined(freq, n, horizon):
    # The cap left n_windows == window (or window + 1) <= window + 1 weights, so
    # the docs' exact linear baseline, DenseForecaster(), interpolated its
    # training windows on every short series ("its forecasts are arbitrary").
    from skseq import DenseForecaster
    from skseq.exceptions import UnderdeterminedWarning

    values = 100 + np.arange(n) + np.random.default_rng(0).normal(size=n)
    series = pd.Series(values, pd.date_range("2000-01-01", periods=n, freq=freq))
    model = WindowedForecaster(DenseForecaster(), horizon=horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnderdeterminedWarning)
        model.fit(series)
    assert model.n_windows_ > model.window_ + 1  # more windows than weights


@pytest.mark.parametrize(
    ("params", "n_inputs"),
    [
        ({"target": "y", "past_covariates": ["a", "b", "c"]}, 4),
        ({"target": "y", "past_covariates": "a", "future_covariates": "b"}, 2 + 3),
        ({"target": ["y", "a", "b"]}, 3),
    ],
    ids=["3-past", "past-and-future", "3-targets"],
)
def test_default_window_counts_every_input_of_a_step(params, n_inputs):
    # The cap counted one input per step: with covariates (or several targets)
    # DenseForecaster() had window * k + 1 > n_windows weights on 36 months.
    from skseq import DenseForecaster
    from skseq.exceptions import UnderdeterminedWarning

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.normal(size=(36, 4)),
        columns=["y", "a", "b", "c"],
        index=pd.date_range("2000-01-01", periods=36, freq="MS"),
    )
    model = WindowedForecaster(DenseForecaster(), horizon=3, difference=None, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnderdeterminedWarning)
        model.fit(frame)
    assert model.n_windows_ > model.window_ * n_inputs + 1  # windows > weights
    assert model.window_ == (36 - 3 - 1) // (n_inputs + 1)


@pytest.mark.parametrize(
    ("freq", "n", "params", "expected"),
    [
        ("MS", 200, {}, 24),  # twice the yearly season of monthly data
        ("QS", 80, {}, 8),
        ("D", 400, {}, 56),  # no season rule: the chapter's default
        (None, 400, {}, 56),  # arrays
        ("MS", 40, {"difference": (1, 12), "horizon": 3}, 11),  # (40-13-3-1)//2
        ("D", 30, {"horizon": 40}, 1),  # too short for anything: then refused
    ],
)
def test_auto_window_rule(freq, n, params, expected):
    values = np.arange(1.0, n + 1)
    series = (
        values
        if freq is None
        else pd.Series(values, pd.date_range("2000-01-01", periods=n, freq=freq))
    )
    model = WindowedForecaster(NaiveForecaster(), **params)
    if expected == 1:
        with pytest.raises(ValueError, match="too short for window=1"):
            model.fit(series)
        return
    assert model.fit(series).window_ == expected
    assert model.window == "auto"  # the parameter is left as given


def test_explicit_window_is_kept_and_checked():
    series = monthly(36)
    assert WindowedForecaster(NaiveForecaster(), window=30).fit(series).window_ == 30
    with pytest.raises(ValueError, match="too short for window=40"):
        WindowedForecaster(NaiveForecaster(), window=40).fit(series)
    with pytest.raises((TypeError, ValueError), match="window"):
        WindowedForecaster(NaiveForecaster(), window="long").fit(series)


def test_backtest_reads_a_period_start_and_keeps_the_periods():
    from skseq.forecasting import backtest

    index, _ = _indexes(40)["period"]
    series = pd.Series(np.arange(40.0), index=index, name="y")
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=2)
    scores, forecasts = backtest(model, series, start="2002-07")
    assert forecasts.index[0] == pd.Period("2002-07", freq="M")
    assert isinstance(forecasts.index, pd.PeriodIndex)
    with pytest.raises(ValueError, match="start='1999-01' is not a period"):
        backtest(model, series, start="1999-01")
