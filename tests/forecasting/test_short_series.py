"""Model selection on short series: splits that can train, defaults that fit,
scores that follow the metric, dates for every index."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import SeriesSplit, WindowedForecaster


def ridge():
    return make_pipeline(FlattenSequence(), Ridge(alpha=1e-6))


def monthly(n, start="2010-01"):
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(size=n)
    return pd.Series(values, pd.date_range(start, periods=n, freq="MS"), name="y")


# -- SeriesSplit ------------------------------------------------------------------
def test_series_split_refuses_a_first_fold_without_a_training_window():
    # The trend-and-seasonality page's search on 132 months: lookback=24 + 13,
    # horizon=12 left 23 training rows in fold 1, and every candidate NaN.
    cv = SeriesSplit(3, test_size=24, lookback=24 + 13, horizon=12)
    with pytest.raises(ValueError, match=r"fold 1 number 23, fewer than .* = 49"):
        list(cv.split(np.zeros(132)))
    with pytest.raises(ValueError, match="every fold .max_train_size. number 20"):
        list(SeriesSplit(2, test_size=5, horizon=3, lookback=20, max_train_size=20)
             .split(np.zeros(100)))
    # exactly one training window is enough
    folds = list(SeriesSplit(3, test_size=24, lookback=37, horizon=12).split(
        np.zeros(72 + 37 + 49)))
    assert len(folds[0][0]) == 49


def test_a_search_whose_folds_cannot_train_raises_instead_of_a_nan_best():
    series = monthly(132)
    model = WindowedForecaster(ridge(), window=24, horizon=12)
    cv = SeriesSplit(3, test_size=24, lookback=24 + 13, horizon=12)
    search = GridSearchCV(model, {"difference": [None, 1, 12, (1, 12)]}, cv=cv)
    with pytest.raises(ValueError, match="fold 1 number 23"):
        search.fit(series)


@pytest.mark.parametrize("scoring", ["neg_mean_absolute_error",
                                     "neg_mean_squared_error"])
def test_test_size_equal_to_horizon_scores_by_mae_and_mse(scoring):
    # test_size=horizon was refused for every metric, as if all needed R^2's 2
    series = monthly(36)
    model = WindowedForecaster(ridge(), window=6, horizon=6)
    cv = SeriesSplit(2, test_size=6, horizon=6)
    scores = cross_val_score(model, series, series, cv=cv, scoring=scoring,
                             error_score="raise")
    assert np.isfinite(scores).all()


def test_series_split_docstring_states_the_checks():
    assert "lookback + horizon" in SeriesSplit.__doc__
    assert "test_size >= horizon + 1" in SeriesSplit.__doc__
