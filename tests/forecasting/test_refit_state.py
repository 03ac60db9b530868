"""State carried between calls: set_params, refits that fail, refits on other data."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence
from skseq.forecasting import WindowedForecaster


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
