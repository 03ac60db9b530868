"""Rows are time steps in order, evenly spaced: anything else is refused, not
windowed; regularize fills gaps on request."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, cross_val_score

from skseq import NaiveForecaster
from skseq.forecasting import SeriesSplit, WindowedForecaster, backtest, regularize

N = 60


def naive(window=3, horizon=2):
    return WindowedForecaster(
        NaiveForecaster(), window=window, horizon=horizon, scale=False
    )


def daily(n=N, start="2023-01-01", name="y"):
    days = pd.date_range(start, periods=n, freq="D", name="date")
    return pd.Series(np.sin(np.arange(n) / 4.0), index=days, name=name)


@pytest.fixture(scope="module")
def fitted():
    return naive().fit(daily())


def test_newest_first_is_refused_everywhere(fitted):
    newest_first = daily()[::-1]
    pattern = r"not in increasing order \(newest first\).*sort_index\(\)"
    with pytest.raises(ValueError, match=pattern):
        naive().fit(newest_first)
    with pytest.raises(ValueError, match=pattern):
        fitted.predict(newest_first)
    with pytest.raises(ValueError, match=pattern):
        fitted.score(newest_first)
    with pytest.raises(ValueError, match=r"series's index is not in increasing"):
        backtest(fitted, newest_first, start=40)
    # Sorted, the same data is fine and dated after its newest day.
    assert fitted.forecast(newest_first.sort_index()).index[0] == pd.Timestamp(
        "2023-03-02"
    )


def test_shuffled_series_does_not_backtest_silently():
    shuffled = daily().sample(frac=1.0, random_state=0)
    with pytest.raises(ValueError, match="sort_index"):
        backtest(naive(), shuffled, start=40)
    errors, _ = backtest(naive(), shuffled.sort_index(), start=40)
    assert errors.shape == (2, 1)


def test_duplicate_dates_are_refused():
    series = daily()
    doubled = pd.concat([series.iloc[:30], series.iloc[29:]])
    with pytest.raises(ValueError, match=r"1 duplicate label.*groupby\(level=0\)"):
        naive().fit(doubled)


def test_a_gap_is_refused_with_the_fix():
    series = daily(400)
    gappy = pd.concat([series.iloc[:100], series.iloc[300:]])
    # one block missing, as a KFold split leaves it: that is said first
    pattern = (
        r"rows skip from 2023-04-10.* to 2023-10-28.*block of rows is missing.*"
        r"KFold.*SeriesSplit.*regularize\(X, freq='D'\)"
    )
    with pytest.raises(ValueError, match=pattern):
        naive().fit(gappy)
    model = naive().fit(series.iloc[:100])
    with pytest.raises(ValueError, match="rows skip from 2023-04-10"):
        model.predict(gappy.iloc[95:105])
    with pytest.raises(ValueError, match="rows skip from"):
        backtest(naive(), gappy, start=150)
    # gaps here and there: the general message, with both fixes
    holes = series.drop(series.index[[50, 120, 121, 200]])
    pattern = (
        r"not evenly spaced: its largest step runs from 2023-04-30.* to "
        r"2023-05-03.*regularize\(X, freq=.*\.interpolate\(\).*SeriesSplit"
    )
    with pytest.raises(ValueError, match=pattern):
        naive().fit(holes)
    # Filled on request, the series is accepted.
    with pytest.raises(ValueError, match=r"Cannot infer .* freq='D'"):
        regularize(gappy)  # a frequency is inferred from gap-free dates only
    filled = regularize(gappy, freq="D")
    assert filled.index.freq == "D" and len(filled) == 400
    assert naive().fit(filled).freq_ == "D"


def test_irregular_index_without_frequency_is_refused_unless_told():
    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        np.cumsum(rng.integers(1, 5, size=30)), unit="h"
    )
    series = pd.Series(np.arange(30.0), index=pd.DatetimeIndex(stamps))
    with pytest.raises(ValueError, match="not evenly spaced|rows skip from"):
        naive().fit(series)
    with pytest.raises(ValueError, match=r"Cannot infer the frequency.*freq='h'"):
        regularize(series)
    hourly = regularize(series, freq="h")
    assert hourly.index.freq == "h" and np.isfinite(hourly).all()
    assert naive().fit(hourly).forecast(hourly).index[0] == stamps[-1] + pd.Timedelta(
        "1h"
    )


def test_missing_values_are_refused_naming_the_fill_helper():
    series = daily()
    series.iloc[20] = np.nan
    with pytest.raises(ValueError, match=r"missing .* at 2023-01-21.*regularize"):
        naive().fit(series)
    filled = regularize(series)
    assert filled.iloc[20] == pytest.approx((series.iloc[19] + series.iloc[21]) / 2)
    assert regularize(series, fill="ffill").iloc[20] == series.iloc[19]
    assert np.isnan(regularize(series, fill=None).iloc[20])


def test_regularize_refuses_what_it_cannot_fix():
    series = daily(10)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        regularize(series.to_numpy())
    with pytest.raises(ValueError, match="sort_index"):
        regularize(series[::-1])
    off = series.copy()
    off.index = off.index + pd.to_timedelta([0] * 9 + [3], unit="h")
    with pytest.raises(ValueError, match=r"1 date\(s\) off the 'D' grid.*resample"):
        regularize(off, freq="D")
    with pytest.raises(ValueError, match="fill must be one of"):
        regularize(series, fill="zero")
    # Non-numeric columns are left to the user; numeric ones are interpolated.
    frame = pd.DataFrame({"y": series, "kind": "a"}).drop(series.index[4])
    out = regularize(frame, freq="D")
    assert out["y"].notna().all() and out["kind"].isna().sum() == 1


def test_kfold_training_rows_skip_the_test_fold_and_are_refused():
    series = daily(100)
    with pytest.raises(ValueError, match="SeriesSplit"):
        cross_val_score(naive(), series, cv=KFold(5), error_score="raise")
    integer = series.reset_index(drop=True)  # a RangeIndex keeps its labels too
    with pytest.raises(ValueError, match="rows skip from .*KFold.*SeriesSplit"):
        cross_val_score(naive(), integer, cv=KFold(5), error_score="raise")
    scores = cross_val_score(naive(), series, cv=SeriesSplit(3, lookback=3))
    assert np.isfinite(scores).all()


def test_shuffled_integer_index_is_refused():
    integer = daily().reset_index(drop=True).sample(frac=1.0, random_state=0)
    with pytest.raises(ValueError, match="sort_index"):
        naive().fit(integer)


# -- properties ------------------------------------------------------------------
@settings(max_examples=20, deadline=None)
@given(order=st.permutations(range(12)))
def test_any_unsorted_permutation_is_refused(order):
    assume(order != sorted(order))
    series = daily(12).iloc[order]
    with pytest.raises(ValueError, match="sort_index"):
        naive().fit(series)


@settings(max_examples=20, deadline=None)
@given(kept=st.sets(st.integers(0, 29), min_size=6))
def test_any_unevenly_spaced_index_is_refused(kept):
    rows = sorted(kept)
    assume(len(set(np.diff(rows))) > 1)
    with pytest.raises(ValueError, match="not evenly spaced|rows skip from"):
        naive().fit(daily(30).iloc[rows])


# "3D" has no season: fit warns, which is not on trial here
@pytest.mark.filterwarnings("ignore:.*season_ is 1:UserWarning")
@settings(max_examples=20, deadline=None)
@given(
    freq=st.sampled_from(["D", "h", "15min", "W-SUN", "MS", "ME", "B", "3D"]),
    n_steps=st.integers(5, 40),
    drop_freq=st.booleans(),
)
@example(freq="B", n_steps=6, drop_freq=True)  # the first weekend shows "B"
def test_a_sorted_regular_index_is_accepted_and_dated_after_its_end(
    freq, n_steps, drop_freq
):
    # Five business days from a Monday hold no weekend: without their freq they
    # are daily data, and pandas (rightly) infers "D".
    assume(not (drop_freq and freq == "B" and n_steps < 6))
    dates = pd.date_range("2021-03-01", periods=n_steps, freq=freq)
    if drop_freq:  # as if read from a file: pandas must infer the frequency
        dates = pd.DatetimeIndex(dates.to_numpy())
    series = pd.Series(np.arange(n_steps, dtype=float), index=dates, name="y")
    forecast = naive().fit(series).forecast(series)
    expected = pd.date_range(dates[-1], periods=3, freq=freq)[1:]
    assert list(forecast.index) == list(expected)
    np.testing.assert_allclose(forecast, n_steps - 1.0)  # naive: the last value


def test_a_reversed_default_index_is_refused():
    # A default-indexed series read newest first: iloc[::-1] keeps a RangeIndex,
    # stepping by -1, which is as reversed as the dates it replaced.
    fitted = naive().fit(daily().reset_index(drop=True))  # on dates: another kind
    reversed_rows = daily().reset_index(drop=True).iloc[::-1]
    assert isinstance(reversed_rows.index, pd.RangeIndex)
    pattern = r"not in increasing order \(newest first\).*sort_index\(\)"
    with pytest.raises(ValueError, match=pattern):
        naive().fit(reversed_rows)
    with pytest.raises(ValueError, match=pattern):
        fitted.predict(reversed_rows)
    with pytest.raises(ValueError, match=r"series's index is not in increasing"):
        backtest(fitted, reversed_rows, start=40)
    in_order = reversed_rows.sort_index()
    assert len(naive().fit(in_order).forecast(in_order)) == 2


@pytest.mark.parametrize(
    "as_time",
    [lambda days: days.to_period("D"), lambda days: days - days[0]],
    ids=["PeriodIndex", "TimedeltaIndex"],
)
def test_period_and_timedelta_indexes_are_checked_like_dates(as_time):
    series = daily()
    series.index = as_time(series.index)
    model = naive().fit(series)
    with pytest.raises(ValueError, match=r"newest first.*sort_index"):
        naive().fit(series[::-1])
    with pytest.raises(ValueError, match=r"sort_index"):
        model.predict(series.sample(frac=1.0, random_state=0))
    with pytest.raises(ValueError, match="not evenly spaced|rows skip from"):
        naive().fit(series.drop(series.index[10:20]))
    with pytest.raises(ValueError, match="duplicate"):
        naive().fit(pd.concat([series.iloc[:30], series.iloc[29:]]))
    np.testing.assert_allclose(model.forecast(series), series.iloc[-1])


# "3D" has no season: fit warns, which is not on trial here
@pytest.mark.filterwarnings("ignore:.*season_ is 1:UserWarning")
@pytest.mark.parametrize("freq", ["2M", "3D", "2Q"])
def test_periods_of_a_multiple_frequency_are_evenly_spaced(freq):
    # the ordinals of '2M' periods step by 2: consecutive periods, not a gap
    series = daily().set_axis(pd.period_range("2020-01-01", periods=N, freq=freq))
    model = naive().fit(series)
    np.testing.assert_allclose(model.forecast(series), series.iloc[-1])
    with pytest.raises(ValueError, match="not evenly spaced|rows skip from"):
        naive().fit(series.drop(series.index[10:12]))


def test_timedeltas_at_another_step_than_in_fit_are_refused():
    hourly = daily().set_axis(pd.to_timedelta(np.arange(N), unit="h"))
    model = naive().fit(hourly)
    every_two_hours = hourly.set_axis(pd.to_timedelta(2 * np.arange(N), unit="h"))
    with pytest.raises(ValueError, match="step by '2h'.*fit stepped by 'h'"):
        model.predict(every_two_hours)
    np.testing.assert_allclose(model.forecast(hourly), hourly.iloc[-1])


def _integer_steps(fit_step, step, kind):
    series = daily()
    ints = pd.RangeIndex if kind == "RangeIndex" else _int_index
    fitted = naive().fit(series.set_axis(ints(0, N * fit_step, fit_step)))
    after = N * fit_step  # X continues the series of fit, at another step
    return fitted, series.set_axis(ints(after, after + N * step, step))


def _int_index(start, stop, step):
    return pd.Index(np.arange(start, stop, step), dtype="int64")


@pytest.mark.parametrize("kind", ["RangeIndex", "Index"])
@pytest.mark.parametrize(("fit_step", "step"), [(1, 5), (5, 1)])
def test_integer_index_at_another_step_than_in_fit_is_refused(fit_step, step, kind):
    # predict, score and window_forecasts read the rows at fit's step and
    # labelled the forecasts right, at the other step: a wrong model, no word
    model, other = _integer_steps(fit_step, step, kind)
    pattern = rf"steps by {step}, but the series seen in fit stepped by {fit_step}"
    calls = [model.predict, model.score, model.window_forecasts, model.forecast]
    calls.append(lambda X: backtest(model, X, start=N // 2, refit=False))
    for call in calls:
        with pytest.raises(ValueError, match=pattern):
            call(other)
    _, same = _integer_steps(fit_step, fit_step, kind)
    assert model.predict(same).index.equals(same.index)


def _integer_panel(step, start=0):
    time = pd.Index(np.arange(start, start + N * step, step), name="t")
    return pd.concat(
        [daily().set_axis(time).to_frame().assign(store=store) for store in "ab"]
    )


def test_panel_integer_index_at_another_step_than_in_fit_is_refused():
    model = WindowedForecaster(
        NaiveForecaster(), window=3, horizon=2, scale=False, series_id="store"
    ).fit(_integer_panel(1))
    pattern = "series 'a'.*steps by 5, but the series seen in fit stepped by 1"
    for call in (model.predict, model.window_forecasts):
        with pytest.raises(ValueError, match=pattern):
            call(_integer_panel(5, start=N))
    assert len(model.predict(_integer_panel(1, start=N))) == 2 * N


def test_periods_at_another_frequency_than_in_fit_are_refused():
    monthly = daily().set_axis(pd.period_range("2020-01", periods=N, freq="M"))
    model = naive().fit(monthly)
    quarterly = monthly.set_axis(pd.period_range("2000Q1", periods=N, freq="Q"))
    with pytest.raises(ValueError, match="step by 'QE-DEC'.*fit stepped by 'ME'"):
        model.predict(quarterly)


def _dates_as_objects():
    days = pd.date_range("2023-03-20", periods=N, freq="D", tz="Europe/Berlin")
    with_gap = days.delete(30)  # a missing day, which fit must see
    offsets = [d.isoformat() for d in with_gap]  # +01:00, then +02:00 after DST
    return {
        # local times across a DST change, as parsed one by one (fixed offsets)
        "mixed offsets": pd.Index([pd.Timestamp(t) for t in offsets], dtype=object),
        "datetime.date": pd.Index(with_gap.date),
        "timestamps": pd.Index(list(with_gap.tz_localize(None)), dtype=object),
    }


@pytest.mark.parametrize("kind", ["mixed offsets", "datetime.date", "timestamps"])
def test_dates_held_as_objects_are_refused_with_the_conversion(kind):
    # An object index of dates passed as "no time": the gap went unseen and
    # forecast returned a bare array.
    index = _dates_as_objects()[kind]
    assert index.dtype == object
    series = pd.Series(np.arange(len(index), dtype=float), index, name="y")
    with pytest.raises(ValueError, match=r"dates as objects.*pd\.to_datetime"):
        naive().fit(series)


@pytest.mark.parametrize(
    "one_row",
    [pd.Index([2145]), pd.RangeIndex(2145, 2146)],
    ids=["Index", "RangeIndex"],
)
def test_one_row_continues_at_the_integer_step_of_fit(one_row):
    # a lone label cannot tell its step: the forecast after it was labelled
    # 2146, 2147, ... although the series stepped by 5 years
    years = pd.Index(np.arange(2000, 2150, 5), dtype="int64")  # not a RangeIndex
    series = pd.Series(np.sin(np.arange(30) / 3), index=years, name="y")
    model = WindowedForecaster(NaiveForecaster(), window=1, horizon=3).fit(series)
    assert model.index_step_ == 5
    forecast = model.forecast(pd.Series([1.0], index=one_row, name="y"))
    assert forecast.index.tolist() == [2150, 2155, 2160]
    assert model.forecast(series).index.tolist() == [2150, 2155, 2160]
    with pytest.raises(ValueError, match="steps by 1, but the series seen in fit"):
        model.forecast(pd.Series([1.0, 2.0], index=[2144, 2145], name="y"))


def test_one_row_without_a_fitted_integer_step_is_refused():
    dates = pd.date_range("2021-01-01", periods=30, freq="D")
    series = pd.Series(np.arange(30.0), index=dates, name="y")
    model = WindowedForecaster(NaiveForecaster(), window=1).fit(series.to_numpy())
    assert model.index_step_ is None
    with pytest.raises(ValueError, match="step of the forecast's labels"):
        model.forecast(pd.Series([1.0], index=[7], name="y"))
    # a RangeIndex carries its own step
    forecast = model.forecast(pd.Series([1.0], index=pd.RangeIndex(7, 10, 3)))
    assert forecast.index.tolist() == [10]


KINDS = {
    "dates": lambda n: pd.date_range("2021-01-01", periods=n, freq="D"),
    "periods": lambda n: pd.period_range("2001-01", periods=n, freq="M"),
    "durations": lambda n: pd.timedelta_range(0, periods=n, freq="h"),
    "integers": lambda n: pd.Index(np.arange(2000, 2000 + n)),
}


@pytest.mark.parametrize("fitted_kind", KINDS)
@pytest.mark.parametrize("given_kind", KINDS)
def test_an_index_of_another_kind_than_in_fit_is_refused(fitted_kind, given_kind):
    # fitted on years, forecast(X on daily dates) was labelled in days (and
    # on dates, X on integers in years), as if the model had another step
    series = daily()
    model = naive().fit(series.set_axis(KINDS[fitted_kind](N)))
    given = series.set_axis(KINDS[given_kind](N))
    if given_kind == fitted_kind:
        assert len(model.forecast(given)) == 2
        return
    pattern = (
        f"^X's index holds {given_kind} .*fitted on a series indexed by {fitted_kind}"
    )
    for call in (model.forecast, model.predict, model.window_forecasts):
        with pytest.raises(ValueError, match=pattern):
            call(given)
    with pytest.raises(ValueError, match=f"^series's index holds {given_kind}"):
        backtest(model, given, start=N - 10, refit=False)


def test_a_panel_of_another_index_kind_than_in_fit_is_refused_as_a_whole():
    model = WindowedForecaster(
        NaiveForecaster(), window=3, horizon=2, scale=False, series_id="store"
    ).fit(_integer_panel(1, start=2000))
    dated = pd.concat(
        [daily().to_frame().assign(store=store) for store in "ab"]
    ).rename_axis("t")
    pattern = "^X's index holds dates .*indexed by integers"
    for call in (model.forecast, model.predict, model.window_forecasts):
        with pytest.raises(ValueError, match=pattern):
            call(dated)
    with pytest.raises(ValueError, match="^panel's index holds dates"):
        backtest(model, dated, start="2023-02-01", refit=False)


def test_a_fit_on_pandas_default_index_takes_any_kind_as_an_array_fit_does():
    # pd.Series(values) holds positions, as an array: a fit on it then refused
    # forecast(X on dates) as integers against dates, which a fit on the array
    # itself labels by X's dates
    values = daily().to_numpy()
    dated = daily()
    by_array = naive().fit(values).forecast(dated)
    by_default = naive().fit(pd.Series(values)).forecast(dated)
    pd.testing.assert_series_equal(by_default, by_array)
    assert isinstance(by_default.index, pd.DatetimeIndex)
    # integers that are labels (years, a RangeIndex from 1) keep their kind
    years = pd.Series(values, index=pd.RangeIndex(1, len(values) + 1))
    with pytest.raises(ValueError, match="^X's index holds dates"):
        naive().fit(years).forecast(dated)
