import numpy as np
import pandas as pd
import pytest

from skseq import SlidingWindowTransformer, count_windows, make_windows
from skseq.windowing import window_view


def test_windows_match_a_plain_loop():
    series = np.arange(30.0).reshape(15, 2)
    X, y = make_windows(series, window=4, horizon=3, stride=2)
    starts = range(0, 15 - 4 - 3 + 1, 2)
    expected_X = np.stack([series[s : s + 4] for s in starts])
    expected_y = np.stack([series[s + 4 : s + 7] for s in starts])
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    assert len(X) == count_windows(15, 4, 3, stride=2)


@pytest.mark.parametrize("n_steps", [11, 12, 13])
def test_stride_keeps_the_latest_rows(n_steps):
    # 11 - 3 - 1 = 7 is not a multiple of 3: a grid started at row 0 left the
    # last row (the latest data) out of every window
    series = np.arange(float(n_steps))
    X, y = make_windows(series, window=3, horizon=1, stride=3)
    assert y[-1] == series[-1]
    assert X[0, 0, 0] == (n_steps - 3 - 1) % 3
    np.testing.assert_array_equal(np.diff(X[:, 0, 0]), 3.0)
    windows = SlidingWindowTransformer(window=3, stride=3).fit_transform(series)
    assert windows[-1, -1, 0] == series[-1]


@pytest.mark.parametrize(
    ("shape", "horizon", "target", "y_shape"),
    [
        ((20,), 1, None, (16,)),
        ((20,), 3, None, (14, 3)),
        ((20, 3), 1, 0, (16,)),
        ((20, 3), 2, 1, (15, 2)),
        ((20, 3), 2, [0, 2], (15, 2, 2)),
        ((20, 3), 1, None, (16, 1, 3)),
    ],
)
def test_target_shapes(shape, horizon, target, y_shape):
    X, y = make_windows(np.ones(shape), window=4, horizon=horizon, target=target)
    assert X.shape == (y_shape[0], 4, 1 if len(shape) == 1 else shape[1])
    assert y.shape == y_shape


def test_x_is_a_read_only_view_of_a_float_series():
    series = np.arange(50.0)
    X, y = make_windows(series, window=10)
    assert np.shares_memory(X, series)
    assert not X.flags.writeable and not y.flags.writeable


def test_dataframe_target_by_name():
    frame = pd.DataFrame(
        {"bus": np.arange(10.0), "rail": np.arange(10.0) * 10},
        index=pd.date_range("2019-01-01", periods=10, freq="D"),
    )
    X, y = make_windows(frame, window=3, horizon=2, target="rail")
    assert X.shape == (6, 3, 2)
    np.testing.assert_array_equal(y[0], [30.0, 40.0])
    X_series, _ = make_windows(frame["bus"], window=3)
    assert X_series.shape == (7, 3, 1)


def test_targets_come_strictly_after_their_window():
    series = np.arange(40.0)
    X, y = make_windows(series, window=5, horizon=4, stride=3)
    assert (y.min(axis=1) > X[:, :, 0].max(axis=1)).all()
    assert y.max() <= series[-1]


@pytest.mark.parametrize(
    ("series", "kwargs", "error", "message"),
    [
        (np.arange(5.0), {"window": 4, "horizon": 2}, ValueError, "too short"),
        (np.arange(5.0), {"window": 0}, ValueError, "window must be >= 1"),
        (np.arange(5.0), {"window": 2, "stride": 0}, ValueError, "stride"),
        (np.arange(5.0), {"window": 2.5}, TypeError, "window must be an int"),
        (np.array([1.0, np.nan, 3.0]), {"window": 1}, ValueError, "NaN"),
        (np.array([1.0, np.inf, 3.0]), {"window": 1}, ValueError, "infinity"),
        (np.array(["a", "b", "c"]), {"window": 1}, ValueError, "numeric"),
        (np.zeros((4, 2, 2)), {"window": 1}, ValueError, "got 3D"),
        (np.zeros(0), {"window": 1}, ValueError, "0 sample"),
        (np.zeros((6, 2)), {"window": 1, "target": 5}, ValueError, "out of range"),
        (
            np.zeros((6, 2)),
            {"window": 1, "target": "bus"},
            ValueError,
            "no column labels",
        ),
    ],
)
def test_bad_input_is_named(series, kwargs, error, message):
    with pytest.raises(error, match=message):
        make_windows(series, **kwargs)


def test_target_columns_come_first_in_X():
    # the estimators read the targets as the first n_targets features of X
    frame = pd.DataFrame(
        {"a": np.arange(30.0), "b": np.arange(30.0) + 100, "c": np.arange(30.0) + 200}
    )
    X, y = make_windows(frame, window=4, horizon=1, target="b")
    np.testing.assert_array_equal(X[0, :, 0], [100.0, 101.0, 102.0, 103.0])
    np.testing.assert_array_equal(X[0, :, 1:], frame[["a", "c"]].to_numpy()[:4])
    X2, y2 = make_windows(frame.to_numpy(), window=4, horizon=2, target=[2, 0])
    np.testing.assert_array_equal(X2[0, 0], [200.0, 0.0, 100.0])
    np.testing.assert_array_equal(y2[0], [[204.0, 4.0], [205.0, 5.0]])
    assert not X2.flags.writeable


def test_naive_forecaster_forecasts_the_target_of_make_windows():
    from skseq import NaiveForecaster

    frame = pd.DataFrame({"a": np.arange(28.0), "b": np.arange(28.0) + 100})
    X, y = make_windows(frame, window=4, target="b")
    forecast = NaiveForecaster().fit(X, y).predict(X[-1:])
    # the last window ends at row 26: its last value of b, not of a (26.0)
    assert forecast[0] == 126.0


def test_make_windows_without_reordering_is_still_a_view():
    series = np.arange(20.0).reshape(10, 2)
    X, _ = make_windows(series, window=3, target=0)
    assert np.shares_memory(X, series)


@pytest.mark.parametrize("trailing", [(), (2,), (2, 3)])
@pytest.mark.parametrize("window, stride", [(1, 1), (3, 1), (3, 2), (7, 4)])
def test_window_view_matches_a_plain_loop(trailing, window, stride):
    values = np.arange(7.0 * int(np.prod(trailing))).reshape(7, *trailing)
    windows = window_view(values, window, stride=stride)
    expected = [values[s : s + window] for s in range(0, 7 - window + 1, stride)]
    assert windows.shape == (len(expected), window, *trailing)
    np.testing.assert_array_equal(windows, np.stack(expected))
    assert not windows.flags.writeable
    assert np.shares_memory(windows, values)


@pytest.mark.parametrize(
    "values, window, stride, message",
    [
        (np.arange(5.0), 6, 1, "window=6 is longer than the 5 time step"),
        (np.arange(5.0), 0, 1, "window"),
        (np.arange(5.0), 2, 0, "stride"),
        (np.float64(1.0), 1, 1, "time axis"),
    ],
)
def test_window_view_refuses_out_of_range(values, window, stride, message):
    with pytest.raises(ValueError, match=message):
        window_view(values, window, stride=stride)


def test_integer_column_labels_are_read_as_labels_as_windowed_forecaster_does():
    from skseq import NaiveForecaster
    from skseq.forecasting import WindowedForecaster

    frame = pd.DataFrame({1: np.arange(10.0), 0: 100 + np.arange(10.0)})
    X, y = make_windows(frame, 3, target=0)
    np.testing.assert_array_equal(y[:2], [103.0, 104.0])  # column labelled 0
    np.testing.assert_array_equal(X[0, :, 0], [100.0, 101.0, 102.0])
    model = WindowedForecaster(NaiveForecaster(), window=3, target=0).fit(frame)
    assert model.forecast(frame).iloc[0] == y[-1]


def test_a_named_series_is_found_by_its_name():
    X, y = make_windows(pd.Series(np.arange(6.0), name="b"), 3, target="b")
    np.testing.assert_array_equal(y, [3.0, 4.0, 5.0])
    X0, y0 = make_windows(pd.Series(np.arange(6.0)), 3, target=0)  # unnamed: position
    np.testing.assert_array_equal(y0, y)


@pytest.mark.parametrize(
    ("series", "target", "error", "message"),
    [
        (pd.DataFrame({"a": [0.0] * 6, "b": 1.0}), ["b", "b"], ValueError, "twice"),
        (np.zeros((6, 3)), [0, -3], ValueError, "twice"),
        (pd.DataFrame({"a": [0.0] * 6, "b": 1.0}), 0, ValueError, "by label"),
        (pd.Series(np.zeros(6), name="b"), 0, ValueError, "by label"),
        (pd.DataFrame({"a": [0.0] * 6, "b": 1.0}), True, TypeError, "neither"),
        (pd.DataFrame({"a": [0.0] * 6, "b": 1.0}), [], ValueError, "at least one"),
        (pd.DataFrame([[0.0, 1.0]] * 6, columns=["a", "a"]), "a", ValueError, "2 t"),
    ],
)
def test_target_specs_windowed_forecaster_refuses_are_refused(
    series, target, error, message
):
    with pytest.raises(error, match=message):
        make_windows(series, 3, target=target)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((10, 3), {"stride": 0}, ValueError, "stride must be >= 1"),
        ((10, 3), {"stride": -1}, ValueError, "stride must be >= 1"),
        ((10, 0), {}, ValueError, "window must be >= 1"),
        ((10, -1), {}, ValueError, "window must be >= 1"),
        ((10, 3, -1), {}, ValueError, "horizon must be >= 0"),
        ((-3, 2), {}, ValueError, "n_steps must be >= 0"),
        ((10.5, 3), {}, TypeError, "n_steps must be an int"),
        ((10, True), {}, TypeError, "window must be an int"),
    ],
)
def test_count_windows_refuses_what_make_windows_refuses(args, kwargs, error, message):
    # It returned -5 windows for stride=-1, 11 for window=-1, 7.0 for 10.5 steps
    # and raised ZeroDivisionError for stride=0.
    with pytest.raises(error, match=message):
        count_windows(*args, **kwargs)


def test_count_windows_takes_numpy_ints_and_horizon_zero():
    assert count_windows(np.int64(10), np.int32(3), 0) == 8
    assert type(count_windows(np.int64(10), 3)) is int
    assert count_windows(0, 1, 0) == 0


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(pd.date_range("2020-01-01", periods=10)),
        pd.Series(pd.date_range("2020-01-01", periods=10, tz="UTC")),
        pd.DataFrame({"day": pd.date_range("2020-01-01", periods=10)}),
        np.arange(10).astype("datetime64[D]"),
        pd.Series(pd.to_timedelta(np.arange(10), unit="D")),
    ],
    ids=["dates", "tz-dates", "frame", "datetime64", "durations"],
)
def test_make_windows_refuses_dates_instead_of_reading_nanoseconds(series):
    # They became windows of nanoseconds since 1970 (1.6e18), silently.
    with pytest.raises(TypeError, match="series holds (dates|durations)"):
        make_windows(series, window=3)


def test_sliding_window_transformer_refuses_columns_in_another_order():
    frame = pd.DataFrame({"bus": np.arange(10.0), "rail": -np.arange(10.0)})
    transformer = SlidingWindowTransformer(window=3).fit(frame)
    np.testing.assert_array_equal(transformer.feature_names_in_, ["bus", "rail"])
    np.testing.assert_array_equal(transformer.transform(frame)[2], frame.values[2:5])
    with pytest.raises(ValueError, match="same order"):
        transformer.transform(frame[["rail", "bus"]])
    # an array or a Series still fits and transforms
    assert transformer.fit(frame.values).transform(frame.values).shape == (8, 3, 2)
    assert not hasattr(transformer, "feature_names_in_")
    series = frame["bus"]
    assert SlidingWindowTransformer(3).fit(series).transform(series).shape == (8, 3, 1)
