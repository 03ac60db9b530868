"""Calendars pandas cannot always tell: forecasts dated on the series' own
calendar, the season it implies, and future covariates paired by instant."""

import numpy as np
import pandas as pd
import pytest

from skseq import NaiveForecaster
from skseq.forecasting import WindowedForecaster, infer_season, regularize


def naive(window=4, horizon=3, **kwargs):
    return WindowedForecaster(
        NaiveForecaster(), window=window, horizon=horizon, scale=False, **kwargs
    )


def series_on(dates, name="y"):
    return pd.Series(np.arange(len(dates), dtype=float), index=dates, name=name)


@pytest.mark.parametrize("freq", ["SMS", "SME", "SMS-20", "SME-10"])
def test_semi_monthly_dates_read_from_a_file_keep_their_calendar(freq):
    # pandas.infer_freq knows no semi-month: the 1st and 15th of each month
    # without a freq attribute were refused as "not evenly spaced", with a
    # fix (regularize at '336h') that is off their grid
    dates = pd.date_range("2021-01-01", periods=20, freq=freq)
    read_back = pd.DatetimeIndex(dates.to_numpy(), name="date")
    assert read_back.freq is None
    y = series_on(read_back)
    forecast = naive().fit(y).forecast(y)
    expected = pd.date_range(dates[-1], periods=4, freq=freq)[1:]
    assert forecast.index.tolist() == expected.tolist()
    assert forecast.index.name == "date"
    assert infer_season(read_back) == 24
    assert regularize(y).index.equals(read_back)


def test_unevenly_spaced_mid_month_dates_are_still_refused():
    dates = pd.DatetimeIndex(["2021-01-01", "2021-01-15", "2021-02-01", "2021-02-20"])
    with pytest.raises(ValueError, match="not evenly spaced"):
        naive(window=1, horizon=1).fit(series_on(dates))
