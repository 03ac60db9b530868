"""Differential tests of skseq's splitters and of cross-validation with skseq's
scorers: fold boundaries against a hand computation (and sklearn's
``TimeSeriesSplit``), fold scores against a plain loop that fits a clone on
each fold's training rows and forecasts its test rows by hand."""

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import (
    GridSearchCV,
    TimeSeriesSplit,
    cross_validate,
)
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence
from skseq.forecasting import PanelSplit, SeriesSplit, WindowedForecaster
from skseq.metrics import get_scorer, mean_absolute_scaled_error, panel_error

WINDOW, HORIZON = 7, 3


def _series(n_steps=80):
    rng = np.random.default_rng(0)
    t = np.arange(n_steps)
    values = 10 + 0.3 * t + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(size=n_steps)
    index = pd.date_range("2024-01-01", periods=n_steps, freq="D")
    return pd.Series(values, index=index, name="y")


def _ridge(**params):
    params = {"window": WINDOW, "horizon": HORIZON, "difference": None, **params}
    return WindowedForecaster(make_pipeline(FlattenSequence(), Ridge()), **params)


def _naive_scale(y_train, season=7):
    return np.mean(np.abs(y_train[season:] - y_train[:-season]))


def _as_lists(folds):
    return [(train.tolist(), test.tolist()) for train, test in folds]


# -- fold boundaries ------------------------------------------------------------
@pytest.mark.parametrize(
    "n_splits, test_size, lookback, gap, max_train",
    itertools.product([1, 2, 3], [None, 4, 5], [0, 3], [0, 2], [None, 10]),
)
def test_series_split_folds_match_a_hand_computation(
    n_splits, test_size, lookback, gap, max_train
):
    X = np.arange(40)
    cv = SeriesSplit(
        n_splits,
        test_size=test_size,
        lookback=lookback,
        gap=gap,
        max_train_size=max_train,
    )
    size = (40 - lookback) // (n_splits + 1) if test_size is None else test_size
    expected = []
    for k in range(n_splits):
        start = 40 - (n_splits - k) * size  # first row forecast in fold k
        stop = start - lookback - gap
        first = 0 if max_train is None else max(0, stop - max_train)
        expected.append(
            (list(range(first, stop)), list(range(start - lookback, start + size)))
        )
    assert _as_lists(cv.split(X)) == expected
    if lookback == 0 and n_splits > 1:
        sklearn_cv = TimeSeriesSplit(
            n_splits, test_size=test_size, gap=gap, max_train_size=max_train
        )
        assert _as_lists(cv.split(X)) == _as_lists(sklearn_cv.split(X))


def _long_panel(lengths=None):
    """Three series of different starts and lengths, rows interleaved by time."""
    rng = np.random.default_rng(0)
    lengths = lengths or {"a": ("2024-01-01", 20), "b": ("2024-01-05", 14)}
    lengths = {**lengths, "c": lengths.get("c", ("2024-01-10", 9))}
    parts = []
    for name, (first, n_steps) in lengths.items():
        index = pd.date_range(first, periods=n_steps, freq="D", name="day")
        t = np.arange(n_steps)
        level = 10 * (ord(name) - 96)
        values = level + np.cumsum(rng.normal(size=n_steps)) + np.sin(2 * np.pi * t / 7)
        parts.append(pd.DataFrame({"store": name, "y": values}, index=index))
    return pd.concat(parts).sort_index(kind="stable")


def _hand_panel_folds(ids, n_splits, size, gap, needed, max_train):
    """Row positions of each fold, every series cut from its own end."""
    folds = []
    for k in range(n_splits):
        train, test = [], []
        for name in pd.unique(ids):
            rows = np.flatnonzero(ids == name)
            stop = len(rows) - (n_splits - 1 - k) * size
            train_stop = stop - size - gap
            first = 0 if max_train is None else max(0, train_stop - max_train)
            if train_stop - first < needed:
                continue
            train += rows[first:train_stop].tolist()
            test += rows[stop - size : stop].tolist()
        folds.append((sorted(train), sorted(test)))
    return folds


@pytest.mark.parametrize("layout", ["long", "multiindex"])
def test_panel_split_folds_match_a_hand_computation(layout):
    X = _long_panel()
    if layout == "multiindex":
        X = X.set_index("store", append=True).swaplevel().sort_index()
        ids = X.index.get_level_values("store").to_numpy()
    else:
        ids = X["store"].to_numpy()
    grid = itertools.product(
        [1, 2, 3], [None, 2, 3], [0, 1], [None, 3], [None, 5], [1, 2]
    )
    checked = 0
    for n_splits, test_size, gap, lookback, max_train, horizon in grid:
        cv = PanelSplit(
            "store",
            n_splits,
            test_size=test_size,
            gap=gap,
            lookback=lookback,
            max_train_size=max_train,
            horizon=horizon,
        )
        try:
            with warnings.catch_warnings():
                # series left out of a fold are warned about; the folds are checked
                warnings.simplefilter("ignore", UserWarning)
                folds = _as_lists(cv.split(X))
        except ValueError:
            continue  # a fold without series: refused, checked elsewhere
        size = horizon if test_size is None else test_size
        needed = 1 if lookback is None else lookback + horizon
        assert folds == _hand_panel_folds(ids, n_splits, size, gap, needed, max_train)
        times = X.index.get_level_values("day")
        for train, test in folds:  # every series' training rows before its test rows
            for name in pd.unique(ids):
                seen = times[train][ids[train] == name]
                tested = times[test][ids[test] == name]
                if len(tested):
                    assert seen.max() < tested.min()
        checked += 1
    assert checked > 50


# -- fold scores, one series ----------------------------------------------------
def _window_forecasts(model, test, window):
    """Every forecast whose history and horizon lie in ``test``."""
    origins = range(window, len(test) - HORIZON + 1)
    preds = np.array([np.asarray(model.forecast(test.iloc[:j])) for j in origins])
    truths = np.array([test.iloc[j : j + HORIZON].to_numpy() for j in origins])
    return preds, truths


def _row_forecasts(model, train, test):
    """``predict``'s row forecasts: blocks of ``horizon`` rows ending at the last
    test row (the first may be shorter), each from the rows before it; and the
    lead (0 = one step ahead) of each row."""
    series = pd.concat([train, test])
    preds, leads = np.empty(len(test)), np.empty(len(test), dtype=int)
    for stop in range(len(test), 0, -HORIZON):
        start = max(0, stop - HORIZON)
        forecast = model.forecast(series.iloc[: len(train) + start])
        preds[start:stop] = np.ravel(forecast)[: stop - start]
        leads[start:stop] = np.arange(stop - start)
    return preds, leads


def test_window_scores_of_series_split_folds_match_a_hand_loop():
    series, forecaster = _series(), _ridge()
    cv = SeriesSplit(3, test_size=10, lookback=WINDOW, horizon=HORIZON)
    names = ["neg_mase_7", "neg_smape", "neg_mean_absolute_error"]
    results = cross_validate(
        forecaster, series, cv=cv, scoring={n: get_scorer(n) for n in names}
    )
    per_horizon = cross_validate(
        forecaster, series, cv=cv, scoring=get_scorer("neg_mae_per_horizon")
    )
    for k, (train, test) in enumerate(cv.split(series)):
        model = clone(forecaster).fit(series.iloc[train])
        preds, truths = _window_forecasts(model, series.iloc[test], WINDOW)
        errors = np.abs(preds - truths)
        scale = _naive_scale(series.iloc[train].to_numpy())
        smape = 2 * errors / (np.abs(preds) + np.abs(truths))
        np.testing.assert_allclose(
            results["test_neg_mase_7"][k], -errors.mean() / scale
        )
        np.testing.assert_allclose(results["test_neg_smape"][k], -smape.mean())
        np.testing.assert_allclose(
            results["test_neg_mean_absolute_error"][k], -errors.mean()
        )
        for step in range(HORIZON):  # h1 is one step ahead
            np.testing.assert_allclose(
                per_horizon[f"test_neg_mae_h{step + 1}"][k], -errors[:, step].mean()
            )


def test_row_scores_of_series_split_folds_match_a_hand_loop():
    series, forecaster = _series(), _ridge()
    cv = SeriesSplit(3, test_size=10, horizon=HORIZON)
    scoring = {
        "mae": "neg_mean_absolute_error",
        "mase": get_scorer("neg_mase_7"),
    }
    results = cross_validate(forecaster, series, series, cv=cv, scoring=scoring)
    per_horizon = cross_validate(
        forecaster, series, series, cv=cv, scoring=get_scorer("neg_mae_per_horizon")
    )
    for k, (train, test) in enumerate(cv.split(series)):
        model = clone(forecaster).fit(series.iloc[train], series.iloc[train])
        preds, leads = _row_forecasts(model, series.iloc[train], series.iloc[test])
        errors = np.abs(preds - series.iloc[test].to_numpy())
        scale = _naive_scale(series.iloc[train].to_numpy())
        np.testing.assert_allclose(results["test_mae"][k], -errors.mean())
        np.testing.assert_allclose(results["test_mase"][k], -errors.mean() / scale)
        for step in range(HORIZON):
            np.testing.assert_allclose(
                per_horizon[f"test_neg_mae_h{step + 1}"][k],
                -errors[leads == step].mean(),
            )


def test_grid_search_split_scores_match_a_hand_loop():
    series = _series()
    cv = SeriesSplit(3, test_size=10, lookback=WINDOW, horizon=HORIZON)
    grid = {"estimator__ridge__alpha": [0.1, 10.0], "window": [5, WINDOW]}
    search = GridSearchCV(_ridge(), grid, cv=cv, scoring=get_scorer("neg_mase_7"))
    search.fit(series)
    results = search.cv_results_
    for i, params in enumerate(results["params"]):
        candidate = _ridge().set_params(**params)
        for k, (train, test) in enumerate(cv.split(series)):
            model = clone(candidate).fit(series.iloc[train])
            # a shorter window also forecasts from the lookback rows
            preds, truths = _window_forecasts(
                model, series.iloc[test], params["window"]
            )
            scale = _naive_scale(series.iloc[train].to_numpy())
            expected = -np.abs(preds - truths).mean() / scale
            np.testing.assert_allclose(results[f"split{k}_test_score"][i], expected)
        split_scores = [results[f"split{k}_test_score"][i] for k in range(3)]
        np.testing.assert_allclose(results["mean_test_score"][i], np.mean(split_scores))


# -- fold scores, a panel -------------------------------------------------------
def _panel_fold_errors(model, X, train, test):
    """Per series: the absolute errors of ``predict``'s row forecasts and the
    naive scale of its training rows."""
    out = {}
    for name in pd.unique(X["store"]):
        own_train = X.iloc[train][X.iloc[train]["store"] == name]
        own_test = X.iloc[test][X.iloc[test]["store"] == name]
        series = pd.concat([own_train, own_test])
        preds = np.empty(len(own_test))
        for stop in range(len(own_test), 0, -HORIZON):
            start = max(0, stop - HORIZON)
            forecast = model.forecast(series.iloc[: len(own_train) + start])
            preds[start:stop] = np.ravel(forecast["y"])[: stop - start]
        errors = np.abs(preds - own_test["y"].to_numpy())
        out[name] = errors, _naive_scale(own_train["y"].to_numpy())
    return out


def test_panel_split_scores_match_a_hand_loop():
    shapes = {"a": ("2024-01-01", 40), "b": ("2024-01-08", 30), "c": ("2024-01-03", 35)}
    X = _long_panel(shapes)
    forecaster = _ridge(series_id="store", target="y")
    cv = PanelSplit("store", n_splits=2, horizon=HORIZON, test_size=4, lookback=WINDOW)
    scoring = {
        "mase": get_scorer("neg_mase_7"),
        "mae": get_scorer("neg_mean_absolute_error"),
        "pooled_mae": "neg_mean_absolute_error",  # sklearn's: rows pooled
    }
    results = cross_validate(forecaster, X, X["y"], cv=cv, scoring=scoring)
    for k, (train, test) in enumerate(cv.split(X)):
        model = clone(forecaster).fit(X.iloc[train], X.iloc[train]["y"])
        per_series = _panel_fold_errors(model, X, train, test)
        # skseq's scorers: each series scored alone, then an equal-weight mean
        mase = np.mean([e.mean() / s for e, s in per_series.values()])
        mae = np.mean([e.mean() for e, _ in per_series.values()])
        pooled = np.concatenate([e for e, _ in per_series.values()]).mean()
        np.testing.assert_allclose(results["test_mase"][k], -mase)
        np.testing.assert_allclose(results["test_mae"][k], -mae)
        np.testing.assert_allclose(results["test_pooled_mae"][k], -pooled)


def test_panel_error_matches_a_hand_mean_over_series():
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=12)
    y_pred = y_true + rng.normal(size=12)
    ids = np.array(list("abcabcaabbcc"))
    y_train = {name: rng.normal(size=20) for name in "abc"}
    error = panel_error(
        mean_absolute_scaled_error, y_true, y_pred, ids, y_train=y_train, season=2
    )
    expected = np.mean(
        [
            np.abs(y_true[ids == n] - y_pred[ids == n]).mean()
            / _naive_scale(y_train[n], season=2)
            for n in "abc"
        ]
    )
    np.testing.assert_allclose(error, expected)
