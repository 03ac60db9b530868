"""Several targets reach a skseq forecaster wrapped in a Pipeline, a search or a
TransformedTargetRegressor (they were flattened into one target's horizon)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import (
    ConformalForecaster,
    DenseForecaster,
    FlattenSequence,
    NaiveForecaster,
    SequenceScaler,
)
from skseq.forecasting import WindowedForecaster


@pytest.fixture
def frame():
    return pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) + 100})


WRAPPERS = {
    "pipeline": lambda: make_pipeline(NaiveForecaster()),
    "search": lambda: GridSearchCV(NaiveForecaster(), {"season": [1, 2]}, cv=KFold(2)),
    "conformal": lambda: ConformalForecaster(make_pipeline(NaiveForecaster())),
    "pipeline_of_conformal": lambda: make_pipeline(
        ConformalForecaster(NaiveForecaster())
    ),
}


@pytest.mark.parametrize("wrapper", list(WRAPPERS))
def test_windowed_forecaster_keeps_every_target_of_a_wrapped_forecaster(frame, wrapper):
    model = WindowedForecaster(
        WRAPPERS[wrapper](), window=4, target=["a", "b"], scale=False, difference=None
    ).fit(frame)
    np.testing.assert_array_equal(model.forecast(frame), [[39.0, 139.0]])


def test_windowed_forecaster_with_two_steps_of_two_targets(frame):
    model = WindowedForecaster(
        make_pipeline(NaiveForecaster()), window=4, horizon=2, target=["b", "a"]
    ).fit(frame)
    np.testing.assert_allclose(model.forecast(frame), [[139.0, 39.0]] * 2)


def test_conformal_keeps_every_target_of_a_wrapped_forecaster():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 5, 2))
    y = X[:, -1:, :] + 1.0  # (30, 1, 2): one step of two targets
    model = ConformalForecaster(make_pipeline(NaiveForecaster())).fit(X, y)
    np.testing.assert_allclose(model.predict(X[:3]), X[:3, -1:, :])
    np.testing.assert_allclose(model.residuals_, 1.0)


def test_flat_targets_still_reach_a_tabular_pipeline(frame):
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge(alpha=1e-6)),
        window=4,
        target=["a", "b"],
        scale=False,
    ).fit(frame)
    np.testing.assert_allclose(model.forecast(frame), [[40.0, 140.0]], atol=1e-3)


def test_transformed_target_regressor_around_a_forecaster_refuses_two_targets(frame):
    # it validates y as 2D, where two targets would read as two steps of one
    model = WindowedForecaster(
        TransformedTargetRegressor(regressor=NaiveForecaster()),
        window=4,
        target=["a", "b"],
    )
    with pytest.raises(ValueError, match="through a TransformedTargetRegressor"):
        model.fit(frame)
    one = WindowedForecaster(
        TransformedTargetRegressor(regressor=NaiveForecaster()),
        window=4,
        target="b",
        difference=None,
    ).fit(frame)
    np.testing.assert_allclose(one.forecast(frame), [139.0])


UNIT_CHANGING = {
    "log target of recursive": lambda: TransformedTargetRegressor(
        DenseForecaster(strategy="recursive", solver="lstsq"),
        func=np.log,
        inverse_func=np.exp,
    ),
    "scaled target of recursive": lambda: TransformedTargetRegressor(
        DenseForecaster(strategy="recursive", solver="lstsq"),
        transformer=StandardScaler(),
    ),
    "scaled inputs of recursive": lambda: make_pipeline(
        SequenceScaler(), DenseForecaster(strategy="recursive", solver="lstsq")
    ),
    "log target of naive": lambda: TransformedTargetRegressor(
        NaiveForecaster(), func=np.log, inverse_func=np.exp
    ),
    "scaled inputs of naive": lambda: make_pipeline(
        SequenceScaler(), NaiveForecaster()
    ),
    "scaled inputs of a conformal recursive": lambda: make_pipeline(
        SequenceScaler(),
        ConformalForecaster(DenseForecaster(strategy="recursive", solver="lstsq")),
    ),
    "log target of a conformal recursive": lambda: TransformedTargetRegressor(
        ConformalForecaster(DenseForecaster(strategy="recursive", solver="lstsq")),
        func=np.log,
        inverse_func=np.exp,
    ),
}


@pytest.mark.parametrize("wrapper", list(UNIT_CHANGING))
def test_wrappers_that_change_the_units_of_x_or_y_alone_are_refused(wrapper):
    # the forecaster reads (or feeds back) targets among X's features: a
    # transform of y alone, or of X alone, made a linear trend's forecast run
    # away (33 -> 197 -> 80 -> -14) or come back in other units
    trend = pd.Series(3.0 + 0.5 * np.arange(40.0), name="y")
    model = WindowedForecaster(
        UNIT_CHANGING[wrapper](), window=3, horizon=3, difference=None, scale=False
    )
    with pytest.raises(ValueError, match="must be in y's units"):
        model.fit(trend)


def test_a_transformed_target_of_a_direct_forecaster_is_still_exact():
    trend = pd.Series(3.0 + 0.5 * np.arange(40.0), name="y")
    wrapped = TransformedTargetRegressor(
        DenseForecaster(solver="lstsq"), transformer=StandardScaler()
    )
    model = WindowedForecaster(
        wrapped, window=3, horizon=3, difference=None, scale=False
    ).fit(trend)
    expected = 3.0 + 0.5 * np.arange(40, 43)
    np.testing.assert_allclose(model.forecast(trend), expected, atol=1e-4)
