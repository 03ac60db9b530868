"""ForecastDisplay and the notebook plot fixes: labels, date ticks, legends, epochs."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skseq import NaiveForecaster
from skseq.forecasting import WindowedForecaster
from skseq.plotting import (
    ForecastDisplay,
    plot_forecast,
    plot_horizon_errors,
    plot_learning_curves,
)


@pytest.fixture(scope="module")
def rides():
    dates = pd.date_range("2019-01-01", periods=120, freq="D")
    values = 1000 + 100 * np.sin(np.arange(120) * 2 * np.pi / 7)
    return pd.DataFrame({"rail": values, "bus": values / 2}, index=dates)


def overlaps(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def assert_legend_off_the_data(ax):
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert not overlaps(legend, ax.get_window_extent(renderer))


def assert_tick_labels_apart(ax):
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [
        label.get_window_extent(renderer)
        for label in ax.get_xticklabels()
        if label.get_visible() and label.get_text()
    ]
    assert len(boxes) >= 3
    for left, right in zip(boxes[:-1], boxes[1:], strict=True):
        assert not overlaps(left, right)


def test_forecast_y_label_is_the_series_name_and_legend_is_off_the_data(rides):
    series = rides["rail"]
    ax = plot_forecast(series[:100], series[100:107])
    assert ax.get_ylabel() == "rail"
    assert_legend_off_the_data(ax)
    assert plot_forecast(np.arange(5.0), np.arange(2.0)).get_ylabel() == "value"
    assert plot_forecast(series[:9], series[9:11], ylabel="riders").get_ylabel() == (
        "riders"
    )


@pytest.mark.parametrize("n_days", [20, 120, 800])
def test_date_ticks_are_concise_and_never_overlap(n_days):
    dates = pd.date_range("2017-01-01", periods=n_days + 7, freq="D")
    series = pd.Series(np.arange(n_days + 7.0), index=dates, name="rail")
    ax = plot_forecast(series[:n_days], series[n_days:])
    assert type(ax.xaxis.get_major_formatter()).__name__ == "ConciseDateFormatter"
    assert_tick_labels_apart(ax)


def test_learning_curves_have_integer_epochs_and_the_loss_name():
    history = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]}
    ax = plot_learning_curves(history)
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 1 <= t <= 3]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert ax.get_ylabel() == "loss"
    assert_legend_off_the_data(ax)

    class Fitted:
        loss, history_ = "mae", history

    class Windowed:
        estimator_, scale = Fitted(), True

    assert plot_learning_curves(Fitted()).get_ylabel() == "MAE"
    assert plot_learning_curves(Windowed()).get_ylabel() == "MAE (scaled targets)"


def test_learning_rate_gets_its_own_axis_and_losses_their_names():
    history = {
        "loss": [0.9, 0.5],
        "val_loss": [1.0, 0.7],
        "learning_rate": [1e-3, 1e-4],
    }
    ax = plot_learning_curves(history)
    assert [line.get_label() for line in ax.lines] == ["loss", "val_loss"]
    (right,) = [other for other in ax.figure.axes if other is not ax]
    assert right.get_ylabel() == "learning rate" and right.get_yscale() == "log"
    assert_allclose(right.lines[0].get_ydata(), [1e-3, 1e-4])
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["loss", "val_loss", "learning rate"]
    assert_legend_off_the_data(ax)

    class Classifier:
        loss, history_ = "sparse_categorical_crossentropy", history

    class StudentT:
        loss, history_ = "student_t", history

    assert plot_learning_curves(Classifier()).get_ylabel() == "cross-entropy"
    assert plot_learning_curves(StudentT()).get_ylabel() == "negative log-likelihood"


def test_horizon_errors_legend_is_off_the_bars():
    errors = {"a": pd.Series([1.0, 2.0]), "b": pd.Series([1.5, 2.5])}
    assert_legend_off_the_data(plot_horizon_errors(errors))


def test_display_from_predictions_aligns_the_truth_on_dates(rides):
    series = rides["rail"]
    forecast = series[100:103] + 1
    display = ForecastDisplay.from_predictions(
        series[:100],
        forecast,
        actual=series,  # the whole series: only the forecast's dates are drawn
        lower=forecast - 5,
        upper=forecast + 5,
        coverage=0.8,
        estimator_name="mine",
    )
    past, drawn, truth = display.ax_.lines
    assert_allclose(truth.get_ydata(), series[100:103])
    assert display.ax_.get_title() == "mine"
    assert display.figure_ is display.ax_.figure
    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert "80% interval" in labels
    with pytest.raises(ValueError, match="holds none of the forecast's dates"):
        ForecastDisplay.from_predictions(series[:100], forecast, actual=series[:100])


def test_display_from_estimator_predicts_and_plots(rides):
    model = WindowedForecaster(
        NaiveForecaster(season=7), window=14, horizon=3, target="rail", scale=False
    ).fit(rides[:100])
    display = ForecastDisplay.from_estimator(
        model, rides[:100], actual=rides, n_history=20
    )
    past, forecast, truth = display.ax_.lines
    expected = model.forecast(rides[:100])
    assert_allclose(forecast.get_ydata(), expected)
    assert_allclose(truth.get_ydata(), rides["rail"][100:103])
    assert len(past.get_ydata()) == 20
    assert display.ax_.get_ylabel() == "rail"
    assert display.ax_.get_title() == "NaiveForecaster, window 14, horizon 3"


def test_display_from_estimator_draws_predict_interval(rides):
    class WithInterval:
        window = 5

        def predict(self, series):
            index = pd.date_range(series.index[-1], periods=3, freq="D")[1:]
            return pd.Series([1.0, 2.0], index=index, name="rail")

        def predict_interval(self, series, coverage):
            forecast = self.predict(series)
            return forecast - coverage, forecast + coverage

    display = ForecastDisplay.from_estimator(
        WithInterval(), rides["rail"], coverage=0.5
    )
    band = display.ax_.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.5) and band.max() == pytest.approx(2.5)


def test_display_refuses_coverage_without_predict_interval(rides):
    model = WindowedForecaster(
        NaiveForecaster(), window=7, horizon=2, target="rail", scale=False
    ).fit(rides)

    class PointOnly:  # the forecaster without its interval method
        window = 7

        def predict(self, series):
            return model.forecast(series)

    with pytest.raises(ValueError, match="PointOnly has no predict_interval"):
        ForecastDisplay.from_estimator(PointOnly(), rides, coverage=0.9)


def test_learning_curves_and_display_of_a_windowed_forecaster_fitted_with_y(rides):
    # fitted with y (row mode) it keeps the series' last rows, which must not
    # shadow the wrapped network's history_ that the learning curves read
    from skseq import DenseForecaster
    from skseq.plotting import plot_learning_curves

    rail = rides["rail"]
    model = WindowedForecaster(
        DenseForecaster(epochs=2, random_state=0), window=7, horizon=2
    ).fit(rail, rail)
    ax = plot_learning_curves(model)
    assert len(ax.get_lines()) >= 1
    display = ForecastDisplay.from_estimator(model, rail)
    assert_allclose(display.forecast, model.forecast(rail))
    plt.close("all")


def _line(ax, label):
    return next(line for line in ax.lines if line.get_label() == label)


def test_from_estimator_draws_the_fitted_target_of_an_array():
    series = np.column_stack([np.zeros(40), np.arange(40.0) + 100])
    model = WindowedForecaster(
        NaiveForecaster(), window=4, target=1, past_covariates=0, scale=False
    ).fit(series)
    display = ForecastDisplay.from_estimator(model, series[:30], actual=series[30:31])
    assert_allclose(_line(display.ax_, "past").get_ydata()[-1], 129.0)
    assert_allclose(_line(display.ax_, "actual").get_ydata(), [130.0])
    plt.close(display.figure_)


def test_from_estimator_takes_the_truth_from_the_target_column(rides):
    model = WindowedForecaster(
        NaiveForecaster(), window=7, target="rail", past_covariates="bus"
    ).fit(rides[:100])
    actual = rides[["bus", "rail"]][100:101]  # the target is not the first column
    display = ForecastDisplay.from_estimator(model, rides[:100], actual=actual)
    assert_allclose(_line(display.ax_, "actual").get_ydata(), actual["rail"])
    assert_allclose(_line(display.ax_, "past").get_ydata()[-1], rides["rail"].iloc[99])
    plt.close(display.figure_)


def test_from_estimator_picks_a_second_target_of_an_array():
    series = np.column_stack([np.arange(40.0), np.zeros(40), np.arange(40.0) + 100])
    model = WindowedForecaster(
        NaiveForecaster(), window=4, target=[0, 2], scale=False
    ).fit(series)
    display = ForecastDisplay.from_estimator(model, series, target=2)
    assert_allclose(_line(display.ax_, "forecast").get_ydata(), [139.0])
    assert_allclose(_line(display.ax_, "past").get_ydata()[-1], 139.0)
    plt.close(display.figure_)


def test_learning_curves_of_a_network_wrapped_twice():
    # WindowedForecaster(ConformalForecaster(GRUForecaster)): estimator_ twice
    history = {"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}

    class Network:
        loss, history_ = "mae", history

    class Conformal:
        estimator_ = Network()

    class Windowed:
        estimator_, scale = Conformal(), True

    ax = plot_learning_curves(Windowed())
    assert ax.get_ylabel() == "MAE (scaled targets)"
    assert_allclose(ax.lines[0].get_ydata(), history["loss"])
    plt.close(ax.figure)


def test_from_estimator_shows_the_fitted_window_of_history():
    series = np.arange(60.0)
    model = WindowedForecaster(NaiveForecaster(), window=10).fit(series)
    model.set_params(window=30)  # takes effect at the next fit only
    display = ForecastDisplay.from_estimator(model, series)
    assert len(_line(display.ax_, "past").get_ydata()) == 10
    plt.close(display.figure_)


class ArrayForecaster:
    """Forecasts 3 steps of 2 targets as a plain array."""

    window = 5

    def predict(self, series):
        return np.tile(np.asarray(series)[-1], (3, 1))


@pytest.mark.parametrize(
    ("target", "error", "match"),
    [
        (1.0, TypeError, "target must be an int"),
        ("rail", TypeError, "target must be an int"),
        (2, ValueError, r"target=2 is not a column of the 2 targets"),
        (-3, ValueError, r"target=-3 is not a column of the 2 targets"),
    ],
)
def test_display_checks_the_target_of_array_forecasts(target, error, match):
    series = np.arange(40.0).reshape(20, 2)
    with pytest.raises(error, match=match):
        ForecastDisplay.from_estimator(ArrayForecaster(), series, target=target)


def test_display_draws_the_chosen_target_of_array_forecasts():
    series = np.arange(40.0).reshape(20, 2)
    display = ForecastDisplay.from_estimator(ArrayForecaster(), series, target=1)
    assert_allclose(display.ax_.lines[1].get_ydata(), [39.0, 39.0, 39.0])


def test_numpy_scalar_targets_are_named_plainly():
    from skseq import NaiveForecaster
    from skseq.forecasting import WindowedForecaster

    frame = pd.DataFrame({1: np.arange(10.0), 0: 100 + np.arange(10.0)})
    model = WindowedForecaster(NaiveForecaster(), window=3, target=0).fit(frame)
    with pytest.raises(ValueError, match=r"^target=1 is not a target"):
        ForecastDisplay.from_estimator(model, frame, target=np.int64(1))


def test_from_predictions_refuses_bounds_of_another_forecast():
    # quantiles and bounds forecast from another origin (a week later) were
    # drawn at this forecast's dates, without a word
    dates = pd.date_range("2024-01-08", periods=3)
    forecast = pd.Series([1.0, 2.0, 3.0], index=dates)
    history = pd.Series(np.zeros(7), index=pd.date_range("2024-01-01", periods=7))
    later = forecast.set_axis(dates + pd.Timedelta(days=7))
    quantiles = pd.DataFrame({0.1: later - 1, 0.5: later, 0.9: later + 1})
    with pytest.raises(ValueError, match="quantiles of another forecast"):
        ForecastDisplay.from_predictions(history, forecast, quantiles=quantiles)
    with pytest.raises(ValueError, match="lower of another forecast"):
        ForecastDisplay.from_predictions(
            history, forecast, lower=later - 1, upper=later + 1
        )
    same = quantiles.set_axis(dates)
    ForecastDisplay.from_predictions(history, forecast, quantiles=same)
    # positional bounds (no labels) are drawn as given
    lower, upper = (later - 1).to_numpy(), later.reset_index(drop=True)
    ForecastDisplay.from_predictions(history, forecast, lower=lower, upper=upper)
