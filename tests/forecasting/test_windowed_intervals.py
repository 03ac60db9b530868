"""WindowedForecaster.predict_interval: the wrapped estimator's interval, dated and
in the units of the series."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import ConformalForecaster, FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster


def random_walk(n, seed=0, start=100.0):
    steps = np.random.default_rng(seed).normal(size=n)
    days = pd.date_range("2020-01-01", periods=n, freq="D")
    return pd.Series(start + np.cumsum(steps), index=days, name="level")


def conformal_naive(**params):
    return WindowedForecaster(
        ConformalForecaster(NaiveForecaster(), calibration_fraction=0.5),
        window=3,
        horizon=2,
        **params,
    )


@pytest.mark.parametrize("params", [{}, {"scale": False}, {"target_transform": "log"}])
def test_bounds_are_dated_like_the_forecast_and_hold_it(params):
    series = random_walk(400)
    model = conformal_naive(**params).fit(series)
    forecast = model.forecast(series)
    lower, upper = model.forecast_interval(series, coverage=0.8)
    for bound in (lower, upper):
        assert isinstance(bound, pd.Series) and bound.index.equals(forecast.index)
        assert bound.name == "level"
    assert (lower < forecast).all() and (forecast < upper).all()
    wider = model.forecast_interval(series, coverage=0.95)
    assert (wider[0] < lower).all() and (upper < wider[1]).all()


def test_intervals_hold_their_coverage_on_a_random_walk():
    # the naive forecast's errors on a random walk are i.i.d. at each step, so
    # split-conformal bounds cover the truth at the nominal rate
    series = random_walk(1400, seed=3)
    model = conformal_naive().fit(series.iloc[:1000])
    hits = []
    for end in range(1000, 1398):
        lower, upper = model.forecast_interval(series.iloc[:end], coverage=0.9)
        truth = series.iloc[end : end + 2].to_numpy()
        hits.append((lower.to_numpy() <= truth) & (truth <= upper.to_numpy()))
    assert np.mean(hits) == pytest.approx(0.9, abs=0.04)


def test_scaled_bounds_are_in_series_units():
    series = random_walk(300) * 1000
    scaled = conformal_naive().fit(series)
    raw = conformal_naive(scale=False).fit(series)
    for a, b in zip(
        scaled.forecast_interval(series), raw.forecast_interval(series), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-9)


def test_refused_without_an_interval():
    # with difference, see test_conformal_difference.py
    series = random_walk(200)
    ridge = make_pipeline(FlattenSequence(), Ridge())
    model = WindowedForecaster(ridge, window=3).fit(series)
    with pytest.raises(ValueError, match="ConformalForecaster"):
        model.forecast_interval(series)


def test_forecast_display_draws_the_interval():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skseq.plotting import ForecastDisplay

    series = random_walk(300)
    model = conformal_naive().fit(series)
    display = ForecastDisplay.from_estimator(model, series, coverage=0.9)
    lower, upper = model.forecast_interval(series, coverage=0.9)
    np.testing.assert_allclose(display.lower, lower)
    np.testing.assert_allclose(display.upper, upper)
    plt.close("all")
