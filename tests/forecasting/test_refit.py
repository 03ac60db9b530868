"""SimplestWithinOneSE: the one-standard-error refit rule for sklearn's searches."""

import copy

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import Pipeline, make_pipeline

from skseq import DenseForecaster, FlattenSequence, NaiveForecaster
from skseq.forecasting import SeriesSplit, SimplestWithinOneSE, WindowedForecaster


def results(means, *splits, name="score", params=None):
    """A hand-made cv_results_: candidates alpha=0.1, 1, 10 unless given."""
    params = params or [{"alpha": 0.1}, {"alpha": 1.0}, {"alpha": 10.0}]
    out = {"params": params, f"mean_test_{name}": np.array(means, dtype=float)}
    for k, split in enumerate(splits):
        out[f"split{k}_test_{name}"] = np.array(split, dtype=float)
    return out


SIMPLEST_FIRST = {"alpha": [10.0, 1.0, 0.1]}  # more regularised = simpler


def test_picks_the_simplest_within_one_standard_error():
    # best: alpha=0.1, -1.0, folds -0.8, -1.2: SE = std(ddof=1)/sqrt(2) = 0.2,
    # so the bound is -1.2; alpha=1 (-1.1) is in, alpha=10 (-1.3) is out.
    cv = results([-1.0, -1.1, -1.3], [-0.8, -0.9, -1.2], [-1.2, -1.3, -1.4])
    assert SimplestWithinOneSE(SIMPLEST_FIRST)(cv) == 1
    assert SimplestWithinOneSE(SIMPLEST_FIRST, n_std_errors=2)(cv) == 2
    assert SimplestWithinOneSE(SIMPLEST_FIRST, n_std_errors=0)(cv) == 0
    # the order is the user's: alpha=0.1 listed first is the simplest
    assert SimplestWithinOneSE({"alpha": [0.1, 1.0, 10.0]})(cv) == 0
    # a callable key: smaller is simpler
    assert SimplestWithinOneSE(lambda p: -p["alpha"], n_std_errors=2)(cv) == 2


def test_one_fold_has_no_standard_error_and_ties_go_to_the_better_score():
    cv = results([-1.0, -1.01, -1.0], [-1.0, -1.01, -1.0])
    assert SimplestWithinOneSE(SIMPLEST_FIRST)(cv) == 2  # equal best, simpler
    cv = results([-1.0, -1.01, -1.5], [-1.0, -1.01, -1.5])
    assert SimplestWithinOneSE(SIMPLEST_FIRST)(cv) == 0  # SE 0: the best
    # equally simple candidates: the higher score wins, not the first listed
    params = [{"alpha": 1.0, "fit_intercept": b} for b in (True, False)]
    cv = results([-1.2, -1.0], [-1.2, -1.0], params=params)
    assert SimplestWithinOneSE({"alpha": [1.0]})(cv) == 1


def test_equally_simple_eligible_candidates_go_to_the_better_score():
    # two folds: both within one SE, equally simple (complexity names alpha
    # only), so their mean scores decide (NumPy floats: it raised TypeError)
    params = [{"alpha": 1.0, "fit_intercept": b} for b in (True, False)]
    cv = results([-1.1, -1.0], [-1.0, -0.8], [-1.2, -1.2], params=params)
    assert SimplestWithinOneSE({"alpha": [1.0]})(cv) == 1


def test_a_nan_candidate_is_never_picked():
    # the simplest (alpha=10) failed in a fold: its mean is NaN
    cv = results([-1.0, -1.1, np.nan], [-0.8, -0.9, np.nan], [-1.2, -1.3, -0.5])
    assert SimplestWithinOneSE(SIMPLEST_FIRST, n_std_errors=100)(cv) == 1
    # the best-scoring candidate's NaN does not make it the best either
    cv = results([np.nan, -1.1, -1.2], [np.nan, -1.1, -1.2])
    assert SimplestWithinOneSE(SIMPLEST_FIRST, n_std_errors=0)(cv) == 1


def test_all_nan_is_refused():
    cv = results([np.nan] * 3, [np.nan] * 3)
    with pytest.raises(ValueError, match="Every candidate's mean test score is NaN"):
        SimplestWithinOneSE(SIMPLEST_FIRST)(cv)


def test_several_scorers_need_the_name():
    cv = results([-1.0, -1.1, -1.3], [-0.8, -0.9, -1.2], [-1.2, -1.3, -1.4], name="mae")
    r2 = results([0.9, 0.5, 0.1], [0.9, 0.5, 0.1], name="r2")
    cv.update({k: v for k, v in r2.items() if k != "params"})
    with pytest.raises(ValueError, match=r"no 'mean_test_score'.*\['mae', 'r2'\]"):
        SimplestWithinOneSE(SIMPLEST_FIRST)(cv)
    assert SimplestWithinOneSE(SIMPLEST_FIRST, scoring="mae")(cv) == 1
    assert SimplestWithinOneSE(SIMPLEST_FIRST, scoring="r2")(cv) == 0
    with pytest.raises(ValueError, match="no 'mean_test_rmse'"):
        SimplestWithinOneSE(SIMPLEST_FIRST, scoring="rmse")(cv)


def test_bad_complexity_and_n_std_errors_are_refused():
    cv = results([-1.0, -1.1, -1.3], [-1.0, -1.1, -1.3])
    with pytest.raises(ValueError, match=r"complexity\['alpha'\] lists no entry"):
        SimplestWithinOneSE({"alpha": [10.0, 1.0]})(cv)
    with pytest.raises(TypeError, match="complexity must be a dict"):
        SimplestWithinOneSE(["alpha"])(cv)
    with pytest.raises(ValueError, match="n_std_errors must be finite and >= 0"):
        SimplestWithinOneSE(SIMPLEST_FIRST, n_std_errors=-1)(cv)


# -- with sklearn's searches --------------------------------------------------------
def trended(n=96):
    t = np.arange(n)
    values = 50 + 0.5 * t + 5 * np.sin(2 * np.pi * t / 12)
    values += np.random.default_rng(0).normal(size=n)
    return pd.Series(values, pd.date_range("2010-01", periods=n, freq="MS"))


def ridge():
    return make_pipeline(FlattenSequence(), Ridge(alpha=1e-6))


@pytest.mark.parametrize("search_class", [GridSearchCV, RandomizedSearchCV])
def test_searches_refit_the_candidate_the_rule_picks(search_class):
    series = trended()
    naive, linear = NaiveForecaster(season=12), ridge()
    model = WindowedForecaster(naive, window=12, horizon=6)
    grid = {"estimator": [naive, linear]}
    cv = SeriesSplit(3, test_size=6, horizon=6, lookback=12)
    options = (
        {"n_iter": 2, "random_state": 0} if search_class is RandomizedSearchCV else {}
    )
    scoring = {"mae": "neg_mean_absolute_error", "mse": "neg_mean_squared_error"}

    plain = search_class(model, grid, cv=cv, scoring=scoring, refit="mae", **options)
    plain.fit(series, series)
    assert isinstance(plain.best_params_["estimator"], Pipeline)  # the trend wins
    # with a wide margin the simpler naive forecast is kept, and refit
    rule = SimplestWithinOneSE(
        {"estimator": [NaiveForecaster, Pipeline]}, scoring="mae", n_std_errors=1e6
    )
    wide = search_class(model, grid, cv=cv, scoring=scoring, refit=rule, **options)
    wide.fit(series, series)
    assert wide.best_params_["estimator"] is naive
    assert isinstance(wide.best_estimator_.estimator, NaiveForecaster)
    assert wide.best_estimator_.forecast(series).shape == (6,)
    # at one standard error the rule agrees with its own computation
    rule = SimplestWithinOneSE(
        {"estimator": [NaiveForecaster, Pipeline]}, scoring="mae"
    )
    one = search_class(model, grid, cv=cv, scoring=scoring, refit=rule, **options)
    one.fit(series, series)
    assert one.best_index_ == rule(one.cv_results_)


def test_a_candidate_without_a_named_parameter_is_never_ranked_by_another():
    # grids as a list of dicts: {"units": 4} keeps the base model (not known to
    # the rule); its units position must not stand in for a model position
    complexity = {"model": ["linear", "net"], "units": [4, 64]}
    cv = results(
        [-1.0, -1.05],
        [-0.8, -0.85],
        [-1.2, -1.25],
        params=[{"units": 4}, {"model": "linear"}],
    )
    with pytest.raises(ValueError, match="sets no 'model'.*which is simpler"):
        SimplestWithinOneSE(complexity)(cv)
    # where an earlier parameter tells them apart, the missing one plays no part
    cv = results(
        [-1.0, -1.05, -1.3],
        [-0.8, -0.85, -1.2],
        [-1.2, -1.25, -1.4],
        params=[{"model": "net", "units": 4}, {"model": "linear"}, {"units": 64}],
    )
    assert SimplestWithinOneSE(complexity)(cv) == 1
    assert SimplestWithinOneSE(complexity, n_std_errors=0)(cv) == 0


def test_a_cloned_search_matches_the_copies_of_its_instances():
    # clone (nested cross-validation, cross_validate of the search) copies the
    # grid and the rule apart: the rule's instances are no longer the grid's
    series = trended()
    naive, linear = NaiveForecaster(season=12), ridge()
    model = WindowedForecaster(naive, window=12, horizon=6)
    cv = SeriesSplit(3, test_size=6, horizon=6, lookback=12)
    rule = SimplestWithinOneSE({"estimator": [naive, linear]}, n_std_errors=1e6)
    search = GridSearchCV(model, {"estimator": [naive, linear]}, cv=cv, refit=rule)
    copy = clone(search).fit(series, series)
    assert copy.best_index_ == 0
    assert isinstance(copy.best_estimator_.estimator, NaiveForecaster)
    # a copy with other parameters is another value
    other = SimplestWithinOneSE(
        {"estimator": [NaiveForecaster(season=4), linear]}, n_std_errors=1e6
    )
    with pytest.raises(ValueError, match="lists no entry matching"):
        other(copy.cv_results_)


def test_a_copy_matches_with_array_parameters():
    quantiles = np.array([0.1, 0.5, 0.9])
    small, large = (
        DenseForecaster(units, loss="quantile", quantiles=quantiles)
        for units in ((), (8,))
    )
    large_copy, small_copy = copy.deepcopy([large, small])
    cv = results(
        [-1.0, -1.05],
        [-0.8, -0.85],
        [-1.2, -1.25],
        params=[{"estimator": large_copy}, {"estimator": small_copy}],
    )
    assert SimplestWithinOneSE({"estimator": [small, large]})(cv) == 1
