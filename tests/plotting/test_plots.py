"""Plots render to PNG with the Agg backend and draw the data they were given."""

import matplotlib.dates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skseq import NaiveForecaster, make_windows
from skseq.plotting import (
    plot_forecast,
    plot_horizon_errors,
    plot_learning_curves,
    plot_windows,
)


def save_png(ax, path):
    ax.figure.savefig(path, dpi=60)
    assert path.exists() and path.stat().st_size > 1000
    with open(path, "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plot_forecast_draws_past_forecast_actual_and_band(tmp_path):
    past, forecast = np.sin(np.arange(30) / 4), np.linspace(0, 1, 5)
    actual, lower, upper = forecast + 0.1, forecast - 0.2, forecast + 0.2
    ax = plot_forecast(
        past, forecast, actual=actual, lower=lower, upper=upper, coverage=0.9
    )
    save_png(ax, tmp_path / "forecast.png")

    past_line, forecast_line, actual_line = ax.lines[:3]
    assert_allclose(past_line.get_xdata(), np.arange(-30, 0))
    assert_allclose(past_line.get_ydata(), past)
    assert_allclose(forecast_line.get_xdata(), np.arange(5))
    assert_allclose(forecast_line.get_ydata(), forecast)
    assert_allclose(actual_line.get_ydata(), actual)
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(lower.min())
    assert band[:, 1].max() == pytest.approx(upper.max())
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "90% interval" in labels


def test_plot_forecast_uses_dates_of_series(tmp_path):
    dates = pd.date_range("2019-01-01", periods=10, freq="D")
    past = pd.Series(np.arange(7.0), index=dates[:7])
    forecast = pd.Series([7.0, 8.0, 9.0], index=dates[7:])
    ax = plot_forecast(past, forecast)
    save_png(ax, tmp_path / "dates.png")
    assert len(ax.lines) == 2
    assert_allclose(ax.lines[1].get_ydata(), forecast.to_numpy())


def test_plot_forecast_checks_its_inputs():
    with pytest.raises(ValueError, match="both lower and upper"):
        plot_forecast([1.0, 2.0], [3.0], lower=[2.0])
    with pytest.raises(ValueError, match="actual has 2 steps"):
        plot_forecast([1.0, 2.0], [3.0], actual=[3.0, 4.0])
    with pytest.raises(ValueError, match="one series"):
        plot_forecast(np.zeros((3, 2)), [3.0])


def test_plot_forecast_draws_on_given_axes():
    _, ax = plt.subplots()
    assert plot_forecast([1.0, 2.0], [3.0], ax=ax) is ax


def test_plot_forecast_writes_large_values_with_thousands_separators():
    # not "700000", nor "0.7" under a "1e6" offset; small values unchanged
    ax = plot_forecast([650_000.0, 700_000.0, 1_400_000.0], [690_000.0])
    ax.figure.canvas.draw()
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert "1,000,000" in labels
    assert ax.yaxis.get_offset_text().get_text() == ""
    ax = plot_horizon_errors([29_000.0, 34_000.0])
    ax.figure.canvas.draw()
    assert "30,000" in [label.get_text() for label in ax.get_yticklabels()]
    ax = plot_forecast([0.1, 0.5, 0.9], [0.4])
    ax.figure.canvas.draw()
    assert "0.4" in [label.get_text() for label in ax.get_yticklabels()]
    plt.close("all")


def test_plot_forecast_draws_the_interval_of_one_step_as_a_bar():
    # fill_between over one step has no width: the interval was invisible
    ax = plot_forecast([0.1, 0.5, 0.9], [0.4], lower=[0.2], upper=[0.7], coverage=0.9)
    (bar,) = ax.collections
    assert_allclose(bar.get_paths()[0].get_extents().get_points(), [[0, 0.2], [0, 0.7]])
    assert bar.get_linewidth()[0] >= 5 and bar.get_joinstyle() == "bevel"
    assert bar.get_label() == "90% interval"
    assert ax.get_legend().get_patches()[0].get_linewidth() == 0
    plt.close("all")


def test_plot_horizon_errors_labels_at_most_14_steps_ahead():
    # 24 labels "+1" ... "+24" ran together at the default width
    ax = plot_horizon_errors(np.arange(1.0, 25.0))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [f"+{step}" for step in range(1, 25, 2)]
    assert len(ax.containers[0]) == 24
    plt.close("all")


def test_plot_learning_curves_from_dict_and_estimator(tmp_path):
    history = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.8, 0.7]}
    ax = plot_learning_curves(history, log_scale=True)
    save_png(ax, tmp_path / "curves.png")
    assert [line.get_label() for line in ax.lines] == ["loss", "val_loss"]
    assert_allclose(ax.lines[0].get_xdata(), [1, 2, 3])
    assert_allclose(ax.lines[1].get_ydata(), history["val_loss"])
    assert ax.get_yscale() == "log"

    class Fitted:
        history_ = {"loss": [2.0, 1.0]}

    class Windowed:
        estimator_ = Fitted()

    for owner in (Fitted(), Windowed()):
        ax = plot_learning_curves(owner)
        assert_allclose(ax.lines[0].get_ydata(), [2.0, 1.0])


def test_plot_learning_curves_of_a_real_fit(tmp_path):
    from skseq import DenseForecaster

    X = np.random.default_rng(0).normal(size=(40, 6))
    model = DenseForecaster(epochs=3, random_state=0).fit(X, X[:, -1])
    ax = plot_learning_curves(model)
    save_png(ax, tmp_path / "fit.png")
    assert_allclose(ax.lines[0].get_ydata(), model.history_["loss"])


def test_plot_learning_curves_rejects_unfitted():
    with pytest.raises(TypeError, match="history_"):
        plot_learning_curves(NaiveForecaster())
    with pytest.raises(ValueError, match="empty"):
        plot_learning_curves({})


def test_plot_horizon_errors_bars_match_backtest_errors(tmp_path):
    errors = pd.DataFrame(
        {"bus": [1.0, 2.0, 3.0], "rail": [0.5, 1.5, 2.5]},
        index=pd.RangeIndex(1, 4, name="step"),
    )
    ax = plot_horizon_errors(errors)
    save_png(ax, tmp_path / "errors.png")
    assert len(ax.containers) == 2
    for container, column in zip(ax.containers, errors, strict=True):
        heights = [bar.get_height() for bar in container]
        assert_allclose(heights, errors[column])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["+1", "+2", "+3"]


def test_plot_horizon_errors_compares_models():
    index = pd.RangeIndex(1, 3, name="step")
    models = {
        "naive": pd.DataFrame({"rail": [4.0, 5.0]}, index=index),
        "rnn": pd.Series([2.0, 3.0], index=index),
    }
    ax = plot_horizon_errors(models)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["naive", "rnn"]
    assert_allclose([bar.get_height() for bar in ax.containers[1]], [2.0, 3.0])
    with pytest.raises(ValueError, match="one column each"):
        plot_horizon_errors({"two": pd.DataFrame({"a": [1.0], "b": [2.0]})})


def test_plot_windows_matches_make_windows(tmp_path):
    series = np.sin(np.arange(40) / 3)
    window, horizon, stride = 8, 3, 2
    ax = plot_windows(series, window, horizon, stride=stride, n_windows=4)
    save_png(ax, tmp_path / "windows.png")

    X, y = make_windows(series, window, horizon, stride=stride)
    assert len(ax.collections) == 4
    for i, bars in enumerate(ax.collections):
        (x_in, _, w_in, _), (x_out, _, w_out, _) = (
            path.get_extents().bounds for path in bars.get_paths()
        )
        # bars span the steps of X[i] and y[i] (each step is 1 wide, 0.1 gap)
        start = round(x_in + 0.45)
        assert start == np.argmin(abs(series - X[i, 0, 0]))
        assert start == i * stride + (len(series) - window - horizon) % stride
        assert round(w_in + 0.1) == X.shape[1]
        assert round(x_out + 0.45) == start + window
        assert round(w_out + 0.1) == y.shape[1]
    assert_allclose(
        ax.lines[0].get_xdata(), np.arange(1 + 3 * stride + window + horizon)
    )


def test_plot_windows_refuses_too_short_series():
    with pytest.raises(ValueError, match="holds no window"):
        plot_windows(np.arange(5.0), window=5, horizon=1)


@pytest.mark.parametrize(
    "errors",
    [
        [1.0, 1.5, 2.0],
        np.array([1.0, 1.5, 2.0]),
        pd.Series([1.0, 1.5, 2.0]),
        {"naive": [1.0, 1.5, 2.0], "rnn": pd.Series([0.5, 1.0, 1.5])},
    ],
)
def test_plot_horizon_errors_counts_positional_steps_from_one(errors):
    # Without backtest's 1...horizon index the first error is one step ahead,
    # not "+0".
    ax = plot_horizon_errors(errors)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["+1", "+2", "+3"]
    assert_allclose([bar.get_height() for bar in ax.containers[0]], [1.0, 1.5, 2.0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"stride": 0}, ValueError, "stride must be >= 1"),
        ({"stride": -1}, ValueError, "stride must be >= 1"),
        ({"stride": 1.5}, TypeError, "stride must be an int"),
        ({"window": 3.0}, TypeError, "window must be an int"),
        ({"window": 0}, ValueError, "window must be >= 1"),
        ({"horizon": 2.0}, TypeError, "horizon must be an int"),
        ({"horizon": True}, TypeError, "horizon must be an int"),
        ({"n_windows": 0}, ValueError, "n_windows must be >= 1"),
        ({"n_windows": 2.5}, TypeError, "n_windows must be an int"),
    ],
)
def test_plot_windows_checks_its_integer_arguments(kwargs, error, match):
    arguments = {"window": 3, "horizon": 1, "stride": 1, "n_windows": 2} | kwargs
    with pytest.raises(error, match=match):
        plot_windows(np.arange(12.0), **arguments)


def test_plot_windows_accepts_numpy_integers():
    ax = plot_windows(np.arange(12.0), np.int64(3), np.int32(2), stride=np.int64(2))
    assert len(ax.collections) == 4


def test_forecast_of_a_period_index_sits_at_its_months(tmp_path):
    # matplotlib cannot place a Period: the plot failed with a TypeError
    months = pd.period_range("2020-01", periods=14, freq="M")
    series = pd.Series(np.arange(14.0), index=months, name="sales")
    ax = plot_forecast(series.iloc[:11], series.iloc[11:])
    past, forecast = ax.lines[0].get_xdata(), ax.lines[1].get_xdata()
    assert pd.Timestamp(past[0]) == pd.Timestamp("2020-01-01")
    assert list(pd.DatetimeIndex(forecast)) == list(months[11:].to_timestamp())
    save_png(ax, tmp_path / "periods.png")


def test_forecast_of_a_timedelta_index_reads_in_whole_units():
    # durations were drawn as nanoseconds (ticks of 3.8e14 and so on)
    hours = pd.timedelta_range(0, periods=30, freq="h")
    series = pd.Series(np.arange(30.0), index=hours)
    ax = plot_forecast(series.iloc[:27], series.iloc[27:])
    assert_allclose(ax.lines[1].get_xdata(), [27, 28, 29])
    assert ax.get_xlabel() == "time (hours)"
    days = pd.Series(np.arange(5.0), index=pd.timedelta_range("1D", periods=5))
    ax = plot_forecast(days.iloc[:3], days.iloc[3:])
    assert_allclose(ax.lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "time (days)"


def test_forecast_on_a_range_index_after_dated_history_reads_steps_ahead():
    # pd.Series(model.predict(...)) after dated history sat at 1970-01-01,
    # 54 years left of the history, on one stretched date axis
    days = pd.date_range("2024-01-01", periods=20, freq="D")
    past = pd.Series(np.arange(20.0), index=days, name="rides")
    ax = plot_forecast(past, pd.Series([20.0, 21.0, 22.0]))
    assert_allclose(ax.lines[0].get_xdata()[[0, -1]], [-20, -1])
    assert_allclose(ax.lines[1].get_xdata(), [0, 1, 2])
    assert ax.get_xlabel() == "time step"
    # two integer indexes still place the forecast at its labels
    ax = plot_forecast(past.reset_index(drop=True), pd.Series([1.0], index=[20]))
    assert_allclose(ax.lines[1].get_xdata(), [20])


def test_horizon_errors_of_a_list_line_up_with_backtests_steps():
    # a list next to backtest's 1 ... horizon index sat one step off: "+1"
    # showed the list's first error beside an empty bar, and a "+4" appeared
    backtested = pd.DataFrame({"rail": [1.0, 2.0, 3.0]}, index=[1, 2, 3])
    ax = plot_horizon_errors({"gru": backtested, "naive": [1.5, 2.5, 3.5]})
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["+1", "+2", "+3"]
    heights = [[bar.get_height() for bar in bars] for bars in ax.containers]
    assert_allclose(heights, [[1.0, 2.0, 3.0], [1.5, 2.5, 3.5]])


def test_date_ticks_read_in_the_series_time_zone():
    # ticks were in UTC: Chicago's midnight was labelled 06:00
    hours = pd.date_range("2024-01-01", periods=30, freq="h", tz="America/Chicago")
    series = pd.Series(np.arange(30.0), index=hours)
    ax = plot_forecast(series.iloc[:24], series.iloc[24:])
    ax.figure.canvas.draw()
    ticks = ax.xaxis.get_major_locator()()
    labels = ax.xaxis.get_major_formatter().format_ticks(ticks)
    midnight = matplotlib.dates.date2num(hours[0])  # local midnight
    assert midnight in ticks
    assert labels[list(ticks).index(midnight)] == "Jan-01"


def test_forecast_on_a_default_index_after_an_undated_history_reads_steps_ahead():
    # pd.Series(history) and pd.Series(forecast): the forecast sat at 0 ... 2,
    # over the first steps of the history
    ax = plot_forecast(pd.Series(np.arange(100.0)), pd.Series([100.0, 101.0, 102.0]))
    assert_allclose(ax.lines[0].get_xdata()[[0, -1]], [-100, -1])
    assert_allclose(ax.lines[1].get_xdata(), [0, 1, 2])


def test_interval_legend_names_the_coverage_and_refuses_a_percent():
    # coverage=80 (a percent) was drawn as an "8000% interval", 0.975 as "98%"
    forecast = np.arange(3.0)
    bounds = {"lower": forecast - 1, "upper": forecast + 1}
    ax = plot_forecast(np.arange(5.0), forecast, coverage=0.975, **bounds)
    assert "97.5% interval" in [t.get_text() for t in ax.get_legend().get_texts()]
    with pytest.raises(ValueError, match="coverage must lie strictly between"):
        plot_forecast(np.arange(5.0), forecast, coverage=80, **bounds)


def test_horizon_errors_of_backtest_scores_leave_out_the_mean_row():
    # backtest(..., scoring=...) ends with the row "all" (the mean over the
    # steps): it was drawn as a step "+all"
    scores = pd.DataFrame(
        {"neg_mean_absolute_error": [-1.0, -2.0, -1.5]},
        index=pd.Index([1, 2, "all"], name="step"),
    )
    for errors in (-scores, {"model": -scores["neg_mean_absolute_error"]}):
        ax = plot_horizon_errors(errors)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["+1", "+2"]
        assert_allclose([bar.get_height() for bar in ax.containers[0]], [1.0, 2.0])


@pytest.mark.parametrize("as_dict", [False, True])
def test_horizon_errors_refuse_negated_scores(as_dict):
    # the scores of "neg_" scorers were drawn as negative bars labelled "MAE"
    scores = pd.DataFrame({"neg_mean_absolute_error": [-1.0, -2.0]}, index=[1, 2])
    errors = {"model": scores["neg_mean_absolute_error"]} if as_dict else scores
    with pytest.raises(ValueError, match=r"Pass -scores\['neg_mean_absolute_error'\]"):
        plot_horizon_errors(errors)
