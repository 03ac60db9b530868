"""Differential tests of ``backtest`` on a panel: every series' errors,
forecasts and their mean over the series, computed again by a plain loop (a
global clone fitted on every series' rows before each cutoff, each series
forecast from its own rows before each step, scored by hand)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import ConformalForecaster, FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest

HORIZON = 2
START = pd.Timestamp("2024-02-05")


def _panel():
    """Three series of different starts, lengths and ends."""
    rng = np.random.default_rng(1)
    shapes = {"a": ("2024-01-01", 60, 10), "b": ("2024-01-10", 45, 50)}
    shapes["c"] = ("2024-01-05", 47, 100)
    panel = {}
    for name, (first, n_steps, level) in shapes.items():
        t = np.arange(n_steps)
        values = level + np.cumsum(rng.normal(size=n_steps))
        values += 2 * np.sin(2 * np.pi * t / 7)
        index = pd.date_range(first, periods=n_steps, freq="D", name="day")
        panel[name] = pd.Series(values, index=index, name="y")
    return panel


def _global(estimator=None, **params):
    estimator = (
        make_pipeline(FlattenSequence(), Ridge()) if estimator is None else estimator
    )
    params = {"window": 7, "horizon": HORIZON, "difference": None, **params}
    return WindowedForecaster(estimator, series_id="store", **params)


def _before(panel, cutoff):
    return {
        k: s[s.index < cutoff] for k, s in panel.items() if (s.index < cutoff).any()
    }


def _hand_panel_backtest(forecaster, panel, end, refit):
    """Per series: origins, forecasts, truths and the naive scale of the
    series' own rows its model was trained on."""
    last = {k: s.index[-HORIZON] for k, s in panel.items()}
    if end is not None:
        last = {k: min(end, stop) for k, stop in last.items()}
    origins = {
        k: s.index[(s.index >= START) & (s.index <= last[k])] for k, s in panel.items()
    }
    steps = sorted(set().union(*map(set, origins.values())))
    every = len(steps) if refit is False else 1 if refit is True else refit
    cutoffs = steps[::every]
    out = {k: ([], [], [], []) for k in panel}
    for c, cutoff in enumerate(cutoffs):
        model = clone(forecaster).fit(_before(panel, cutoff))
        upper = cutoffs[c + 1] if c + 1 < len(cutoffs) else None
        for k, series in panel.items():
            trained = series[series.index < cutoff].to_numpy()
            for origin in origins[k]:
                if origin < cutoff or (upper is not None and origin >= upper):
                    continue
                forecast = model.forecast({k: series[series.index < origin]})
                truth = series[series.index >= origin].iloc[:HORIZON].to_numpy()
                scale = np.mean(np.abs(trained[7:] - trained[:-7]))
                for part, value in zip(
                    out[k], (origin, np.ravel(forecast), truth, scale), strict=True
                ):
                    part.append(value)
    return {k: tuple(map(np.array, parts)) for k, parts in out.items()}


@pytest.mark.parametrize("end", [None, pd.Timestamp("2024-02-15")])
@pytest.mark.parametrize("refit", [False, True, 5])
@pytest.mark.parametrize(
    "estimator",
    [make_pipeline(FlattenSequence(), Ridge()), NaiveForecaster(season=7)],
    ids=["ridge", "seasonal_naive"],
)
def test_panel_errors_match_a_hand_loop(estimator, refit, end):
    panel, forecaster = _panel(), _global(estimator)
    series_errors, forecasts = backtest(
        forecaster, panel, start=START, end=end, refit=refit, per_series=True
    )
    errors, _ = backtest(forecaster, panel, start=START, end=end, refit=refit)
    scores, _ = backtest(
        forecaster,
        panel,
        start=START,
        end=end,
        refit=refit,
        scoring="neg_mase_7",
        per_series=True,
    )
    hand = _hand_panel_backtest(forecaster, panel, end, refit)
    maes = {}
    for k, (origins, preds, truths, scales) in hand.items():
        maes[k] = np.abs(preds - truths).mean(axis=0)
        np.testing.assert_allclose(series_errors.loc[k, "y"].to_numpy(), maes[k])
        np.testing.assert_allclose(forecasts.loc[k].to_numpy(), preds)
        assert forecasts.loc[k].index.equals(pd.DatetimeIndex(origins, name="day"))
        mase = (np.abs(preds - truths) / scales[:, None]).mean(axis=0)
        np.testing.assert_allclose(
            scores.loc[k, "neg_mase_7"].to_numpy()[:HORIZON], -mase
        )
    # the panel's error: every series weighs the same, whatever its forecasts
    np.testing.assert_allclose(errors["y"].to_numpy(), np.mean(list(maes.values()), 0))
    assert errors.index.tolist() == [1, 2]


@pytest.mark.parametrize("refit", [False, True, 3])
def test_no_row_at_or_after_an_origin_reaches_a_panel_forecast(refit):
    panel, spoiled = _panel(), pd.Timestamp("2024-02-12")
    poisoned = {k: s.where(s.index < spoiled, 1e9) for k, s in panel.items()}
    _, clean = backtest(_global(), panel, start=START, refit=refit)
    _, dirty = backtest(_global(), poisoned, start=START, end=spoiled, refit=refit)
    kept = clean[clean.index.get_level_values("day") <= spoiled]
    pd.testing.assert_frame_equal(dirty, kept)


@pytest.mark.parametrize("refit", [False, 4])
def test_panel_layouts_give_the_same_backtest(refit):
    panel = _panel()
    long = pd.concat([s.to_frame().assign(store=k) for k, s in panel.items()])
    long = long.sort_index(kind="stable")  # rows of the series interleaved
    indexed = pd.concat(panel, names=["store", "day"]).to_frame()
    results = [
        backtest(_global(), data, start=START, refit=refit, per_series=True)
        for data in (panel, long, indexed)
    ]
    for errors, forecasts in results[1:]:
        pd.testing.assert_frame_equal(errors, results[0][0])
        np.testing.assert_allclose(
            forecasts.sort_index().to_numpy(), results[0][1].sort_index().to_numpy()
        )


def test_a_series_the_fitted_model_did_not_see():
    panel = _panel()
    # unscaled: an unseen series' forecasts need no state of its own
    forecaster = _global(scale=False)
    model = clone(forecaster).fit(_before({k: panel[k] for k in "ab"}, START))
    scores, forecasts = backtest(
        model, panel, start=START, scoring="neg_mase_7", per_series=True
    )
    series = panel["c"]
    origins = forecasts.loc["c"].index
    preds = np.array(
        [np.ravel(model.forecast({"c": series[series.index < t]})) for t in origins]
    )
    truths = np.array([series[series.index >= t].iloc[:HORIZON] for t in origins])
    np.testing.assert_allclose(forecasts.loc["c"].to_numpy(), preds)
    # its MASE scale: its own rows before start
    trained = series[series.index < START].to_numpy()
    scale = np.mean(np.abs(trained[7:] - trained[:-7]))
    mase = np.abs(preds - truths).mean(axis=0) / scale
    np.testing.assert_allclose(
        scores.loc["c", "neg_mase_7"].to_numpy()[:HORIZON], -mase
    )


@pytest.mark.filterwarnings("ignore:.*too short for one training window")
def test_a_refit_that_needs_more_history_than_a_series_has():
    # difference="auto" is chosen again on every refit, per series: c, with
    # just `window` rows before start, is undifferenced by the first model and
    # differenced twice by the next ones, which need 2 more rows of history
    # than c has at their first origins. Those forecasts cannot be made (as
    # model.forecast refuses them); the others must be as by hand.
    start, window = pd.Timestamp("2024-02-20"), 11
    rng = np.random.default_rng(0)
    t = np.arange(20.0)
    first_c = start - pd.Timedelta(days=window)
    panel = {
        "a": pd.Series(
            20 + rng.normal(size=70), pd.date_range("2024-01-01", periods=70)
        ),
        "b": pd.Series(
            20 + rng.normal(size=70), pd.date_range("2024-01-01", periods=70)
        ),
        "c": pd.Series((t**3 + np.sin(t)) / 100, pd.date_range(first_c, periods=20)),
    }
    panel = {k: s.rename("y").rename_axis("day") for k, s in panel.items()}
    forecaster = _global(window=window, horizon=1, difference="auto")
    with pytest.warns(UserWarning, match="series are left out of the backtest.*'c'"):
        errors, forecasts = backtest(
            forecaster, panel, start=start, refit=True, per_series=True
        )
    for name, series in panel.items():
        origins, preds, truths = [], [], []
        for origin in series.index[(series.index >= start)]:
            model = clone(forecaster).fit(_before(panel, origin))
            history = series[series.index < origin]
            if len(history) < model.window_ + sum(model.difference_[name]):
                continue  # this model cannot forecast from so short a history
            origins.append(origin)
            preds.append(np.ravel(model.forecast({name: history})))
            truths.append(series[series.index >= origin].iloc[:1].to_numpy())
        assert forecasts.loc[name].index.equals(pd.DatetimeIndex(origins, name="day"))
        np.testing.assert_allclose(forecasts.loc[name].to_numpy(), preds)
        mae = np.abs(np.array(preds) - np.array(truths)).mean()
        np.testing.assert_allclose(errors.loc[name, "y"].to_numpy(), [mae])


def _frame_values(values):
    return np.ravel(values["y"] if hasattr(values, "columns") else values)


@pytest.mark.parametrize("refit", [False, 5])
def test_panel_interval_scores_match_a_hand_loop(refit):
    panel = _panel()
    conformal = ConformalForecaster(NaiveForecaster(season=7))
    forecaster = _global(conformal)
    scoring = ["interval_coverage_80", "neg_interval_score_80"]
    scores, forecasts = backtest(
        forecaster, panel, start=START, refit=refit, scoring=scoring, per_series=True
    )
    hand = _hand_panel_backtest(forecaster, panel, None, refit)
    steps = sorted(set().union(*(set(origins) for origins, *_ in hand.values())))
    cutoffs = steps[:: len(steps) if refit is False else refit]
    for name, series in panel.items():
        bounds, truths = [], []
        for origin in hand[name][0]:
            cutoff = max(c for c in cutoffs if c <= origin)
            model = clone(forecaster).fit(_before(panel, cutoff))
            history = {name: series[series.index < origin]}
            lower, upper = model.forecast_interval(history, coverage=0.8)
            bounds.append((_frame_values(lower), _frame_values(upper)))
            truths.append(series[series.index >= origin].iloc[:HORIZON].to_numpy())
        lower, upper = (np.array(b) for b in zip(*bounds, strict=True))
        truth = np.array(truths)
        inside = ((lower <= truth) & (truth <= upper)).mean(axis=0)
        below, above = np.maximum(lower - truth, 0), np.maximum(truth - upper, 0)
        winkler = (upper - lower + 2 / 0.2 * (below + above)).mean(axis=0)
        own = scores.loc[name]
        np.testing.assert_allclose(own["interval_coverage_80"].to_numpy()[:2], inside)
        np.testing.assert_allclose(
            own["neg_interval_score_80"].to_numpy()[:2], -winkler
        )
