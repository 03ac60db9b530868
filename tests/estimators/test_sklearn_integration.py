"""skseq estimators inside sklearn's model selection and pipelines."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import StackingRegressor, VotingRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import (
    ConformalForecaster,
    DenseForecaster,
    GRUForecaster,
    NaiveForecaster,
    RNNForecaster,
    SequenceScaler,
)

FAST = {"epochs": 1, "batch_size": 16, "random_state": 0}


def test_grid_search_over_units_and_strategy(multi_step_data):
    X, y = multi_step_data
    search = GridSearchCV(
        RNNForecaster(cell="gru", **FAST),
        {"units": [2, (3, 2)], "strategy": ["direct", "seq2seq"]},
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_mean_squared_error",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.predict(X).shape == y.shape
    # the searched parameters reached the fitted networks
    assert search.best_estimator_.model_.count_params() > 0


def test_pipeline_with_sequence_scaler(multi_step_data):
    X, y = multi_step_data
    X_shifted = X * 100 + 5000
    model = make_pipeline(SequenceScaler(), GRUForecaster(3, **FAST))
    wrapped = TransformedTargetRegressor(model, transformer=StandardScaler())
    wrapped.fit(X_shifted, y * 100 + 5000)
    pred = wrapped.predict(X_shifted)
    assert pred.shape == y.shape
    assert abs(pred.mean() - 5000) < 500


def test_cross_val_score_with_time_series_split(next_step_data):
    X, y = next_step_data
    scores = cross_val_score(
        GRUForecaster(2, **FAST),
        X,
        y,
        cv=TimeSeriesSplit(n_splits=3),
        scoring="neg_mean_absolute_error",
    )
    assert scores.shape == (3,) and np.isfinite(scores).all()


def test_set_params_changes_the_next_fit(next_step_data):
    X, y = next_step_data
    model = GRUForecaster(2, **FAST).fit(X, y)
    small = model.model_.count_params()
    model.set_params(units=(6, 6)).fit(X, y)
    assert model.model_.count_params() > small


@pytest.mark.parametrize(
    "estimator",
    [
        NaiveForecaster(),
        DenseForecaster(**FAST),
        ConformalForecaster(NaiveForecaster()),
    ],
    ids=lambda estimator: type(estimator).__name__,
)
def test_dataframe_columns_are_checked_by_name(next_step_data, estimator):
    # A 2D DataFrame holds one time step per column: the same columns in another
    # order would shuffle the time steps without a word.
    X, y = next_step_data
    frame = pd.DataFrame(X[:, :, 0], columns=[f"lag{20 - i}" for i in range(20)])
    estimator.fit(frame, y)
    assert list(estimator.feature_names_in_) == list(frame.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        estimator.predict(frame)
        estimator.predict(frame.to_numpy())
    with pytest.raises(ValueError, match="in another order"):
        estimator.predict(frame[frame.columns[::-1]])
    with pytest.warns(UserWarning, match="other column names"):
        estimator.predict(frame.set_axis([f"d{i}" for i in range(20)], axis=1))
    estimator.fit(X, y)  # refitted without names: none kept, nothing checked
    assert not hasattr(estimator, "feature_names_in_")
    assert estimator.predict(frame[frame.columns[::-1]]).shape == y.shape


@pytest.mark.parametrize(
    "estimator",
    [NaiveForecaster(), DenseForecaster(**FAST)],
    ids=lambda estimator: type(estimator).__name__,
)
def test_integer_columns_in_another_order_are_refused(next_step_data, estimator):
    # sklearn keeps feature_names_in_ for string names only: integer labels
    # reordered at predict time shuffled the time steps without a word.
    X, y = next_step_data
    frame = pd.DataFrame(X[:, :, 0])
    estimator.fit(frame, y)
    assert not hasattr(estimator, "feature_names_in_")
    assert estimator.predict(frame).shape == y.shape
    with pytest.raises(ValueError, match="in another order"):
        estimator.predict(frame[frame.columns[::-1]])
    assert estimator.predict(frame.set_axis(range(1, 21), axis=1)).shape == y.shape
    estimator.fit(X, y)  # refitted on an array: no labels kept
    assert estimator.predict(frame[frame.columns[::-1]]).shape == y.shape


@pytest.mark.parametrize("method", ["partial_fit", "warm_start"])
def test_training_further_checks_dataframe_columns(next_step_data, method):
    # partial_fit and warm_start train the fitted network further: on the
    # fit's columns reordered, they would train it on shuffled time steps.
    X, y = next_step_data
    frame = pd.DataFrame(X[:, :, 0], columns=[f"lag{20 - i}" for i in range(20)])
    estimator = GRUForecaster(2, warm_start=method == "warm_start", **FAST)
    train = getattr(estimator, "partial_fit" if method == "partial_fit" else "fit")
    train(frame, y)
    with pytest.raises(ValueError, match="in another order"):
        train(frame[frame.columns[::-1]], y)
    assert len(estimator.history_["loss"]) == 1  # nothing trained


@pytest.mark.parametrize("ensemble", [VotingRegressor, StackingRegressor])
def test_ensembles_pass_sample_weight_to_the_naive_baseline(next_step_data, ensemble):
    # sklearn refuses weights unless every member's fit takes sample_weight.
    X, y = next_step_data[0][:30, :, 0], next_step_data[1][:30]
    weights = np.random.default_rng(0).uniform(size=len(X))
    members = [("dense", DenseForecaster(2, **FAST)), ("naive", NaiveForecaster())]
    kwargs = {"cv": 2} if ensemble is StackingRegressor else {}
    model = ensemble(members, **kwargs).fit(X, y, sample_weight=weights)
    assert model.predict(X).shape == y.shape
    naive = NaiveForecaster().fit(X, y, sample_weight=weights)
    assert np.array_equal(naive.predict(X), X[:, -1])
    with pytest.raises(ValueError, match="sample_weight"):
        NaiveForecaster().fit(X, y, sample_weight=np.ones(3))
