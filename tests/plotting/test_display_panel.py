"""ForecastDisplay.from_estimator on a panel model draws one series, not its id."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence
from skseq.forecasting import WindowedForecaster
from skseq.plotting import ForecastDisplay


@pytest.fixture(scope="module")
def panel():
    steps = np.arange(40.0)
    days = pd.date_range("2024-01-01", periods=40, freq="D")
    frames = [
        pd.DataFrame(
            {"store": store, "sales": 100.0 * (store + 1) + steps + np.sin(steps)},
            index=days,
        )
        for store in (7, 8)
    ]
    return pd.concat(frames)


def _model():
    return WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()),
        window=5,
        horizon=3,
        difference=None,
        series_id="store",
        target="sales",
    )


def _layouts(panel):
    """One series (store 8) of the panel in each layout, and the whole panel."""
    multi = panel.set_index("store", append=True).swaplevel()
    frames = {k: rows.drop(columns="store") for k, rows in panel.groupby("store")}
    return {
        "long": (panel, panel[panel["store"] == 8]),
        "multiindex": (multi, multi.xs(8, level="store", drop_level=False)),
        "dict": (frames, {8: frames[8]}),
    }


@pytest.mark.parametrize("layout", ["long", "multiindex", "dict"])
def test_one_series_of_a_panel_is_drawn_at_its_values(panel, layout):
    # the forecast line drew the id column (8, 8, 8), the history mixed series
    whole, one = _layouts(panel)[layout]
    model = _model().fit(whole)
    display = ForecastDisplay.from_estimator(model, one, n_history=10)
    past, forecast = display.ax_.lines[:2]
    sales = panel.loc[panel["store"] == 8, "sales"]
    assert_allclose(past.get_ydata(), sales.iloc[-10:])
    expected = model.forecast(one)["sales"].to_numpy()
    assert_allclose(forecast.get_ydata(), expected)
    assert forecast.get_ydata().min() > 200  # store 8's level, not its id
    assert pd.Timestamp(forecast.get_xdata()[0]) == pd.Timestamp("2024-02-10")


@pytest.mark.parametrize("layout", ["long", "multiindex", "dict"])
def test_several_series_of_a_panel_are_refused(panel, layout):
    whole, _ = _layouts(panel)[layout]
    model = _model().fit(whole)
    message = r"holds 2 series of the panel \(store: 7, 8\)"
    with pytest.raises(ValueError, match=message):
        ForecastDisplay.from_estimator(model, whole)


def test_a_fitted_search_is_drawn_from_its_best_forecaster(panel):
    # GridSearchCV has predict (each row of its input), not forecast: the plot
    # failed with predict's "X must start right after the series seen in fit"
    from sklearn.model_selection import GridSearchCV

    from skseq.forecasting import SeriesSplit

    sales = panel.loc[panel["store"] == 7, "sales"]
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()), horizon=3, difference=None
    )
    cv = SeriesSplit(2, test_size=6, lookback=6, horizon=3)
    search = GridSearchCV(model, {"window": [4, 6]}, cv=cv).fit(sales)
    display = ForecastDisplay.from_estimator(search, sales)
    forecast = display.ax_.lines[1]
    assert_allclose(forecast.get_ydata(), search.best_estimator_.forecast(sales))
    window = search.best_params_["window"]
    assert display.ax_.get_title() == f"Ridge, window {window}, horizon 3"
