"""State carried between calls: set_params, refits that fail, refits on other data."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from skseq import ConformalForecaster, FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest


def linear():
    return make_pipeline(FlattenSequence(), LinearRegression())


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(0)
    dates = pd.date_range("2022-01-01", periods=30, freq="D")
    frames = [
        pd.DataFrame({"store": k, "sales": 10 + rng.random(30)}, index=dates)
        for k in "ab"
    ]
    return pd.concat(frames)


def test_a_failed_series_refit_leaves_the_panel_fit_whole(panel):
    model = WindowedForecaster(linear(), window=4, horizon=2, series_id="store")
    expected = model.fit(panel).forecast(panel)
    too_short = panel.loc[panel["store"] == "a", "sales"]
    model.set_params(series_id=None, window=40)
    with pytest.raises(ValueError, match="too short"):
        model.fit(too_short)
    pd.testing.assert_frame_equal(model.forecast(panel), expected)


@pytest.mark.parametrize("series_id", [None, "shop"])
def test_backtest_of_a_fitted_panel_model_ignores_set_params_until_refit(
    panel, series_id
):
    model = WindowedForecaster(linear(), window=4, horizon=2, series_id="store")
    model.fit(panel[panel.index < "2022-01-21"])
    errors, forecasts = backtest(model, panel, "2022-01-22")
    model.set_params(series_id=series_id)  # takes effect at the next fit
    again = backtest(model, panel, "2022-01-22")
    pd.testing.assert_frame_equal(again[0], errors)
    pd.testing.assert_frame_equal(again[1], forecasts)


def test_backtest_scores_the_intervals_of_the_fitted_model_not_set_params(panel):
    series = panel.loc[panel["store"] == "a", "sales"]
    model = WindowedForecaster(ConformalForecaster(NaiveForecaster()), window=4)
    model.fit(series[:20])
    expected = backtest(model, series, 22, scoring="interval_coverage_80")
    model.set_params(estimator=NaiveForecaster())  # no intervals: next fit only
    again = backtest(model, series, 22, scoring="interval_coverage_80")
    pd.testing.assert_frame_equal(again[0], expected[0])
