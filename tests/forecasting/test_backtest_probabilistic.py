"""backtest with scorers of probabilistic forecasts: quantiles and intervals."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from skseq import ConformalForecaster, DenseForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest
from skseq.metrics import (
    continuous_ranked_probability_score,
    interval_coverage,
    interval_score,
    mean_quantile_loss,
)

# neg_crps reads a distribution head at these levels (see get_scorer)
CRPS_LEVELS = np.round(np.linspace(0.01, 0.99, 99), 2)
HORIZON = 3
# A float32 network forecasts a batch of windows and one window at a time with
# different rounding (oneDNN): quantiles differ by up to ~1e-7 (8e-8 measured),
# scores by ~3e-9 relative. A wrong fold model or level is off by far more.
KERAS_RTOL = 1e-7


def noisy_series(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return 10 + np.sin(np.arange(n) / 3) + rng.normal(scale=0.3, size=n)


def dense(loss, **params):
    return DenseForecaster(
        hidden_units=(8,), loss=loss, epochs=2, random_state=0, **params
    )


def windowed(estimator, **params):
    return WindowedForecaster(estimator, window=8, horizon=HORIZON, **params)


def by_hand(models, series, origins):
    """Truths, CRPS-level quantiles, 80% intervals and medians of the forecast
    from each origin, each made by ``models[origin]`` from the rows before it."""
    truths, quantiles, lowers, uppers, medians = [], [], [], [], []
    for origin in origins:
        model, history = models[origin], series[:origin]
        truths.append(series[origin : origin + HORIZON])
        quantiles.append(model.forecast_quantiles(history, quantiles=CRPS_LEVELS))
        lower, upper = model.forecast_interval(history, coverage=0.8)
        lowers.append(lower)
        uppers.append(upper)
        medians.append(model.forecast(history))
    return tuple(
        np.array(part) for part in (truths, quantiles, lowers, uppers, medians)
    )


def test_scores_per_step_equal_the_metrics_of_each_fold_model():
    series = noisy_series()
    forecaster = windowed(dense("gaussian"))
    scoring = [
        "neg_crps",
        "interval_coverage_80",
        "neg_interval_score_80",
        "neg_mean_absolute_error",
    ]
    errors, forecasts = backtest(
        forecaster, series, start=40, end=49, refit=5, scoring=scoring
    )
    assert list(errors.columns) == scoring
    assert list(errors.index) == [1, 2, 3, "all"]
    # two folds: origins 40-44 from a model fitted on rows 0-39, 45-49 on 0-44
    folds = {40: clone(forecaster).fit(series[:40])}
    folds[45] = clone(forecaster).fit(series[:45])
    models = {t: folds[40 if t < 45 else 45] for t in range(40, 50)}
    truth, quantiles, lower, upper, median = by_hand(models, series, range(40, 50))
    np.testing.assert_allclose(forecasts.to_numpy(), median, rtol=KERAS_RTOL)
    expected = {
        "neg_crps": -continuous_ranked_probability_score(
            truth,
            y_quantiles=quantiles,
            quantiles=CRPS_LEVELS,
            multioutput="raw_values",
        ),
        "interval_coverage_80": interval_coverage(
            truth, lower, upper, multioutput="raw_values"
        ),
        "neg_interval_score_80": -interval_score(
            truth, lower, upper, 0.8, multioutput="raw_values"
        ),
        "neg_mean_absolute_error": -np.abs(truth - median).mean(axis=0),
    }
    for name, per_step in expected.items():
        np.testing.assert_allclose(errors[name].iloc[:3], per_step, rtol=KERAS_RTOL)
        np.testing.assert_allclose(
            errors.loc["all", name], errors[name].iloc[:3].mean(), rtol=1e-12
        )
    # a real spread, not a point forecast: the interval score exceeds the width 0
    assert (upper > lower).all() and errors.loc["all", "interval_coverage_80"] > 0


def test_a_fitted_quantile_head_is_scored_at_its_learned_levels():
    series = noisy_series()
    levels = (0.1, 0.5, 0.9)
    model = windowed(dense("quantile", quantiles=levels)).fit(series[:45])
    scoring = ["neg_mean_quantile_loss", "neg_crps"]
    errors, _ = backtest(model, series, start=45, scoring=scoring)
    origins = range(45, len(series) - HORIZON + 1)
    truth = np.array([series[t : t + HORIZON] for t in origins])
    quantiles = np.array([model.forecast_quantiles(series[:t]) for t in origins])
    loss = mean_quantile_loss(truth, quantiles, levels, multioutput="raw_values")
    np.testing.assert_allclose(
        errors["neg_mean_quantile_loss"].iloc[:3], -loss, rtol=KERAS_RTOL
    )
    # a quantile head's CRPS: twice the pinball loss at its own levels
    np.testing.assert_allclose(errors["neg_crps"].iloc[:3], -2 * loss, rtol=KERAS_RTOL)


def test_conformal_intervals_per_step():
    series = noisy_series()
    model = windowed(ConformalForecaster(NaiveForecaster())).fit(series[:40])
    scoring = ["interval_coverage_80", "neg_interval_score_80"]
    errors, _ = backtest(model, series, start=40, scoring=scoring)
    origins = range(40, len(series) - HORIZON + 1)
    truth = np.array([series[t : t + HORIZON] for t in origins])
    bounds = [model.forecast_interval(series[:t], coverage=0.8) for t in origins]
    lower, upper = (np.array(part) for part in zip(*bounds, strict=True))
    coverage = interval_coverage(truth, lower, upper, multioutput="raw_values")
    np.testing.assert_allclose(errors["interval_coverage_80"].iloc[:3], coverage)
    score = interval_score(truth, lower, upper, 0.8, multioutput="raw_values")
    # no network: the same numbers, whether one window or many at a time
    np.testing.assert_allclose(
        errors["neg_interval_score_80"].iloc[:3], -score, rtol=1e-12
    )
    with pytest.raises(TypeError, match="ConformalForecaster has no predict_quan"):
        backtest(model, series, start=40, scoring="neg_crps")


def test_panel_scores_per_series_and_their_mean():
    days = pd.date_range("2024-01-01", periods=50, freq="D", name="day")
    panel = {
        name: pd.Series(noisy_series(50, seed) * scale, index=days, name="y")
        for name, seed, scale in (("a", 1, 1.0), ("b", 2, 3.0))
    }
    model = windowed(dense("gaussian"), series_id="store")
    model.fit({name: s.iloc[:40] for name, s in panel.items()})
    scoring = ["neg_crps", "interval_coverage_80"]
    start = days[40]
    series_errors, _ = backtest(
        model, panel, start=start, scoring=scoring, per_series=True
    )
    errors, _ = backtest(model, panel, start=start, scoring=scoring)
    pd.testing.assert_frame_equal(
        errors, series_errors.groupby(level="step", sort=False).mean()
    )
    origins = range(40, 50 - HORIZON + 1)
    for name in ("a", "b"):
        truth, quantiles, lowers, uppers = [], [], [], []
        for t in origins:
            history = {key: s.iloc[:t] for key, s in panel.items()}
            truth.append(panel[name].iloc[t : t + HORIZON].to_numpy())
            q = model.forecast_quantiles(history, quantiles=CRPS_LEVELS)
            quantiles.append(q.xs(name, level="store").to_numpy())
            lower, upper = model.forecast_interval(history, coverage=0.8)
            lowers.append(lower.xs(name, level="store")["y"].to_numpy())
            uppers.append(upper.xs(name, level="store")["y"].to_numpy())
        truth = np.array(truth)
        crps = continuous_ranked_probability_score(
            truth,
            y_quantiles=np.array(quantiles),
            quantiles=CRPS_LEVELS,
            multioutput="raw_values",
        )
        coverage = interval_coverage(
            truth, np.array(lowers), np.array(uppers), multioutput="raw_values"
        )
        own = series_errors.loc[name]
        np.testing.assert_allclose(own["neg_crps"].iloc[:3], -crps, rtol=KERAS_RTOL)
        np.testing.assert_allclose(own["interval_coverage_80"].iloc[:3], coverage)


@pytest.fixture
def no_fit(monkeypatch):
    """Any fit fails the test: a refusal must come before fitting."""

    def fit(self, *args, **kwargs):
        raise AssertionError("fitted before refusing")

    for cls in (WindowedForecaster, DenseForecaster):
        monkeypatch.setattr(cls, "fit", fit)


@pytest.mark.parametrize(
    "estimator, scoring, match",
    [
        (dense("mse"), "neg_crps", "point loss 'mse'.*loss='gaussian'"),
        (dense("mse"), "interval_coverage_80", "Monte Carlo.*ConformalForecaster"),
        (NaiveForecaster(), "neg_interval_score_90", "no predict_interval.*Conformal"),
        (NaiveForecaster(), "neg_mean_quantile_loss", "no predict_quantiles"),
    ],
)
@pytest.mark.parametrize("series_id", [None, "store"])
def test_a_point_model_is_refused_before_any_fit(
    no_fit, estimator, scoring, match, series_id
):
    series = noisy_series()
    if series_id is not None:
        series = {"a": pd.Series(series, index=pd.RangeIndex(60), name="y")}
    model = windowed(estimator, series_id=series_id)
    with pytest.raises(TypeError, match=match):
        backtest(model, series, start=40, scoring=["neg_mean_absolute_error", scoring])


def test_a_differenced_quantile_head_is_refused(no_fit):
    series = noisy_series()
    quantile_head = windowed(dense("quantile"), difference=1)
    with pytest.raises(ValueError, match="cannot come from a quantile head"):
        backtest(quantile_head, series, start=40, scoring="interval_coverage_80")
    # a ConformalForecaster's are calibrated on the levels: see
    # test_conformal_difference.py


def test_cqr_intervals_per_step():
    series = noisy_series()
    cqr = ConformalForecaster(dense("quantile", quantiles=(0.05, 0.5, 0.95)))
    model = windowed(cqr).fit(series[:40])
    errors, _ = backtest(model, series, start=40, scoring="interval_coverage_80")
    origins = range(40, len(series) - HORIZON + 1)
    truth = np.array([series[t : t + HORIZON] for t in origins])
    bounds = [model.forecast_interval(series[:t], coverage=0.8) for t in origins]
    lower, upper = (np.array(part) for part in zip(*bounds, strict=True))
    coverage = interval_coverage(truth, lower, upper, multioutput="raw_values")
    # a truth within float32 rounding of a bound could flip: none is that close
    assert np.abs(np.concatenate([truth - lower, truth - upper])).min() > 1e-5
    np.testing.assert_allclose(errors["interval_coverage_80"].iloc[:3], coverage)


def test_a_differenced_distribution_head_is_scored_from_its_sample_paths():
    series = noisy_series() + 0.2 * np.arange(60)  # a trend to difference away
    model = windowed(dense("student_t"), difference=1).fit(series[:40])
    scoring = ["neg_crps", "interval_coverage_80", "neg_interval_score_80"]
    errors, _ = backtest(model, series, start=40, scoring=scoring)
    assert np.isfinite(errors.to_numpy()).all()
    assert (
        (errors["interval_coverage_80"] >= 0) & (errors["interval_coverage_80"] <= 1)
    ).all()
    # integrated paths: quantiles in the series' units, around the truth's level
    assert -errors.loc["all", "neg_crps"] < 0.1 * np.abs(series[40:]).mean()
