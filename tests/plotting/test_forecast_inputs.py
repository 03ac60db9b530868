"""plot_forecast checks what it is given before it draws: refused inputs leave
nothing behind, and values labelled with other steps are never drawn at the
forecast's."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skseq.plotting import ForecastDisplay, plot_forecast

DATES = pd.date_range("2024-01-01", periods=30, freq="D")
HISTORY = pd.Series(np.arange(20.0), DATES[:20], name="y")
FORECAST = pd.Series(np.arange(20.0, 30.0), DATES[20:])
EARLIER = DATES[10:20]  # the dates of another forecast, 10 days before

REFUSED = {
    "one bound": {"lower": FORECAST - 1},
    "short truth": {"actual": np.zeros(3)},
    "unpaired levels": {"quantiles": np.zeros((10, 2)), "levels": [0.1, 0.3]},
    "levels alone": {"levels": [0.1, 0.9]},
    "coverage alone": {"coverage": 0.9},
    "short bounds": {"lower": FORECAST[:3], "upper": FORECAST[:3]},
}


@pytest.mark.parametrize("kwargs", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_forecast_plot_leaves_no_figure_and_no_drawing(kwargs):
    # each refusal left a half-drawn figure open (past and forecast lines):
    # in a notebook, shown under the error; on given axes, drawn on them
    plt.close("all")
    with pytest.raises(ValueError):
        plot_forecast(HISTORY, FORECAST, **kwargs)
    assert plt.get_fignums() == []
    _, ax = plt.subplots()
    with pytest.raises(ValueError):
        plot_forecast(HISTORY, FORECAST, ax=ax, **kwargs)
    assert len(ax.lines) == len(ax.collections) == 0


def test_coverage_without_an_interval_is_refused():
    # coverage=0.9 without lower/upper drew no interval and said nothing
    with pytest.raises(ValueError, match="coverage=0.9 names an interval"):
        plot_forecast(HISTORY, FORECAST, coverage=0.9)


@pytest.mark.parametrize("name", ["lower", "quantiles"])
def test_bounds_and_quantiles_of_other_dates_are_refused(name):
    # ForecastDisplay refused them, plot_forecast drew them at the forecast's dates
    values = np.arange(10.0)
    if name == "lower":
        kwargs = {"lower": pd.Series(values - 1, EARLIER)}
        kwargs["upper"] = kwargs["lower"] + 2
    else:
        columns = {0.1: values - 1, 0.5: values, 0.9: values + 1}
        kwargs = {"quantiles": pd.DataFrame(columns, index=EARLIER)}
    with pytest.raises(ValueError, match=f"{name} of another forecast"):
        plot_forecast(HISTORY, FORECAST, **kwargs)


def test_a_dated_truth_is_drawn_at_the_forecasts_dates():
    # a truth Series of other dates was drawn at the forecast's steps; one
    # that covers them (the whole series) was refused for its length
    truth = pd.Series(np.arange(100.0, 130.0), DATES)
    ax = plot_forecast(HISTORY, FORECAST, actual=truth)
    assert_allclose(ax.lines[2].get_ydata(), np.arange(120.0, 130.0))
    with pytest.raises(ValueError, match="holds none of the forecast's dates"):
        plot_forecast(HISTORY, FORECAST, actual=truth[5:15])
    # a truth of one value per step on the default index is taken in order
    ax = plot_forecast(HISTORY, FORECAST, actual=pd.Series(np.arange(10.0)))
    assert_allclose(ax.lines[2].get_ydata(), np.arange(10.0))


def test_a_truth_of_horizon_values_on_the_default_index_is_taken_in_order():
    # ForecastDisplay refused it: "actual does not cover the forecast's dates"
    display = ForecastDisplay.from_predictions(
        HISTORY, FORECAST, actual=pd.Series(np.arange(10.0))
    )
    assert_allclose(display.ax_.lines[2].get_ydata(), np.arange(10.0))


def test_a_forecast_without_time_zone_after_a_zoned_history_is_refused():
    # naive dates are drawn as UTC: a Chicago history's forecast sat six hours
    # early, over the end of the history
    hours = pd.date_range("2024-01-01", periods=30, freq="h", tz="America/Chicago")
    history = pd.Series(np.arange(20.0), hours[:20])
    forecast = pd.Series(np.arange(10.0), hours[20:].tz_localize(None))
    with pytest.raises(ValueError, match="time zone America/Chicago"):
        plot_forecast(history, forecast)
    ax = plot_forecast(history, forecast.tz_localize("America/Chicago"))
    assert ax.lines[1].get_xdata()[0] > ax.lines[0].get_xdata()[-1]


def test_bounds_and_forecasts_as_lists_are_drawn():
    # ForecastDisplay took a list's index method for an index: AttributeError
    display = ForecastDisplay.from_predictions(
        HISTORY, FORECAST, lower=list(FORECAST - 1), upper=list(FORECAST + 1)
    )
    assert len(display.ax_.collections) == 1
    display = ForecastDisplay.from_predictions(
        list(HISTORY), list(FORECAST), actual=FORECAST
    )
    assert_allclose(display.ax_.lines[2].get_ydata(), FORECAST)


@pytest.mark.parametrize("name", ["past", "forecast"])
def test_rows_of_a_long_panel_are_refused_naming_the_column_to_pass(name):
    # a panel's rows with their id column raised numpy's "could not convert
    # string to float: 'rail'"
    rows = {
        "past": pd.DataFrame({"mode": "rail", "riders": HISTORY}),
        "forecast": pd.DataFrame({"mode": "rail", "riders": FORECAST}),
    }
    args = {"past": HISTORY, "forecast": FORECAST, name: rows[name]}
    match = rf"{name} has 2 columns \['mode', 'riders'\].*{name}\['riders'\]"
    with pytest.raises(ValueError, match=match):
        plot_forecast(args["past"], args["forecast"])


def test_bounds_of_the_same_instants_in_another_time_zone_are_drawn():
    # bounds converted to the history's zone were refused as "lower of
    # another forecast": Index.equals tells apart the same instants in two zones
    hours = pd.date_range("2024-01-01", periods=30, freq="h", tz="UTC")
    history = pd.Series(np.arange(20.0), hours[:20].tz_convert("Europe/Paris"))
    forecast = pd.Series(np.arange(10.0), hours[20:])
    lower = (forecast - 1).tz_convert("Europe/Paris")
    ax = plot_forecast(history, forecast, lower=lower, upper=forecast + 1)
    assert len(ax.collections) == 1
    with pytest.raises(ValueError, match="lower of another forecast"):
        plot_forecast(history, forecast, lower=lower.shift(freq="1h"), upper=lower)


def test_a_backtest_forecast_on_integer_labels_inside_the_history_sits_there():
    # a forecast labelled 120 ... 124 after a history on 100 ... 129 was drawn
    # at steps 0 ... 4, after the history's end, with its truth
    history = pd.Series(np.arange(30.0), range(100, 130))
    forecast = pd.Series(np.arange(5.0), range(120, 125))
    ax = plot_forecast(history, forecast, actual=history)
    assert_allclose(ax.lines[1].get_xdata(), np.arange(120, 125))
    assert_allclose(ax.lines[2].get_ydata(), np.arange(20.0, 25.0))
    # a forecast on the default index (pd.Series(predict(...))) is unlabelled
    ax = plot_forecast(history.reset_index(drop=True), pd.Series(np.arange(5.0)))
    assert_allclose(ax.lines[1].get_xdata(), np.arange(5))
    assert_allclose(ax.lines[0].get_xdata(), np.arange(-30, 0))


def test_a_truth_with_missing_dates_is_drawn_where_it_is_known():
    # a truth without a few of the forecast's dates (gaps, or the last steps
    # not known yet) was refused: "actual does not cover the forecast's dates"
    truth = pd.Series(np.arange(100.0, 130.0), DATES).drop(DATES[[22, 28, 29]])
    ax = plot_forecast(HISTORY, FORECAST, actual=truth)
    expected = np.arange(120.0, 130.0)
    expected[[2, 8, 9]] = np.nan
    assert_allclose(ax.lines[2].get_ydata(), expected)
    display = ForecastDisplay.from_predictions(HISTORY, FORECAST, actual=truth)
    assert_allclose(display.ax_.lines[2].get_ydata(), expected)
    with pytest.raises(ValueError, match="repeats some of its dates"):
        plot_forecast(HISTORY, FORECAST, actual=pd.concat([truth, truth]))
