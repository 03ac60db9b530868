"""Pandas input indexed by times is read in row order only when that is time order."""

import numpy as np
import pandas as pd
import pytest

from skseq import SlidingWindowTransformer, make_windows
from skseq.forecasting import SeriesSplit


def _daily(n=12):
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    return pd.Series(np.arange(n, dtype=float), index=index, name="rides")


def _out_of_order():
    daily = _daily()
    shuffled = daily.iloc[[0, 1, 3, 2, *range(4, 12)]]
    repeated = pd.concat([daily.iloc[:3], daily.iloc[2:]])
    with_nat = daily.copy()
    with_nat.index = daily.index.where(np.arange(12) != 5, pd.NaT)
    periods = daily.set_axis(pd.period_range("2024-01", periods=12, freq="M"))[::-1]
    durations = daily.iloc[::-1].set_axis(pd.to_timedelta(np.arange(12)[::-1], "h"))
    return {
        "newest first": (daily.iloc[::-1], "newest first"),
        "shuffled": (shuffled, "increasing time order"),
        "repeated": (repeated, "duplicate"),
        "NaT": (with_nat, "NaT"),
        "periods": (periods, "newest first"),
        "durations": (durations, "newest first"),
        "frame": (daily.iloc[::-1].to_frame(), "newest first"),
    }


CASES = _out_of_order()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_make_windows_refuses_times_out_of_order(case):
    series, message = CASES[case]
    with pytest.raises(ValueError, match=message):
        make_windows(series, window=3)


@pytest.mark.parametrize("case", ["newest first", "shuffled", "NaT", "frame"])
def test_sliding_window_transformer_refuses_times_out_of_order(case):
    series, message = CASES[case]
    transformer = SlidingWindowTransformer(window=3).fit(_daily())
    with pytest.raises(ValueError, match=message):
        transformer.transform(series)


@pytest.mark.parametrize("case", ["newest first", "shuffled", "periods", "frame"])
def test_series_split_refuses_times_out_of_order(case):
    # cut by row number, a newest-first series trains on later dates than it tests
    series, message = CASES[case]
    with pytest.raises(ValueError, match=message):
        list(SeriesSplit(2, test_size=3).split(series))


def test_sorted_times_gaps_and_plain_indexes_still_window():
    daily = _daily()
    X, y = make_windows(daily, window=3)
    assert y[0] == daily.iloc[3]
    with_gap = daily.drop(daily.index[5])  # uneven on purpose: not refused
    assert len(make_windows(with_gap, window=3)[0]) == 8
    # an index that holds no time (ids, a reversed RangeIndex) is not read
    assert len(make_windows(daily.reset_index(drop=True).iloc[::-1], 3)[0]) == 9
    assert len(list(SeriesSplit(2, test_size=3).split(daily.iloc[::-1].values))) == 2
