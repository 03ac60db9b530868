"""Inputs a notebook user passes by mistake: refused clearly, never windowed wrong."""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import FunctionTransformer

from skseq import (
    SequenceNormalizer,
    SequenceScaler,
    SlidingWindowTransformer,
    make_windows,
)
from skseq.windowing import window_view


def _panel():
    """Two series stacked under a (series, time) MultiIndex, each in time order."""
    times = pd.date_range("2024-01-01", periods=5, freq="D")
    index = pd.MultiIndex.from_product([["a", "b"], times], names=["store", "date"])
    values = np.r_[np.arange(5.0), 100 + np.arange(5.0)]
    return pd.DataFrame({"sales": values}, index=index)


@pytest.mark.parametrize("as_series", [False, True])
def test_make_windows_refuses_a_stacked_panel(as_series):
    # read by position, windows ran from store "a" into store "b"
    panel = _panel()["sales"] if as_series else _panel()
    with pytest.raises(ValueError, match="MultiIndex.*several series"):
        make_windows(panel, window=2)


def test_sliding_window_transformer_refuses_a_stacked_panel():
    with pytest.raises(ValueError, match="MultiIndex.*several series"):
        SlidingWindowTransformer(window=2).fit_transform(_panel())


def test_one_series_of_the_panel_still_windows():
    one = _panel().xs("b", level="store")
    X, y = make_windows(one, window=2)
    assert X[0, :, 0].tolist() == [100.0, 101.0] and y[-1] == 104.0


def _wide(times):
    """Three series laid out one per row, their times as the column labels."""
    values = np.arange(3.0 * len(times)).reshape(3, -1)
    return pd.DataFrame(values, index=["s1", "s2", "s3"], columns=times)


WIDE_TIMES = {
    "dates": pd.date_range("2024-01-01", periods=12, freq="D"),
    "periods": pd.period_range("2024-01", periods=12, freq="M"),
}


@pytest.mark.parametrize("times", WIDE_TIMES, ids=list(WIDE_TIMES))
def test_a_wide_table_is_refused_not_windowed_across_its_series(times):
    # 3 series x 12 days: rows read as time steps gave windows of 2 series
    wide = _wide(WIDE_TIMES[times])
    with pytest.raises(ValueError, match=r"columns are times.*\.T"):
        make_windows(wide, window=2)
    with pytest.raises(ValueError, match=r"columns are times.*\.T"):
        SlidingWindowTransformer(window=2).fit_transform(wide)


def test_the_transposed_wide_table_windows_each_series_as_a_feature():
    wide = _wide(WIDE_TIMES["dates"])
    X, y = make_windows(wide.T, window=2)
    assert X.shape == (10, 2, 3) and y[0, 0].tolist() == [2.0, 14.0, 26.0]


def test_window_view_refuses_pandas_times_out_of_order():
    # newest first: the public window_view ran windows backwards in time
    dates = pd.date_range("2024-01-01", periods=6, freq="D")
    newest_first = pd.Series(np.arange(6.0), index=dates)[::-1]
    with pytest.raises(ValueError, match="newest first"):
        window_view(newest_first, 2)
    assert window_view(newest_first.sort_index(), 2)[0].tolist() == [0.0, 1.0]


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_sequence_scaler_output_is_never_a_view_of_its_input(method):
    # the identity scaler handed X back: scaling the result in place changed X
    X = np.arange(12.0).reshape(2, 3, 2)
    scaler = SequenceScaler(FunctionTransformer()).fit(X)
    out = getattr(scaler, method)(X)
    out *= 10
    assert X[1, 2].tolist() == [10.0, 11.0]


@pytest.mark.parametrize("target", [{"rail", "bus"}, frozenset({1, 0})])
def test_a_set_of_targets_is_refused_its_order_is_not_the_users(target):
    # {"bus", "rail", "tram"} ordered y's targets by the session's hash seed
    frame = pd.DataFrame({"bus": np.arange(5.0), "rail": 100 + np.arange(5.0)})
    series = frame if isinstance(next(iter(target)), str) else frame.to_numpy()
    with pytest.raises(TypeError, match="target is a set.*target=\\["):
        make_windows(series, window=2, target=target)


def test_windowed_forecaster_refuses_a_set_of_covariates_by_the_same_rule():
    from skseq import NaiveForecaster
    from skseq.forecasting import WindowedForecaster

    dates = pd.date_range("2024-01-01", periods=8, freq="D")
    frame = pd.DataFrame({"bus": np.arange(8.0), "rail": np.arange(8.0)}, dates)
    model = WindowedForecaster(
        NaiveForecaster(), window=2, horizon=1, target="rail", past_covariates={"bus"}
    )
    with pytest.raises(TypeError, match="past_covariates is a set"):
        model.fit(frame)


def _text_times(labels):
    return pd.Series(np.arange(float(len(labels))), index=pd.Index(labels))


# A CSV read without parse_dates, or with UTC offsets that change (DST), keeps
# its times as text: newest first, they were windowed backwards unchecked.
TEXT_TIMES = {
    "iso newest first": ["2024-01-03", "2024-01-02", "2024-01-01"],
    "offsets across DST": [
        "2024-10-27T03:00:00+01:00",
        "2024-10-27T02:00:00+01:00",
        "2024-10-27T02:00:00+02:00",
    ],
    "repeated": ["2024-01-01", "2024-01-02", "2024-01-02"],
}


@pytest.mark.parametrize("case", TEXT_TIMES, ids=list(TEXT_TIMES))
def test_times_kept_as_text_are_checked_for_order(case):
    with pytest.raises(ValueError, match="times kept as text.*pd.to_datetime"):
        make_windows(_text_times(TEXT_TIMES[case]), window=1)


def test_times_kept_as_date_objects_are_checked_for_order():
    dates = [pd.Timestamp("2024-01-02").date(), pd.Timestamp("2024-01-01").date()]
    series = pd.Series([1.0, 2.0, 3.0], index=pd.Index([*dates, dates[0]]))
    with pytest.raises(ValueError, match="times kept as text or objects"):
        make_windows(series, window=1)


@pytest.mark.parametrize(
    "labels",
    [
        ["2024-01-01", "2024-01-02", "2024-01-03"],
        ["t3", "t1", "t2"],  # labels, not times
        ["03/01/2024", "01/01/2024", "02/01/2024"],  # day or month first: unread
    ],
)
def test_text_labels_in_order_or_not_times_still_window(labels):
    X, y = make_windows(_text_times(labels), window=1)
    assert X[:, 0, 0].tolist() == [0.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sequence_normalizer_keeps_the_float_dtype_as_sequence_scaler_does(dtype):
    # float32 sequences came back float64 (twice the memory), by the int count
    X = np.arange(24, dtype=dtype).reshape(2, 4, 3)
    assert SequenceNormalizer().fit_transform(X).dtype == dtype
    assert SequenceScaler().fit_transform(X).dtype == dtype
    ragged = SequenceNormalizer().fit_transform([X[0], X[1, :3]])
    assert {x.dtype for x in ragged} == {np.dtype(dtype)}


def test_a_text_column_is_named_as_the_shipped_ridership_frame_has_one():
    # sklearn said only "could not convert string to float: 'U'"
    from skseq.datasets import load_ridership

    ridership = load_ridership().iloc[:30]
    with pytest.raises(ValueError, match=r"column\(s\) \['day_type'\] \(e.g. 'U'\)"):
        make_windows(ridership, window=7, target="rail")
    with pytest.raises(ValueError, match=r"\['day_type'\].*X.drop"):
        SlidingWindowTransformer(window=7).fit(ridership)
    X, y = make_windows(ridership.drop(columns="day_type"), window=7, target="rail")
    assert X.shape == (23, 7, 2) and y[0] == ridership["rail"].iloc[7]


@pytest.mark.parametrize("dtype", [object, "string", "category"])
@pytest.mark.parametrize("kind", ["series", "frame"])
def test_numbers_written_as_text_are_refused_as_the_forecasters_refuse_them(
    dtype, kind
):
    # a CSV read without dtypes: make_windows and SlidingWindowTransformer
    # parsed pandas' "1.5" text silently (NumPy strings were refused)
    text = pd.Series([f"{v:.1f}" for v in range(10)], dtype=dtype, name="y")
    series = text if kind == "series" else text.to_frame()
    with pytest.raises(TypeError, match="numbers written as text.*to_numeric"):
        make_windows(series, window=3)
    with pytest.raises(TypeError, match="numbers written as text"):
        SlidingWindowTransformer(window=3).fit(series)
    X, _ = make_windows(pd.to_numeric(text.astype(str)), window=3)
    assert X[0, :, 0].tolist() == [0.0, 1.0, 2.0]
