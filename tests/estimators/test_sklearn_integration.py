"""skseq estimators inside sklearn's model selection and pipelines."""

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import GRUForecaster, RNNForecaster, SequenceScaler

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
