"""backtest: every step of a period forecast from the data before it."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest


def linear():
    return make_pipeline(FlattenSequence(), LinearRegression())


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    n = 120
    days = pd.date_range("2024-01-01", periods=n, freq="D", name="date")
    weekend = (days.day_of_week >= 5).astype(float)
    rail = 50 + np.cumsum(rng.normal(size=n)) - 20 * weekend
    return pd.DataFrame(
        {"rail": rail, "bus": 2 * rail + rng.normal(size=n), "weekend": weekend},
        index=days,
    )


def test_naive_seasonal_backtest_is_exact_on_a_periodic_series():
    series = np.tile(np.arange(7.0), 10)
    naive = WindowedForecaster(NaiveForecaster(season=7), window=7, horizon=3)
    errors, forecasts = backtest(naive, series, start=20, end=60)
    assert errors.shape == (3, 1) and list(errors.index) == [1, 2, 3]
    np.testing.assert_allclose(errors.to_numpy(), 0, atol=1e-6)  # float32
    assert forecasts.shape == (41, 3) and forecasts.index[0] == 20
    np.testing.assert_allclose(forecasts[(0, 1)], series[20:61], atol=1e-6)


def test_forecasts_equal_predict_from_the_data_before(frame):
    model = WindowedForecaster(
        linear(),
        window=10,
        horizon=4,
        target=["rail", "bus"],
        future_covariates="weekend",
    ).fit(frame.iloc[:70])
    errors, forecasts = backtest(model, frame, start="2024-03-20", end="2024-04-20")
    assert list(errors.columns) == ["rail", "bus"] and errors.index.name == "step"
    assert forecasts.index[0] == pd.Timestamp("2024-03-20")
    assert forecasts.index[-1] == pd.Timestamp("2024-04-20")
    assert forecasts.columns.names == ["target", "step"]
    for day in ["2024-03-20", "2024-04-02", "2024-04-20"]:
        t = frame.index.get_loc(pd.Timestamp(day))
        future = frame[["weekend"]].iloc[t : t + 4]
        expected = model.forecast(frame.iloc[:t], future=future)
        row = forecasts.loc[day].unstack("target")[["rail", "bus"]]
        np.testing.assert_allclose(row.to_numpy(), expected.to_numpy())
    # Per-step errors are the MAE of each column of forecasts against the truth.
    first = frame.index.get_loc(pd.Timestamp("2024-03-20"))
    for step in (1, 4):
        truth = frame["bus"].iloc[first + step - 1 : first + step - 1 + 32]
        mae = np.mean(np.abs(forecasts[("bus", step)].to_numpy() - truth.to_numpy()))
        assert errors.loc[step, "bus"] == pytest.approx(mae)


def test_end_defaults_to_the_last_full_forecast_and_metric(frame):
    model = WindowedForecaster(linear(), window=5, horizon=3, target="rail")
    errors, forecasts = backtest(
        model.fit(frame.iloc[:60]), frame, start=60, metric=mean_squared_error
    )
    assert forecasts.index[-1] == frame.index[-3]  # +3 falls on the last row
    mae, _ = backtest(model, frame, start=60)
    assert (errors.to_numpy() > 0).all() and not np.allclose(errors, mae)


def test_metric_given_by_name_is_refused_naming_scoring(frame):
    model = WindowedForecaster(linear(), window=5, target="rail").fit(frame)
    with pytest.raises(TypeError, match="scoring="):
        backtest(model, frame, start=60, metric="mae")


def test_metric_and_scoring_together_are_refused(frame):
    # metric was silently ignored when scoring was given as well
    model = WindowedForecaster(linear(), window=5, target="rail")
    with pytest.raises(ValueError, match="not both"):
        backtest(model, frame, start=60, metric=mean_squared_error, scoring="neg_smape")


def test_unfitted_forecaster_is_fitted_on_the_rows_before_start(frame):
    model = WindowedForecaster(linear(), window=5, target="rail")
    _, forecasts = backtest(model, frame, start="2024-03-01")
    assert not hasattr(model, "estimator_")
    fitted = WindowedForecaster(linear(), window=5, target="rail")
    fitted.fit(frame[:"2024-02-29"])
    _, expected = backtest(fitted, frame, start="2024-03-01")
    pd.testing.assert_frame_equal(forecasts, expected)


class RecordingNaive(NaiveForecaster):
    """Records the latest time step each fit trains on (series = time)."""

    fits = []

    def fit(self, X, y):
        RecordingNaive.fits.append(int(np.asarray(y).max()))
        return super().fit(X, y)


@pytest.mark.parametrize(("refit", "n_fits"), [(True, 11), (4, 3)])
def test_refit_only_uses_the_past(refit, n_fits):
    time = np.arange(60.0)
    model = WindowedForecaster(RecordingNaive(), window=5, horizon=2, scale=False)
    RecordingNaive.fits = []
    _, forecasts = backtest(model, time, start=40, end=50, refit=refit)
    assert len(RecordingNaive.fits) == n_fits
    every = 1 if refit is True else refit
    for k, last_trained in enumerate(RecordingNaive.fits):
        assert last_trained == 40 + k * every - 1  # the step before its first forecast
    np.testing.assert_allclose(forecasts[(0, 1)], time[39:50])  # naive: last value


def test_a_metric_of_several_numbers_is_refused(frame):
    # multioutput="raw_values" filled the errors table with arrays
    model = WindowedForecaster(
        linear(), window=10, horizon=2, target="rail", difference=None
    )

    def raw_mae(y_true, y_pred):
        return np.abs(np.subtract(y_true, y_pred)).mean(axis=0, keepdims=True)

    errors, _ = backtest(model, frame, start=50, metric=raw_mae)
    assert errors.dtypes.eq(np.float64).all()  # one element: its number

    def two_numbers(y_true, y_pred):
        return np.array([0.0, 1.0])

    with pytest.raises(TypeError, match="one number per target"):
        backtest(model, frame, start=50, metric=two_numbers)


def test_clear_errors(frame):
    model = WindowedForecaster(
        linear(), window=10, horizon=3, target="rail", difference=None
    )
    with pytest.raises(ValueError, match="needs window=10 rows of history"):
        backtest(model, frame, start=5)
    with pytest.raises(ValueError, match="past the last row"):
        backtest(model, frame, start=50, end=len(frame) - 2)
    with pytest.raises(ValueError, match="comes before start"):
        backtest(model, frame, start=50, end=40)
    # no end given: the error names start, not an end the caller never passed
    last_start = len(frame) - 3
    with pytest.raises(
        ValueError, match=rf"start is row {last_start + 1}.*row {last_start}\."
    ):
        backtest(model, frame, start=last_start + 1)
    with pytest.raises(ValueError, match="not a date of the series"):
        backtest(model, frame, start="2030-01-01")
    with pytest.raises(TypeError, match="row position"):
        backtest(model, frame["rail"].to_numpy(), start="2024-03-01")
    with pytest.raises(ValueError, match="refit must be"):
        backtest(model, frame, start=50, refit=0)
    with pytest.raises(TypeError, match="needs a WindowedForecaster"):
        backtest(NaiveForecaster(), frame, start=50)


# -- scoring and progress -------------------------------------------------------------
def test_scoring_names_per_step_and_overall(frame):
    from skseq.metrics import mean_absolute_scaled_error

    model = WindowedForecaster(linear(), window=7, horizon=3, target="rail")
    model.fit(frame.iloc[:80])
    scoring = ["neg_mean_absolute_error", "neg_mase_7", "r2"]
    scores, forecasts = backtest(model, frame, start=80, scoring=scoring)
    errors, _ = backtest(model, frame, start=80)  # metric=MAE per step
    assert list(scores.index) == [1, 2, 3, "all"] and list(scores.columns) == scoring
    np.testing.assert_allclose(
        -scores["neg_mean_absolute_error"].iloc[:3], errors["rail"]
    )
    assert scores.loc["all", "r2"] == pytest.approx(scores["r2"].iloc[:3].mean())
    truth = frame["rail"].to_numpy()[81 : 81 + len(forecasts)]  # step 2
    train = frame["rail"].to_numpy()[:80]  # MASE's scale: the training part
    mase = mean_absolute_scaled_error(
        truth, forecasts[("rail", 2)], season=7, y_train=train
    )
    assert scores.loc[2, "neg_mase_7"] == pytest.approx(-mase)
    with pytest.raises(ValueError, match="per horizon step already"):
        backtest(model, frame, start=80, scoring="neg_mae_per_horizon")


def test_progress_bar_with_tqdm_or_keras(frame, monkeypatch, capsys):
    import sys
    import types

    updates = []

    class FakeTqdm:
        def __init__(self, total, desc):
            updates.append(("total", total, desc))

        def update(self, n=1):
            updates.append(n)

        def close(self):
            updates.append("closed")

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = FakeTqdm
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    model = WindowedForecaster(linear(), window=7, horizon=2, target="rail")
    backtest(model, frame, start=80, end=99, refit=5, verbose=1)
    assert updates == [("total", 4, "backtest"), 1, 1, 1, 1, "closed"]
    backtest(model, frame, start=80, end=99, refit=5)  # verbose=0: silent
    assert len(updates) == 6
    monkeypatch.setitem(sys.modules, "tqdm", None)  # not installed
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    capsys.readouterr()
    backtest(model, frame, start=80, end=99, refit=5, verbose=1)
    assert "4/4" in capsys.readouterr().out  # Keras' Progbar


def _naive():
    return WindowedForecaster(NaiveForecaster(), window=3, scale=False)


@pytest.mark.parametrize(
    "start",
    [
        "2020-01-20",
        pd.Timestamp("2020-01-20"),
        pd.Timestamp("2020-01-20", tz="UTC"),
        pd.Timestamp("2020-01-20 01:00", tz="Europe/Paris"),  # the same instant
    ],
)
def test_start_on_a_tz_aware_index_is_read_as_loc_reads_it(start):
    index = pd.date_range("2020-01-01", periods=40, freq="D", tz="UTC")
    series = pd.Series(np.arange(40.0), index=index)
    _, forecasts = backtest(_naive(), series, start=start)
    assert forecasts.index[0] == index[19]  # series.loc[start:].index[0]


def test_a_tz_aware_start_on_a_naive_index_is_refused():
    series = pd.Series(
        np.arange(40.0), index=pd.date_range("2020-01-01", periods=40, freq="D")
    )
    with pytest.raises(ValueError, match="tz-aware.*no time zone"):
        backtest(_naive(), series, start=pd.Timestamp("2020-01-20", tz="UTC"))
    with pytest.raises(ValueError, match="start='soon' is not a date"):
        backtest(_naive(), series, start="soon")


def test_start_and_end_as_periods_and_timedeltas():
    periods = pd.period_range("2019-01", periods=40, freq="M")
    series = pd.Series(np.arange(40.0), index=periods)
    _, forecasts = backtest(_naive(), series, start="2022-01", end="2022-03")
    assert list(forecasts.index.astype(str)) == ["2022-01", "2022-02", "2022-03"]
    elapsed = pd.timedelta_range("0D", periods=40, freq="D")
    _, forecasts = backtest(
        _naive(), pd.Series(np.arange(40.0), index=elapsed), start="20 days"
    )
    assert forecasts.index[0] == pd.Timedelta("20 days")


def test_backtest_signature_shows_plain_defaults():
    # help(backtest) printed "<function mean_absolute_error at 0x...>" as a default
    import inspect

    from skseq.forecasting import backtest

    parameters = inspect.signature(backtest).parameters.values()
    defaults = [p.default for p in parameters if p.default is not p.empty]
    assert defaults and not any(callable(default) for default in defaults)


def test_an_int_start_on_an_integer_index_says_it_is_a_position():
    # An int start is a row position, also for an integer index (documented),
    # so start=2008 on years 1980..2019 said only "out of range for 40 rows",
    # and start=80 on days numbered from 1 silently began at day 81.
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=2)
    years = pd.Series(np.arange(40.0), index=np.arange(1980, 2020), name="y")
    with pytest.raises(ValueError, match=r"labelled 2008 is at position 28"):
        backtest(model, years, start=2008)
    days = pd.Series(np.arange(100.0), index=np.arange(1, 101), name="y")
    with pytest.warns(UserWarning, match=r"start=80 is read as a row position"):
        _, forecasts = backtest(model, days, start=80)
    assert forecasts.index[0] == 81  # as documented: row 80
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RangeIndex from 0: labels are positions
        backtest(model, days.reset_index(drop=True), start=80)


def test_a_model_fitted_on_the_period_is_warned_about():
    # backtest(model.fit(series), series, start=...) scored in-sample forecasts
    # without a word (MAE 0.46 on a random walk, 39 out of sample).
    rng = np.random.default_rng(0)
    index = pd.period_range("2015-01", periods=60, freq="M")
    series = pd.Series(rng.normal(size=60).cumsum(), index, name="y")
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=2)
    with pytest.warns(UserWarning, match="trained on the rows up to 2019-12"):
        backtest(clone(model).fit(series), series, start="2018-07")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fitted on the rows before start: fine
        backtest(clone(model).fit(series[:"2018-06"]), series, start="2018-07")
        backtest(model, series, start="2018-07")  # not fitted: fitted before start
