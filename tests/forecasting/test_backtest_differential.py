"""Differential tests of ``backtest`` on one series: every number it reports is
computed again by a plain loop (cut the rows before each cutoff, fit a fresh
clone, forecast the horizon from the rows before each step, score by hand)
with deterministic estimators, so any difference is a bug in backtest: a
wrong fold boundary, a refit that saw later rows, a step label off by one or
an average weighted wrongly."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.metrics import make_scorer, mean_absolute_error, mean_squared_error
from sklearn.pipeline import make_pipeline

from skseq import ConformalForecaster, FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest

N_STEPS, START, HORIZON = 60, 40, 3


def _series(index=None, seed=0):
    """Trend + weekly season + noise, positive (for sMAPE, logs)."""
    rng = np.random.default_rng(seed)
    t = np.arange(N_STEPS)
    values = 10 + 0.5 * t + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(size=N_STEPS)
    if index is None:
        index = pd.date_range("2024-01-01", periods=N_STEPS, freq="D")
    return pd.Series(values, index=index, name="y")


def _ridge(**params):
    params = {"window": 7, "horizon": HORIZON, "difference": None, **params}
    return WindowedForecaster(make_pipeline(FlattenSequence(), Ridge()), **params)


def _refits_at(step, refit):
    """Whether the hand loop refits before forecasting from its step-th origin."""
    if refit is False:
        return step == 0
    return refit is True or step % refit == 0


def _hand_backtest(forecaster, series, first, last, refit, horizon=HORIZON):
    """Forecasts, truths (n_forecasts, horizon[, n_targets]) and, per forecast,
    the training targets of the model that made it, by a plain loop."""
    preds, truths, trained_on = [], [], []
    for step, origin in enumerate(range(first, last + 1)):
        if _refits_at(step, refit):
            model = clone(forecaster).fit(series.iloc[:origin])
            cutoff = origin
        preds.append(np.asarray(model.forecast(series.iloc[:origin])))
        truths.append(series.iloc[origin : origin + horizon].to_numpy())
        trained_on.append(series.iloc[:cutoff].to_numpy())
    return np.array(preds), np.array(truths), trained_on


def _naive_scale(y_train, season=7):
    return np.mean(np.abs(y_train[season:] - y_train[:-season]), axis=0)


@pytest.mark.parametrize("end", [None, 50])
@pytest.mark.parametrize("refit", [False, True, 4])
@pytest.mark.parametrize("difference", [None, 1])
@pytest.mark.parametrize(
    "estimator",
    [make_pipeline(FlattenSequence(), Ridge()), NaiveForecaster(season=7)],
    ids=["ridge", "seasonal_naive"],
)
def test_errors_and_forecasts_match_a_hand_loop(estimator, difference, refit, end):
    series = _series()
    forecaster = WindowedForecaster(
        estimator, window=7, horizon=HORIZON, difference=difference
    )
    end_label = None if end is None else series.index[end]
    errors, forecasts = backtest(
        forecaster, series, start=series.index[START], end=end_label, refit=refit
    )
    last = N_STEPS - HORIZON if end is None else end
    preds, truths, _ = _hand_backtest(forecaster, series, START, last, refit)

    expected = [mean_absolute_error(truths[:, k], preds[:, k]) for k in range(HORIZON)]
    np.testing.assert_allclose(errors["y"].to_numpy(), expected)
    assert errors.index.tolist() == list(range(1, HORIZON + 1))
    np.testing.assert_allclose(forecasts.to_numpy(), preds)
    # each row is labelled by its first forecast step, the step after its history
    assert forecasts.index.equals(series.index[START : last + 1])
    assert forecasts.columns.get_level_values("step").tolist() == [1, 2, 3]


@pytest.mark.parametrize("refit", [False, True, 4])
@pytest.mark.parametrize("difference", [None, 1])
def test_scores_match_a_hand_loop(difference, refit):
    series = _series()
    forecaster = _ridge(difference=difference)
    names = ["neg_mase_7", "neg_smape", "neg_mean_absolute_error"]
    names.append("neg_root_mean_squared_error")
    scores, _ = backtest(forecaster, series, start=START, refit=refit, scoring=names)
    preds, truths, trained_on = _hand_backtest(
        forecaster, series, START, N_STEPS - HORIZON, refit
    )
    errors = np.abs(truths - preds)
    # MASE: each forecast scaled by the naive error of its own model's training rows
    scales = np.array([_naive_scale(y) for y in trained_on])[:, None]
    expected = {
        "neg_mase_7": -(errors / scales).mean(axis=0),
        "neg_smape": -(2 * errors / (np.abs(truths) + np.abs(preds))).mean(axis=0),
        "neg_mean_absolute_error": -errors.mean(axis=0),
        "neg_root_mean_squared_error": -np.sqrt((errors**2).mean(axis=0)),
    }
    assert scores.index.tolist() == [1, 2, 3, "all"]
    for name, per_step in expected.items():
        np.testing.assert_allclose(scores[name].to_numpy()[:HORIZON], per_step)
        # "all": the plain mean over the steps
        np.testing.assert_allclose(scores.loc["all", name], per_step.mean())


def test_scorer_callables_and_names_match_a_hand_loop():
    series = _series()
    forecaster = _ridge()
    scoring = {
        "mine": make_scorer(mean_absolute_error, greater_is_better=False),
        "r2": "r2",
    }
    scores, _ = backtest(forecaster, series, start=START, refit=5, scoring=scoring)
    preds, truths, _ = _hand_backtest(
        forecaster, series, START, N_STEPS - HORIZON, refit=5
    )
    np.testing.assert_allclose(
        scores["mine"].to_numpy()[:HORIZON], -np.abs(truths - preds).mean(axis=0)
    )
    r2 = 1 - ((truths - preds) ** 2).sum(axis=0) / (
        (truths - truths.mean(axis=0)) ** 2
    ).sum(axis=0)
    np.testing.assert_allclose(scores["r2"].to_numpy()[:HORIZON], r2)


@pytest.mark.parametrize("refit", [False, True, 3])
@pytest.mark.parametrize("difference", [None, 1])
def test_no_row_at_or_after_an_origin_reaches_its_forecast(difference, refit):
    # rows from `spoiled` on replaced by huge values: every forecast made from
    # an origin up to `spoiled` (its model and its window end before it) must
    # not change
    series, spoiled = _series(), 47
    poisoned = series.copy()
    poisoned.iloc[spoiled:] = 1e9
    forecaster = _ridge(difference=difference)
    _, clean = backtest(forecaster, series, start=START, refit=refit)
    _, dirty = backtest(forecaster, poisoned, start=START, end=spoiled, refit=refit)
    np.testing.assert_allclose(dirty.to_numpy(), clean.iloc[: spoiled - START + 1])


class _SpyRidge(Ridge):
    """Ridge that records the last training target of every fit."""

    last_targets = []

    def fit(self, X, y, sample_weight=None):
        type(self).last_targets.append(np.ravel(y)[-1])
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("refit", [False, True, 4])
def test_each_refit_trains_on_the_rows_before_its_first_forecast(refit):
    series = _series()
    forecaster = WindowedForecaster(
        make_pipeline(FlattenSequence(), _SpyRidge()),
        window=7,
        horizon=1,
        difference=None,
        scale=False,
    )
    _SpyRidge.last_targets.clear()
    backtest(forecaster, series, start=START, end=52, refit=refit)
    cutoffs = [
        origin
        for step, origin in enumerate(range(START, 53))
        if _refits_at(step, refit)
    ]
    # the last training label of each fit is the row just before its cutoff
    np.testing.assert_allclose(
        _SpyRidge.last_targets, series.iloc[np.array(cutoffs) - 1].to_numpy()
    )


@pytest.mark.parametrize("refit", [False, 5])
def test_mase_of_a_log_target_is_scaled_in_series_units(refit):
    t = np.arange(N_STEPS)
    rng = np.random.default_rng(3)
    values = np.exp(0.02 * t) * (5 + np.sin(2 * np.pi * t / 7))
    values += rng.uniform(0, 0.3, N_STEPS)
    series = _series().copy()
    series[:] = values
    forecaster = _ridge(horizon=2, target_transform="log", difference="auto")
    scores, forecasts = backtest(
        forecaster, series, start=START, refit=refit, scoring="neg_mase_7"
    )
    preds, truths, trained_on = _hand_backtest(
        forecaster, series, START, N_STEPS - 2, refit, horizon=2
    )
    scales = np.array([_naive_scale(y) for y in trained_on])[:, None]
    np.testing.assert_allclose(forecasts.to_numpy(), preds)
    np.testing.assert_allclose(
        scores["neg_mase_7"].to_numpy()[:2], -(np.abs(truths - preds) / scales).mean(0)
    )


def test_two_targets_and_a_covariate_match_a_hand_loop():
    rng = np.random.default_rng(4)
    series = _series()
    frame = pd.DataFrame(
        {
            "u": series.to_numpy(),
            "v": 2 * series.to_numpy()[::-1] + rng.normal(size=N_STEPS),
            "x": rng.normal(size=N_STEPS),
        },
        index=series.index,
    )
    forecaster = _ridge(window=5, target=["u", "v"], past_covariates="x")
    errors, forecasts = backtest(
        forecaster, frame, start=START + 2, refit=4, metric=mean_squared_error
    )
    preds, _, _ = _hand_backtest(
        forecaster, frame, START + 2, N_STEPS - HORIZON, refit=4
    )
    truths = np.array(
        [
            frame[["u", "v"]].iloc[t : t + HORIZON].to_numpy()
            for t in range(START + 2, N_STEPS - HORIZON + 1)
        ]
    )
    assert errors.columns.tolist() == ["u", "v"]
    np.testing.assert_allclose(errors.to_numpy(), ((preds - truths) ** 2).mean(axis=0))
    for j, target in enumerate(["u", "v"]):
        for k in range(HORIZON):
            np.testing.assert_allclose(forecasts[(target, k + 1)], preds[:, k, j])


@pytest.mark.parametrize("refit", [False, 4])
def test_interval_scores_match_a_hand_loop(refit):
    rng = np.random.default_rng(0)
    values = np.tile(np.arange(1.0, 8.0), 10) + rng.normal(scale=0.5, size=70)
    series = pd.Series(values, index=pd.date_range("2024-01-01", periods=70), name="y")
    forecaster = WindowedForecaster(
        ConformalForecaster(NaiveForecaster(season=7)), window=7, horizon=2, scale=False
    )
    scoring = ["interval_coverage_80", "neg_interval_score_80"]
    scores, _ = backtest(forecaster, series, start=45, refit=refit, scoring=scoring)
    lowers, uppers, truths = [], [], []
    for step, origin in enumerate(range(45, 69)):
        if _refits_at(step, refit):
            model = clone(forecaster).fit(series.iloc[:origin])
        lower, upper = model.forecast_interval(series.iloc[:origin], coverage=0.8)
        lowers.append(np.ravel(lower))
        uppers.append(np.ravel(upper))
        truths.append(series.iloc[origin : origin + 2].to_numpy())
    lower, upper, truth = map(np.array, (lowers, uppers, truths))
    inside = ((lower <= truth) & (truth <= upper)).mean(axis=0)
    below, above = np.maximum(lower - truth, 0), np.maximum(truth - upper, 0)
    winkler = (upper - lower + 2 / 0.2 * (below + above)).mean(axis=0)
    np.testing.assert_allclose(scores["interval_coverage_80"].to_numpy()[:2], inside)
    np.testing.assert_allclose(scores["neg_interval_score_80"].to_numpy()[:2], -winkler)


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(1950, 1950 + N_STEPS),
        pd.period_range("2000-01", periods=N_STEPS, freq="M"),
        pd.Index(np.arange(100, 100 + 2 * N_STEPS, 2)),
    ],
    ids=["years", "periods", "step_2"],
)
def test_other_indexes_match_a_hand_loop(index):
    series = _series(index)
    start = index[START] if isinstance(index, pd.PeriodIndex) else START
    _, forecasts = backtest(_ridge(), series, start=start, refit=3)
    preds, _, _ = _hand_backtest(_ridge(), series, START, N_STEPS - HORIZON, refit=3)
    np.testing.assert_allclose(forecasts.to_numpy(), preds)
    assert forecasts.index.equals(index[START : N_STEPS - HORIZON + 1])


def test_progress_bar_chunks_change_no_number():
    pytest.importorskip("tqdm")
    series, scoring = _series(), ["neg_mase_7", "neg_mean_absolute_error"]
    quiet, quiet_forecasts = backtest(_ridge(), series, start=30, scoring=scoring)
    shown, shown_forecasts = backtest(
        _ridge(), series, start=30, scoring=scoring, verbose=1
    )
    pd.testing.assert_frame_equal(quiet, shown)
    pd.testing.assert_frame_equal(quiet_forecasts, shown_forecasts)


def test_quantile_scores_match_a_hand_loop():
    from skseq import DenseForecaster

    levels = (0.1, 0.5, 0.9)
    network = DenseForecaster(
        4, loss="quantile", quantiles=levels, epochs=1, random_state=0
    )
    forecaster = WindowedForecaster(network, window=7, horizon=2, difference=None)
    series = _series()
    scoring = ["neg_mean_quantile_loss", "neg_crps", "interval_coverage_80"]
    # one fit each (a Keras fit is slow): the refit schedule is checked above
    scores, _ = backtest(forecaster, series, start=50, scoring=scoring)
    model = clone(forecaster).fit(series.iloc[:50])
    quantiles, truths = [], []
    for origin in range(50, N_STEPS - 1):
        quantiles.append(np.asarray(model.forecast_quantiles(series.iloc[:origin])))
        truths.append(series.iloc[origin : origin + 2].to_numpy())
    quantiles, truths = np.array(quantiles), np.array(truths)  # (n, 2, 3), (n, 2)
    below = truths[:, :, None] - quantiles
    pinball = np.maximum(np.array(levels) * below, (np.array(levels) - 1) * below)
    inside = (quantiles[..., 0] <= truths) & (truths <= quantiles[..., 2])
    np.testing.assert_allclose(
        scores["neg_mean_quantile_loss"].to_numpy()[:2],
        -pinball.mean(axis=(0, 2)),
        rtol=1e-5,
    )
    # CRPS of quantile forecasts: twice their mean pinball loss
    np.testing.assert_allclose(
        scores["neg_crps"].to_numpy()[:2], -2 * pinball.mean(axis=(0, 2)), rtol=1e-5
    )
    np.testing.assert_allclose(
        scores["interval_coverage_80"].to_numpy()[:2], inside.mean(axis=0)
    )
