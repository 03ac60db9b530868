"""skseq.metrics: forecasting metrics and scorers, also on 3D arrays."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import (
    make_scorer,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from sklearn.model_selection import KFold, cross_validate

from skseq import GRUForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster
from skseq.metrics import (
    get_scorer,
    get_scorer_names,
    mean_absolute_error_per_horizon,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)


def test_mase_by_hand():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=30), rng.normal(size=30)
    scale = np.mean(np.abs(y_true[7:] - y_true[:-7]))
    assert mean_absolute_scaled_error(y_true, y_pred, season=7) == pytest.approx(
        np.mean(np.abs(y_true - y_pred)) / scale
    )
    y_train = rng.normal(size=50)
    scale = np.mean(np.abs(np.diff(y_train)))
    assert mean_absolute_scaled_error(y_true, y_pred, y_train=y_train) == (
        pytest.approx(np.mean(np.abs(y_true - y_pred)) / scale)
    )
    two = np.column_stack([y_true, 2 * y_true])
    raw = mean_absolute_scaled_error(two, two + 1, multioutput="raw_values")
    np.testing.assert_allclose(raw[0], 2 * raw[1])
    with pytest.raises(ValueError, match="season must be an int >= 1"):
        mean_absolute_scaled_error(y_true, y_pred, season=0)
    with pytest.raises(ValueError, match="MASE is undefined"):
        mean_absolute_scaled_error(np.ones(10), np.zeros(10))
    with pytest.raises(ValueError, match="more than 7 rows"):
        mean_absolute_scaled_error(y_true[:5], y_pred[:5], season=7)


def test_smape_by_hand():
    y_true, y_pred = np.array([1.0, 2.0, 0.0, -4.0]), np.array([2.0, 2.0, 0.0, 4.0])
    expected = np.mean([2 * 1 / 3, 0.0, 0.0, 2.0])
    assert symmetric_mean_absolute_percentage_error(y_true, y_pred) == (
        pytest.approx(expected)
    )


def test_per_horizon_mae():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=(20, 3, 2)), rng.normal(size=(20, 3, 2))
    raw = mean_absolute_error_per_horizon(y_true, y_pred, multioutput="raw_values")
    assert raw.shape == (3, 2)
    assert raw[1, 0] == pytest.approx(
        mean_absolute_error(y_true[:, 1, 0], y_pred[:, 1, 0])
    )
    np.testing.assert_allclose(
        mean_absolute_error_per_horizon(y_true, y_pred), raw.mean(axis=1)
    )


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_mase_refuses_a_training_series_with_nan_or_infinity(bad):
    # an infinite naive error used to scale MASE to exactly 0.0, a perfect score
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=10)
    y_train = np.append(rng.normal(size=20), bad)
    with pytest.raises(ValueError, match="y_train must not contain NaN or inf"):
        mean_absolute_scaled_error(y_true, y_true + 1, y_train=y_train)


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_per_horizon_mae_refuses_nan_and_infinity(bad):
    y_true = np.ones((4, 3))
    y_pred = y_true.copy()
    y_pred[2, 1] = bad
    with pytest.raises(ValueError, match="NaN or infinity"):
        mean_absolute_error_per_horizon(y_true, y_pred)


def test_per_horizon_mae_checks_multioutput_and_emptiness():
    ones = np.ones((4, 3))
    with pytest.raises(ValueError, match="multioutput must be"):
        mean_absolute_error_per_horizon(ones, ones, multioutput="mean")
    with pytest.raises(ValueError, match="y_true is empty"):
        mean_absolute_error_per_horizon(ones[:0], ones[:0])


@pytest.mark.parametrize(
    "metric", [mean_absolute_scaled_error, symmetric_mean_absolute_percentage_error]
)
def test_metrics_refuse_empty_input_by_name(metric):
    with pytest.raises(ValueError, match="y_true is empty"):
        metric([], [])


class _ForecastsOfX(RegressorMixin, BaseEstimator):
    """3D forecasts (n, 3 steps, 2 targets) read from X; no ``horizon_``, as a
    Pipeline ending in a forecaster has none."""

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.asarray(X)[:, :6].reshape(len(X), 3, 2)


def test_per_horizon_scorer_splits_3d_targets_by_their_steps():
    # without horizon_, the 6 flattened (step, target) columns were 6 "steps"
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 6)), rng.normal(size=(10, 3, 2))
    estimator = _ForecastsOfX().fit(X, y)
    scores = get_scorer("neg_mae_per_horizon")(estimator, X, y)
    expected = -mean_absolute_error_per_horizon(y, estimator.predict(X))
    assert list(scores) == ["neg_mae_h1", "neg_mae_h2", "neg_mae_h3", "neg_mae"]
    np.testing.assert_allclose([scores[f"neg_mae_h{k}"] for k in (1, 2, 3)], expected)
    assert scores["neg_mae"] == pytest.approx(expected.mean())


def test_per_horizon_scorer_refuses_sample_weight():
    # it used to drop the weights silently and return the unweighted errors
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 6)), rng.normal(size=(10, 3, 2))
    estimator = _ForecastsOfX().fit(X, y)
    with pytest.raises(TypeError, match="takes no sample_weight"):
        get_scorer("neg_mae_per_horizon")(estimator, X, y, sample_weight=np.ones(10))


@pytest.mark.parametrize("name", ["neg_mase_7", "neg_smape", "neg_mae_per_horizon"])
def test_unweighted_scorers_refuse_sample_weight_by_name(name):
    # neg_mase and neg_smape failed inside with "unexpected keyword argument"
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 6)), 5 + rng.normal(size=(10, 3))
    estimator = _ForecastsOfX().fit(X, y)
    with pytest.raises(TypeError, match=f"{name} takes no sample_weight"):
        get_scorer(name)(estimator, X, y, sample_weight=np.ones(10))


def test_weights_of_a_series_scored_without_y_are_refused():
    # without y the truths are the windows' forecasts, not X's rows: the weights
    # of X's rows met sklearn's "inconsistent numbers of samples" error
    series = pd.Series(np.sin(np.arange(60) / 3) + 2)
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=2).fit(series)
    with pytest.raises(TypeError, match="pass y to weigh its rows"):
        get_scorer("neg_mean_absolute_error")(model, series, sample_weight=np.ones(60))


@pytest.mark.parametrize(
    "metric", [mean_absolute_scaled_error, symmetric_mean_absolute_percentage_error]
)
def test_metrics_refuse_3d_forecasts_of_another_shape(metric):
    # (n, 2, 3) against (n, 3, 2) flattened to the same (n, 6) and was scored,
    # pairing each truth with another step's or target's forecast
    rng = np.random.default_rng(0)
    y_true = 5 + rng.normal(size=(8, 3, 2))
    with pytest.raises(ValueError, match=r"\(8, 3, 2\) and \(8, 2, 3\)"):
        metric(y_true, y_true.transpose(0, 2, 1))
    one_target = y_true[..., :1]  # (n, horizon, 1) still pairs with (n, horizon)
    assert metric(one_target, one_target[..., 0] + 1) == pytest.approx(
        metric(one_target[..., 0], one_target[..., 0] + 1)
    )


def test_point_metrics_refuse_frames_whose_columns_differ():
    # frames paired column by column by position: a forecast frame with the
    # targets in another order was scored against the wrong target
    import pandas as pd

    rng = np.random.default_rng(0)
    y_true = pd.DataFrame({"a": rng.normal(size=10), "b": rng.normal(size=10)}) + 5
    y_train = pd.DataFrame({"a": rng.normal(size=20), "b": 100 * rng.normal(size=20)})
    swapped = y_true[["b", "a"]] + 0.1
    for metric in (
        mean_absolute_scaled_error,
        symmetric_mean_absolute_percentage_error,
    ):
        with pytest.raises(ValueError, match="columns of y_true, y_pred differ"):
            metric(y_true, swapped)
    with pytest.raises(ValueError, match="columns of y_train, y_true differ"):
        mean_absolute_scaled_error(y_true, y_true + 0.1, y_train=y_train[["b", "a"]])


def test_get_scorer_names_and_errors():
    names = get_scorer_names()
    assert {"neg_mean_absolute_error", "neg_mase", "neg_smape"} <= set(names)
    assert repr(get_scorer("neg_mase_7")) == "SeriesScorer('neg_mase_7')"
    with pytest.raises(ValueError, match="not a scorer name skseq knows"):
        get_scorer("neg_mase7")
    with pytest.raises(TypeError, match="scoring must be a name"):
        get_scorer(7)


# -- 3D arrays: make_windows output and skseq's sequence forecasters ---------------
def small_gru():
    return GRUForecaster(units=2, epochs=1, batch_size=16, random_state=0)


def cross_validate_gru(X, y, scoring):
    """Two-fold cross_validate of a small GRU, keeping estimators and indices
    for :func:`by_hand`."""
    return cross_validate(
        small_gru(),
        X,
        y,
        cv=KFold(2),
        scoring=scoring,
        return_estimator=True,
        return_indices=True,
    )


def by_hand(results, X, y, metric):
    """metric(y_test, predict(X_test)) of each fold's fitted estimator.

    cross_validate scores folds as GridSearchCV does (the same _fit_and_score),
    and returns the fitted estimators to recompute the metric from.
    """
    return [
        metric(y[test], model.predict(X[test]))
        for model, test in zip(
            results["estimator"], results["indices"]["test"], strict=True
        )
    ]


def test_multioutput_scorers_on_2d_targets(multi_step_data):
    X, y = multi_step_data  # y: (n, horizon=5)
    scoring = [
        "neg_mean_absolute_error",
        "neg_mean_squared_error",
        "neg_root_mean_squared_error",
        "r2",
    ]
    results = cross_validate_gru(X, y, scoring)
    flat_mae = by_hand(results, X, y, lambda t, p: np.mean(np.abs(t - p)))
    flat_mse = by_hand(results, X, y, lambda t, p: np.mean((t - p) ** 2))
    np.testing.assert_allclose(-results["test_neg_mean_absolute_error"], flat_mae)
    np.testing.assert_allclose(-results["test_neg_mean_squared_error"], flat_mse)
    # RMSE and R^2 average over the horizon steps (sklearn's uniform_average)
    np.testing.assert_allclose(
        -results["test_neg_root_mean_squared_error"],
        by_hand(results, X, y, root_mean_squared_error),
    )
    np.testing.assert_allclose(results["test_r2"], by_hand(results, X, y, r2_score))


def test_skseq_scorers_flatten_3d_targets(multivariate_data):
    X, y = multivariate_data  # y: (n, horizon=4, n_targets=2)
    scoring = {
        "mae": get_scorer("neg_mean_absolute_error"),
        "mse": get_scorer("neg_mean_squared_error"),
        "smape": get_scorer(
            make_scorer(
                symmetric_mean_absolute_percentage_error, greater_is_better=False
            )
        ),
    }
    results = cross_validate_gru(X, y, scoring)

    def flat(metric):
        return lambda t, p: metric(t.reshape(len(t), -1), p.reshape(len(p), -1))

    np.testing.assert_allclose(
        -results["test_mae"], by_hand(results, X, y, lambda t, p: np.abs(t - p).mean())
    )
    np.testing.assert_allclose(
        -results["test_mse"], by_hand(results, X, y, flat(mean_squared_error))
    )
    np.testing.assert_allclose(
        -results["test_smape"],
        by_hand(results, X, y, flat(symmetric_mean_absolute_percentage_error)),
    )
    per_step = get_scorer("neg_mae_per_horizon")(results["estimator"][0], X, y)
    expected = mean_absolute_error_per_horizon(y, results["estimator"][0].predict(X))
    np.testing.assert_allclose(
        [per_step[f"neg_mae_h{k}"] for k in range(1, 5)], -expected
    )


def test_metadata_routing_weighs_skseq_scorers_as_sklearn_scorers():
    # Under routing, a SeriesScorer must take a score request like sklearn's
    # scorers (before, it had none: weights were refused or silently unused).
    import sklearn
    from sklearn.metrics import get_scorer as sklearn_get_scorer

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 6)), rng.normal(size=40)
    weights = np.r_[np.zeros(20), np.ones(20)]
    cv = KFold(2, shuffle=True, random_state=0)
    name = "neg_mean_absolute_error"
    with sklearn.config_context(enable_metadata_routing=True):
        model = NaiveForecaster().set_fit_request(sample_weight=False)
        scores = {}
        for key, scorer in [("skseq", get_scorer(name)), ("sk", None)]:
            scorer = scorer or sklearn_get_scorer(name)
            scorer = scorer.set_score_request(sample_weight=True)
            scores[key] = cross_validate(
                model, X, y, cv=cv, scoring=scorer, params={"sample_weight": weights}
            )["test_score"]
        unweighted = cross_validate(model, X, y, cv=cv, scoring=get_scorer(name))
        with pytest.raises(TypeError, match="neg_mase takes no sample_weight"):
            get_scorer("neg_mase").set_score_request(sample_weight=True)
        with pytest.raises(TypeError, match="make_scorer"):
            get_scorer(lambda *args: 0.0).set_score_request(sample_weight=True)
    np.testing.assert_allclose(scores["skseq"], scores["sk"])
    assert not np.allclose(scores["skseq"], unweighted["test_score"])
    # the request is set on a copy: a fresh scorer requests nothing
    routing = get_scorer(name).get_metadata_routing()
    assert routing.score.requests["sample_weight"] is None


@pytest.mark.parametrize(
    "metric",
    [
        mean_absolute_error_per_horizon,
        symmetric_mean_absolute_percentage_error,
        mean_absolute_scaled_error,
    ],
)
def test_point_forecasts_of_other_rows_are_refused(metric):
    # rows pair by position: a forecast sorted otherwise, or dated a step later,
    # was scored against the wrong rows (MAE per horizon [6, 6] for a perfect
    # forecast given in reverse)
    dates = pd.date_range("2024-01-01", periods=7, freq="D")
    truth = pd.DataFrame({"h1": np.arange(7.0) + 1, "h2": np.arange(7.0) + 2}, dates)
    with pytest.raises(ValueError, match="different index labels"):
        metric(truth, truth[::-1])
    with pytest.raises(ValueError, match="different index labels"):
        metric(truth, truth.shift(1, freq="D"))
    # arrays and a default index beside dates still pair by position
    assert metric(truth, truth.to_numpy()) == pytest.approx(0.0)
    assert metric(truth, truth.reset_index(drop=True)) == pytest.approx(0.0)


def test_mae_per_horizon_pairs_steps_by_position_whatever_their_labels():
    # a backtest's forecasts are labelled (target, step); a truth built by hand
    # is labelled by step: the columns pair by position, as documented
    dates = pd.date_range("2024-01-01", periods=4, freq="D")
    truth = pd.DataFrame({1: [1.0, 2, 3, 4], 2: [2.0, 3, 4, 5]}, dates)
    forecast = truth.set_axis(pd.MultiIndex.from_product([["y"], [1, 2]]), axis=1)
    np.testing.assert_array_equal(
        mean_absolute_error_per_horizon(truth, forecast + [0.0, 1.0]), [0.0, 1.0]
    )
