"""Split-conformal intervals of a differenced series, calibrated in its levels:
WindowedForecaster(ConformalForecaster(point model), difference=...)."""

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from skseq import ConformalForecaster, DenseForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest
from skseq.forecasting._conformal import conformal_quantile
from skseq.forecasting._conformal_levels import level_scores
from skseq.metrics import interval_coverage

# float32 ulps of the network's scaled outputs, summed over the horizon: PyTorch
# rounds a row differently in batches of other sizes (TensorFlow does not), and
# the calibration residuals come from the calibration windows alone.
FLOAT32_ROUNDING = 16 * np.finfo(np.float32).eps


def trended_seasonal(n=300, seed=0):
    """A trend, a season of 4 steps and a random walk: positive throughout."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    noise = np.cumsum(rng.normal(size=n))
    values = 60 + 0.3 * t + 5 * np.sin(2 * np.pi * t / 4) + noise
    days = pd.date_range("2000-01-01", periods=n, freq="D")
    return pd.Series(values, index=days, name="y")


def walk_with_drift(n, seed=0):
    steps = 0.5 + np.random.default_rng(seed).normal(size=n)
    days = pd.date_range("2000-01-01", periods=n, freq="D")
    return pd.Series(100 + np.cumsum(steps), index=days, name="y")


def conformal(lags, horizon=6, fraction=0.3, estimator=None, **params):
    estimator = DenseForecaster(solver="lstsq") if estimator is None else estimator
    return WindowedForecaster(
        ConformalForecaster(estimator, calibration_fraction=fraction),
        window=8,
        horizon=horizon,
        difference=lags,
        **params,
    )


def brute_force_half_width(model, series, coverage, transform=lambda v: v):
    """The conformal half-width of each step from the level errors of the
    calibration windows, computed in series units (or ``transform``'s)."""
    y_true, y_pred = model.window_forecasts(series)
    n_calibration = len(model.estimator_.residuals_)
    errors = transform(y_true[-n_calibration:]) - transform(y_pred[-n_calibration:])
    errors = np.sort(np.abs(errors), axis=0)
    return errors[math.ceil((n_calibration + 1) * coverage) - 1][:, 0]


# horizon 6 > lag 4: the seasonal integration couples steps of one forecast
@pytest.mark.parametrize("lags", [(1,), (1, 4)])
def test_level_interval_equals_the_brute_force_one(lags):
    series = trended_seasonal()
    model = conformal(lags).fit(series)
    # the claim behind it: each window's level errors are the integrated
    # residual vector of its differences (times the scale), nothing earlier
    y_true, y_pred = model.window_forecasts(series)
    n_calibration = len(model.estimator_.residuals_)
    errors = np.sort(np.abs(y_true - y_pred)[-n_calibration:], axis=0)
    scores = level_scores(model.estimator_.calibration_residuals_, lags)
    atol = FLOAT32_ROUNDING * model.target_scaler_.scale_[0]
    np.testing.assert_allclose(
        scores * model.target_scaler_.scale_, errors, rtol=0, atol=atol
    )

    half_width = brute_force_half_width(model, series, 0.8)
    forecast = model.forecast(series)
    lower, upper = model.forecast_interval(series, coverage=0.8)
    np.testing.assert_allclose(lower, forecast - half_width, rtol=0, atol=atol)
    np.testing.assert_allclose(upper, forecast + half_width, rtol=0, atol=atol)
    # the steps' errors add up: wider than the first step's
    assert half_width[-1] > 1.5 * half_width[0]


def test_row_mode_has_the_same_half_widths():
    series = trended_seasonal(312)
    train, test = series.iloc[:300], series.iloc[300:]
    model = conformal((1, 4)).fit(train)
    half_width = brute_force_half_width(model, train, 0.8)
    y_pred = model.predict(test)
    lower, upper = model.predict_interval(test, coverage=0.8)
    steps = np.tile(half_width, 2)  # 12 rows: two blocks of horizon 6
    atol = FLOAT32_ROUNDING * model.target_scaler_.scale_[0]
    np.testing.assert_allclose(lower, y_pred - steps, rtol=0, atol=atol)
    np.testing.assert_allclose(upper, y_pred + steps, rtol=0, atol=atol)
    assert lower.index.equals(test.index)


def test_log_target_bounds_are_formed_in_logs_and_stay_bounds():
    series = trended_seasonal()
    model = conformal((1, 4), target_transform="log").fit(series)
    half_width = brute_force_half_width(model, series, 0.8, np.log)
    forecast = model.forecast(series)
    lower, upper = model.forecast_interval(series, coverage=0.8)
    # in logs: the rounding becomes relative in levels
    rtol = FLOAT32_ROUNDING * model.target_scaler_.scale_[0]
    np.testing.assert_allclose(lower, forecast * np.exp(-half_width), rtol=rtol)
    np.testing.assert_allclose(upper, forecast * np.exp(half_width), rtol=rtol)
    assert (lower > 0).all() and (lower < forecast).all() and (forecast < upper).all()
    # in series units, not logs: around the series' last level
    assert abs(forecast.iloc[0] - series.iloc[-1]) < 0.2 * series.iloc[-1]
    assert (upper - forecast > forecast - lower).all()  # exp is convex
    wider = model.forecast_interval(series, coverage=0.95)
    assert (wider[0] < lower).all() and (upper < wider[1]).all()


def test_coverage_on_a_random_walk_with_drift_and_what_fails_it():
    # 1200 rows to fit (600 calibration windows), then 2000 held-out rows:
    # 500 blocks of 4 steps, each forecast from the true rows before it
    series = walk_with_drift(3200, seed=1)
    train, test = series.iloc[:1200], series.iloc[1200:]
    model = conformal(1, horizon=4, fraction=0.5).fit(train)
    y_pred = model.predict(test)
    lower, upper = model.predict_interval(test, coverage=0.9)
    truth = test.to_numpy()
    step = np.arange(len(test)) % 4

    def per_step(lower, upper):
        inside = (lower <= truth) & (truth <= upper)
        return np.array([inside[step == h].mean() for h in range(4)])

    cover = per_step(lower.to_numpy(), upper.to_numpy())
    assert np.abs(cover - 0.9).max() < 0.05, cover
    # bounds of the differences mapped as they are (the old width) miss more
    # and more; adding them up step by step covers far too much
    per_difference = conformal_quantile(model.estimator_.residuals_, 0.9)[:, 0]
    per_difference = per_difference * model.target_scaler_.scale_[0]
    for half_width, wrong in (
        (per_difference, lambda c: c < 0.75),
        (np.cumsum(per_difference), lambda c: c > 0.97),
    ):
        width = half_width[step]
        naive = per_step(y_pred.to_numpy() - width, y_pred.to_numpy() + width)
        assert abs(naive[0] - cover[0]) < 1e-12  # the same first step
        assert wrong(naive[-1]), naive


def test_backtest_scores_the_level_intervals():
    series = trended_seasonal(120)
    model = conformal(1, horizon=3, fraction=0.5).fit(series.iloc[:100])
    errors, _ = backtest(model, series, start=100, scoring="interval_coverage_80")
    origins = range(100, len(series) - 2)
    truth = np.array([series.iloc[t : t + 3] for t in origins])
    bounds = [model.forecast_interval(series.iloc[:t], coverage=0.8) for t in origins]
    lower, upper = (np.array(part) for part in zip(*bounds, strict=True))
    expected = interval_coverage(truth, lower, upper, multioutput="raw_values")
    np.testing.assert_allclose(errors["interval_coverage_80"].iloc[:3], expected)


def test_pickle_round_trip_and_an_old_pickle_is_told_to_refit():
    series = trended_seasonal()
    model = conformal((1, 4)).fit(series)
    restored = pickle.loads(pickle.dumps(model))
    for a, b in zip(
        model.forecast_interval(series), restored.forecast_interval(series), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    del restored.estimator_.calibration_residuals_  # as pickled by an older skseq
    with pytest.raises(ValueError, match="older skseq.*Refit"):
        restored.forecast_interval(series)


def quantile_head():
    return DenseForecaster(
        loss="quantile", quantiles=(0.05, 0.5, 0.95), epochs=1, random_state=0
    )


def test_cqr_with_explicit_difference_is_refused_at_fit(monkeypatch):
    def no_fit(self, *args, **kwargs):
        raise AssertionError("fitted before refusing")

    monkeypatch.setattr(DenseForecaster, "fit", no_fit)
    cqr = ConformalForecaster(quantile_head(), method="cqr")
    model = WindowedForecaster(cqr, window=8, horizon=2, difference=(1, 4))
    with pytest.raises(ValueError, match=r"method='cqr'.*difference=\(1, 4\)") as err:
        model.fit(trended_seasonal())
    assert "ConformalForecaster(method='absolute')" in str(err.value)


def test_cqr_with_auto_difference_takes_none_and_gives_intervals():
    # "auto" takes no differences for CQR: its bounds of differences would
    # not add up to bounds of the series, and its intervals would be refused
    series = trended_seasonal()
    cqr = ConformalForecaster(quantile_head(), method="cqr")
    model = WindowedForecaster(cqr, window=8, horizon=2, difference="auto")
    model.fit(series)
    assert model.difference_ == () and len(model.forecast(series)) == 2
    lower, upper = model.forecast_interval(series, coverage=0.8)
    assert lower.index.equals(model.forecast(series).index)
    assert np.isfinite(lower).all() and np.isfinite(upper).all()
    assert (lower <= upper).all()


class DropoutLike(NaiveForecaster):
    """An estimator with intervals of its own, uncalibrated (as MC dropout)."""

    def predict_interval(self, X, coverage=0.9):
        y_pred = self.predict(X)
        return y_pred - 1, y_pred + 1


def test_other_intervals_are_still_refused_with_difference():
    series = trended_seasonal()
    model = WindowedForecaster(DropoutLike(), window=8, difference=1).fit(series)
    with pytest.raises(ValueError, match="do not add up.*ConformalForecaster"):
        model.forecast_interval(series)


def panel(n=200):
    return {
        "a": trended_seasonal(n, seed=0),
        "b": 10 * trended_seasonal(n, seed=1),
    }


def test_panel_level_intervals_scale_with_each_series():
    data = panel()
    model = conformal(1, horizon=3, series_id="store").fit(data)
    lower, upper = model.forecast_interval(data, coverage=0.8)
    scores = level_scores(model.estimator_.calibration_residuals_, (1,))
    half_width = conformal_quantile(scores, 0.8)[:, 0]
    forecast = model.forecast(data)
    for k, name in enumerate(["a", "b"]):
        low, high = lower.loc[name, "y"], upper.loc[name, "y"]
        scale = model.series_state_[k].target_scaler.scale_[0]
        np.testing.assert_allclose((high - low) / 2, scale * half_width)
        np.testing.assert_allclose((high + low) / 2, forecast.loc[name, "y"])


def test_panel_with_auto_shares_the_lags_of_its_neediest_series():
    data = panel()
    data["flat"] = pd.Series(
        np.random.default_rng(2).normal(size=200) + 50, index=data["a"].index
    )
    # each series alone: the flat one needs fewer differences than the others
    alone = {name: conformal("auto", horizon=3).fit(data[name]) for name in data}
    lags = {name: model.difference_ for name, model in alone.items()}
    assert len(set(lags.values())) > 1
    # pooled residuals are integrated with one set: the most any series needs
    model = conformal("auto", horizon=3, series_id="store").fit(data)
    assert model.difference_ == max(lags.values(), key=len)
    lower, upper = model.forecast_interval(data)
    lower, upper = (b.select_dtypes("number").to_numpy() for b in (lower, upper))
    assert lower.size and np.isfinite(lower).all() and (lower <= upper).all()


def test_residuals_pooled_in_series_units_warn():
    # scale=False (or "level" without a log) pools residuals in the series'
    # units: one width for a series of level 60 and one of 60,000 (the small
    # held 100% in a backtest, the large 13%, their mean 78% of a nominal 80%)
    import warnings

    data = {"a": trended_seasonal(200, seed=0), "b": 1000 * trended_seasonal(200)}
    for params in ({"scale": False}, {"scale": "level"}):
        model = conformal(None, estimator=NaiveForecaster(), series_id="s", **params)
        with pytest.warns(UserWarning, match="differ 1000-fold"):
            model.fit(data)
    scale_free = (
        {},
        {"scale": "window"},
        {"scale": "level", "target_transform": "log"},
    )
    for params in scale_free:
        model = conformal(None, estimator=NaiveForecaster(), series_id="s", **params)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model.fit(data)
    similar = {"a": data["a"], "b": 3 * data["a"]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        conformal(None, estimator=NaiveForecaster(), series_id="s", scale=False).fit(
            similar
        )
