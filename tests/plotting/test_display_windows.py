"""ForecastDisplay.from_estimator of a sequence forecaster: one input window,
drawn whole, and the first row of each output (not its first column)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV

from skseq import ConformalForecaster, NaiveForecaster, make_windows
from skseq.plotting import ForecastDisplay

SERIES = np.sin(np.arange(120) / 5)
X, Y = make_windows(SERIES, window=20, horizon=5)


@pytest.fixture(scope="module")
def naive():
    return NaiveForecaster().fit(X, Y)


@pytest.mark.parametrize(
    "window", [X[-1:], X[-1:, :, 0], X[-1, :, 0]], ids=["3d", "2d", "1d"]
)
def test_one_window_is_drawn_whole_with_its_forecast(naive, window):
    # (1, 20) drew one past point and one forecast point (column 0 of each);
    # (1, 20, 1) was refused ("past must hold one series")
    ax = ForecastDisplay.from_estimator(naive, window, actual=Y[-1:]).ax_
    assert_allclose(ax.lines[0].get_ydata(), X[-1, :, 0])
    assert_allclose(ax.lines[1].get_ydata(), naive.predict(X[-1:])[0])
    assert_allclose(ax.lines[2].get_ydata(), Y[-1])


def test_the_interval_of_a_conformal_forecaster_is_its_first_rows():
    model = ConformalForecaster(NaiveForecaster()).fit(X, Y)
    ax = ForecastDisplay.from_estimator(model, X[-1:], coverage=0.9).ax_
    lower, upper = model.predict_interval(X[-1:], coverage=0.9)
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert_allclose([band.min(), band.max()], [lower.min(), upper.max()])
    assert len(ax.lines[1].get_ydata()) == 5


def test_a_search_around_a_sequence_forecaster_draws_its_best_model():
    search = GridSearchCV(NaiveForecaster(), {"season": [1, 2]}, cv=2).fit(X, Y)
    ax = ForecastDisplay.from_estimator(search, X[-1:]).ax_
    assert_allclose(ax.lines[1].get_ydata(), search.predict(X[-1:])[0])


@pytest.mark.parametrize(
    ("window", "match"),
    [
        (X[-2:], r"series has shape \(2, 20, 1\).*pass one window"),
        (np.zeros((1, 20, 2)), "has 2 features and the plot cannot tell"),
    ],
)
def test_several_windows_or_features_are_refused(naive, window, match):
    # (20, 1), a window of 20 one-step samples, drew 20 first steps as a forecast
    with pytest.raises(ValueError, match=match):
        ForecastDisplay.from_estimator(naive, window)


def test_a_pipeline_on_windows_draws_one_window():
    # make_pipeline(FlattenSequence(), Ridge()) drew one past point and one
    # forecast step of X[-1:, :, 0]; a 3D window was refused
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skseq import FlattenSequence

    model = make_pipeline(FlattenSequence(), Ridge()).fit(X, Y)
    for window in (X[-1:], X[-1:, :, 0]):
        ax = ForecastDisplay.from_estimator(model, window).ax_
        assert_allclose(ax.lines[0].get_ydata(), X[-1, :, 0])
        assert_allclose(ax.lines[1].get_ydata(), model.predict(X[-1:])[0])
