"""Fan charts: quantile bands of plot_forecast and ForecastDisplay."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from numpy.testing import assert_allclose

from skseq import DenseForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster
from skseq.plotting import ForecastDisplay, plot_forecast

LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95]
SPREAD = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])


@pytest.fixture(scope="module")
def dated():
    dates = pd.date_range("2019-01-01", periods=25, freq="D")
    values = 10 + np.sin(np.arange(25) / 3)
    history = pd.Series(values[:20], index=dates[:20], name="rail")
    forecast = pd.Series(values[20:], index=dates[20:], name="rail")
    quantiles = pd.DataFrame(
        forecast.to_numpy()[:, None] + SPREAD, index=dates[20:], columns=LEVELS
    )
    return history, forecast, quantiles


def bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def band_edges(band):
    """The lower and upper edge of a filled band, at each of its x in order."""
    vertices = band.get_paths()[0].vertices
    xs = np.unique(vertices[:, 0])
    lower = [vertices[vertices[:, 0] == x, 1].min() for x in xs]
    upper = [vertices[vertices[:, 0] == x, 1].max() for x in xs]
    return np.array(lower), np.array(upper)


def legend_labels(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_bands_are_the_given_quantiles_nested_widest_first(dated):
    history, forecast, quantiles = dated
    ax = plot_forecast(history, forecast, quantiles=quantiles)
    outer, inner = bands(ax)  # one band per symmetric pair
    for band, (low, high) in ((outer, (0.05, 0.95)), (inner, (0.25, 0.75))):
        lower, upper = band_edges(band)
        assert_allclose(lower, quantiles[low])
        assert_allclose(upper, quantiles[high])
    # the forecast is the median: one line, named so, not two on each other
    assert legend_labels(ax) == [
        "past",
        "forecast (median)",
        "90% interval",
        "50% interval",
    ]
    # the inner band is darker (further from white) than the outer one
    assert sum(outer.get_facecolor()[0][:3]) > sum(inner.get_facecolor()[0][:3])
    # lines stay as they were: past, forecast first
    assert_allclose(ax.lines[1].get_ydata(), forecast)


def test_a_median_apart_from_the_forecast_is_its_own_line(dated):
    history, forecast, quantiles = dated
    mean = forecast + 0.5  # e.g. the mean of a skewed forecast distribution
    ax = plot_forecast(history, mean, quantiles=quantiles)
    median = next(line for line in ax.lines if line.get_label() == "median")
    assert_allclose(median.get_ydata(), quantiles[0.5])
    assert legend_labels(ax) == [
        "past",
        "forecast",
        "90% interval",
        "50% interval",
        "median",
    ]


def test_array_quantiles_with_levels_in_any_order():
    forecast = np.arange(4.0)
    levels = [0.9, 0.1, 0.5]  # columns in this order; sorted for drawing
    quantiles = forecast[:, None] + np.array([2.0, -2.0, 0.0])
    ax = plot_forecast(np.zeros(6), forecast, quantiles=quantiles, levels=levels)
    (band,) = bands(ax)
    lower, upper = band_edges(band)
    assert_allclose(lower, forecast - 2)
    assert_allclose(upper, forecast + 2)
    assert "80% interval" in legend_labels(ax)


def test_coverage_labels_keep_their_decimals():
    quantiles = np.array([[0.0, 1.0, 2.0, 3.0]])
    ax = plot_forecast(
        [0.0], [1.5], quantiles=quantiles, levels=[0.0125, 0.1, 0.9, 0.9875]
    )
    assert legend_labels(ax)[-2:] == ["97.5% interval", "80% interval"]
    assert len(bands(ax)) == 2


def test_median_alone_is_a_line_without_bands():
    ax = plot_forecast([0.0, 1.0], [2.0, 3.0], quantiles=[[2.0], [3.0]], levels=[0.5])
    assert bands(ax) == []
    assert_allclose(ax.lines[-1].get_ydata(), [2.0, 3.0])


@pytest.mark.parametrize(
    ("levels", "match"),
    [
        ([0.05, 0.5, 0.9], r"Quantile levels \[0.05, 0.9\] have no symmetric"),
        ([0.1, 0.25, 0.9], r"Quantile levels \[0.25\] have no symmetric"),
    ],
)
def test_unpaired_levels_are_refused(levels, match):
    quantiles = np.zeros((2, len(levels)))
    with pytest.raises(ValueError, match=match):
        plot_forecast([0.0], [1.0, 2.0], quantiles=quantiles, levels=levels)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"quantiles": np.zeros((2, 2))}, ValueError, "pass levels="),
        (
            {"quantiles": np.zeros((2, 3)), "levels": [0.1, 0.9]},
            ValueError,
            r"shape \(horizon, n_levels\) = \(2, 2\)",
        ),
        (
            {"quantiles": np.zeros((3, 2)), "levels": [0.1, 0.9]},
            ValueError,
            "quantiles has 3 steps; the forecast has 2",
        ),
        (
            {"quantiles": np.zeros((2, 2)), "levels": [0.0, 1.0]},
            ValueError,
            r"lie in \(0, 1\)",
        ),
        (
            {"quantiles": np.zeros((2, 2)), "levels": [0.5, 0.5]},
            ValueError,
            "repeated",
        ),
        (
            {"quantiles": np.zeros((2, 2)), "levels": ["low", "high"]},
            TypeError,
            "real numbers",
        ),
        (
            {
                "quantiles": np.zeros((2, 2)),
                "levels": [0.1, 0.9],
                "lower": [0, 0],
                "upper": [1, 1],
            },
            ValueError,
            "not both",
        ),
        (
            {"quantiles": np.zeros((2, 2)), "levels": [0.1, 0.9], "coverage": 0.8},
            ValueError,
            "not both",
        ),
        ({"levels": [0.1, 0.9]}, ValueError, "pass quantiles too"),
        (
            {
                "quantiles": pd.DataFrame(np.zeros((2, 2)), columns=[0.1, 0.9]),
                "levels": [0.2, 0.8],
            },
            ValueError,
            "differ from the columns",
        ),
        (
            {
                "quantiles": pd.DataFrame(np.zeros((2, 2)), columns=[0.1, 0.9]),
                "levels": [0.1, 0.5, 0.9],
            },
            ValueError,
            "differ from the columns",
        ),
    ],
)
def test_quantile_inputs_are_checked(kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_forecast([0.0, 1.0], [2.0, 3.0], **kwargs)


def test_lower_upper_interval_is_unchanged():
    ax = plot_forecast(
        [0.0], [1.0, 2.0], lower=[0.5, 1.5], upper=[1.5, 2.5], coverage=0.8
    )
    (band,) = bands(ax)
    assert_allclose(band.get_facecolor()[0][:3], to_rgb("C3"))
    assert band.get_alpha() == pytest.approx(0.2)
    assert legend_labels(ax)[-1] == "80% interval"


def test_display_from_predictions_keeps_the_quantiles(dated):
    history, forecast, quantiles = dated
    display = ForecastDisplay.from_predictions(
        history, forecast, quantiles=quantiles, estimator_name="fan"
    )
    assert display.quantiles is quantiles and display.levels is None
    assert len(bands(display.ax_)) == 2
    assert display.ax_.get_title() == "fan"


class QuantileForecaster:
    """Duck-typed: forecasts 3 dated steps of 2 targets, with quantiles."""

    window = 5
    target_names_ = ["rail", "bus"]

    def __init__(self):
        self.calls = []

    def predict(self, series):
        index = pd.date_range(series.index[-1], periods=4, freq="D")[1:]
        return pd.DataFrame({"rail": [1.0, 2, 3], "bus": [10.0, 20, 30]}, index=index)

    def predict_quantiles(self, series, quantiles=None):
        self.calls.append(quantiles)
        forecast = self.predict(series)
        columns = pd.MultiIndex.from_product([forecast.columns, quantiles])
        values = np.stack(
            [forecast.to_numpy() + offset for offset in np.array(quantiles) - 0.5],
            axis=-1,
        )
        return pd.DataFrame(
            values.reshape(3, -1), index=forecast.index, columns=columns
        )


def test_from_estimator_draws_predict_quantiles_of_the_chosen_target(dated):
    history, _, _ = dated
    series = pd.DataFrame({"rail": history, "bus": history * 10})
    model = QuantileForecaster()
    levels = (0.1, 0.5, 0.9)
    display = ForecastDisplay.from_estimator(
        model, series, quantiles=levels, target="bus"
    )
    assert model.calls == [levels]
    (band,) = bands(display.ax_)
    lower, upper = band_edges(band)
    assert_allclose(lower, np.array([10.0, 20, 30]) - 0.4)
    assert_allclose(upper, np.array([10.0, 20, 30]) + 0.4)
    assert legend_labels(display.ax_)[-2:] == ["forecast (median)", "80% interval"]


def test_from_estimator_refuses_a_model_without_quantiles(dated):
    history, _, _ = dated
    model = WindowedForecaster(NaiveForecaster(), window=7, horizon=2).fit(history)
    with pytest.raises(ValueError, match="probabilistic loss"):
        ForecastDisplay.from_estimator(model, history, quantiles=(0.1, 0.9))

    class PointOnly:
        window = 7

        def predict(self, series):
            return model.forecast(series)

    with pytest.raises(
        ValueError, match=r"PointOnly has no predict_quantiles.*loss='quantile'"
    ):
        ForecastDisplay.from_estimator(PointOnly(), history, quantiles=(0.1, 0.9))
    with pytest.raises(ValueError, match="not both"):
        ForecastDisplay.from_estimator(
            model, history, quantiles=(0.1, 0.9), coverage=0.8
        )


def test_from_estimator_fan_chart_of_a_quantile_head():
    dates = pd.date_range("2020-01-01", periods=80, freq="D")
    rng = np.random.default_rng(0)
    series = pd.Series(
        10 + np.sin(np.arange(80) * 2 * np.pi / 7) + 0.3 * rng.normal(size=80),
        index=dates,
        name="riders",
    )
    network = DenseForecaster(
        hidden_units=(4,),
        loss="quantile",
        quantiles=(0.1, 0.25, 0.5, 0.75, 0.9),
        epochs=1,
        random_state=0,
    )
    model = WindowedForecaster(network, window=7, horizon=3).fit(series)
    levels = (0.1, 0.25, 0.5, 0.75, 0.9)
    display = ForecastDisplay.from_estimator(model, series, quantiles=levels)
    expected = model.forecast_quantiles(series, quantiles=levels)
    outer, inner = bands(display.ax_)
    assert_allclose(band_edges(outer)[0], expected[0.1])
    assert_allclose(band_edges(inner)[1], expected[0.75])
    assert_allclose(display.ax_.lines[-1].get_ydata(), expected[0.5])


def test_a_panel_frame_of_quantiles_is_refused_with_the_fix():
    index = pd.date_range("2020-01-01", periods=3, freq="D")
    panel = pd.DataFrame(
        {"id": ["a"] * 3, 0.1: [0.0, 0.0, 0.0], 0.9: [2.0, 2.0, 2.0]}, index=index
    )
    with pytest.raises(ValueError, match="columns that are not levels: \\['id'\\]"):
        plot_forecast(
            pd.Series([1.0, 1.0], index=index[:2] - pd.Timedelta(days=2)),
            pd.Series([1.0, 1.0, 1.0], index=index),
            quantiles=panel,
        )
