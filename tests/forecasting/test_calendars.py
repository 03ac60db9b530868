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


@pytest.mark.parametrize(
    ("offset", "season"),
    [
        (pd.offsets.CustomBusinessDay(weekmask="Mon Tue Wed Thu Fri Sat"), 6),
        (pd.offsets.CustomBusinessDay(weekmask="Sun Mon Tue Wed Thu"), 5),
        (pd.offsets.CustomBusinessDay(weekmask=[1, 1, 1, 1, 0, 0, 0]), 4),
        (pd.offsets.CustomBusinessDay(holidays=["2024-01-01"]), 5),
        (pd.offsets.WeekOfMonth(week=2, weekday=4), 12),
        (pd.offsets.LastWeekOfMonth(weekday=4), 12),
        (
            pd.offsets.FY5253Quarter(
                weekday=4, startingMonth=12, qtr_with_extra_week=1
            ),
            4,
        ),
        (pd.offsets.FY5253(weekday=4, startingMonth=12), 1),
        (pd.DateOffset(months=1), 12),
        (pd.DateOffset(months=3), 4),
        (pd.DateOffset(years=1), 1),
        (pd.DateOffset(weeks=1), 52),
        (pd.DateOffset(days=1), 7),
        (pd.DateOffset(days=7), 52),
    ],
)
def test_season_of_calendars_beyond_the_common_frequencies(offset, season):
    # a six-day week read as 5, a monthly "WOM-3FRI" or DateOffset(months=1)
    # silently fitted with season_ 1
    dates = pd.date_range("2024-01-01", periods=30, freq=offset)
    assert infer_season(offset) == season
    assert naive().fit(series_on(dates)).season_ == season


@pytest.mark.parametrize(
    "offset", [pd.DateOffset(months=5), pd.DateOffset(days=3), pd.DateOffset(hours=1)]
)
def test_relative_offsets_that_do_not_divide_their_cycle_stay_ambiguous(offset):
    with pytest.raises(ValueError, match="ambiguous"):
        infer_season(offset)


@pytest.mark.parametrize("freq", ["5D", "2B", "7min", "ms", "3W"])
def test_a_frequency_without_a_season_warns_and_names_season(freq):
    # "5D" or "2B" data were fitted with season_ 1 (no seasonal difference,
    # a one-step "level") without a word
    series = series_on(pd.date_range("2024-01-01", periods=30, freq=freq))
    with pytest.warns(UserWarning, match=r"ambiguous\. season_ is 1.*season=\.\.\."):
        assert naive().fit(series).season_ == 1
    for season in (1, 6):  # a season given is not second-guessed
        assert naive(season=season).fit(series).season_ == season


@pytest.mark.parametrize(("freq", "season"), [("3h", 8), ("30min", 48), ("2W", 26)])
def test_multiples_that_divide_their_cycle_get_its_steps(freq, season):
    series = series_on(pd.date_range("2024-01-01", periods=30, freq=freq))
    assert naive().fit(series).season_ == season


def _hourly_with_known_future():
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skseq import FlattenSequence

    hours = pd.date_range("2024-03-30", periods=48, freq="h", tz="Europe/Berlin")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"load": rng.normal(size=48), "price": rng.normal(size=48)}, index=hours
    )
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()),
        window=4,
        horizon=3,
        target="load",
        future_covariates=["price"],
    )
    steps = pd.date_range(hours[-1], periods=4, freq="h")[1:]
    future = pd.DataFrame({"price": [3.0, -2.0, 1.0]}, index=steps)
    return model.fit(frame), frame, future


def test_future_covariates_in_another_time_zone_are_paired_by_instant():
    # the same three instants in UTC were refused as other steps
    model, frame, future = _hourly_with_known_future()
    local = model.forecast(frame, future=future)
    in_utc = model.forecast(frame, future=future.tz_convert("UTC"))
    pd.testing.assert_series_equal(in_utc, local)
    reversed_prices = future.iloc[::-1].set_axis(future.index)
    assert not np.allclose(model.forecast(frame, future=reversed_prices), local)
    assert str(in_utc.index.tz) == "Europe/Berlin"
    shifted = future.tz_convert("UTC").tz_localize(None).tz_localize("Europe/Berlin")
    with pytest.raises(ValueError, match="index future by those steps"):
        model.forecast(frame, future=shifted)  # two hours off: other steps


def test_future_covariates_without_a_time_zone_are_refused_naming_it():
    model, frame, future = _hourly_with_known_future()
    with pytest.raises(ValueError, match=r"tz_localize\('Europe/Berlin'\)"):
        model.forecast(frame, future=future.tz_localize(None))


def _berlin_hours(start):
    hours = pd.date_range(start, periods=60, freq="h", tz="Europe/Berlin")
    return series_on(hours)


def test_backtest_start_repeated_by_the_clock_change_names_both_instants():
    from skseq.forecasting import backtest

    y = _berlin_hours("2024-10-26")
    with pytest.raises(ValueError, match="occurs twice") as info:
        backtest(naive(), y, start="2024-10-27 02:00")
    second = "2024-10-27 02:00:00+01:00"
    assert second in str(info.value)
    _, forecasts = backtest(naive(), y, start=second)
    assert forecasts.index[0] == pd.Timestamp(second)
    assert forecasts.index[0].utcoffset() == pd.Timedelta("1h")


def test_backtest_start_skipped_by_the_clock_change_names_the_next_time():
    from skseq.forecasting import backtest

    y = _berlin_hours("2024-03-30")
    with pytest.raises(ValueError, match="does not exist.*03:00:00\\+02:00"):
        backtest(naive(), y, start="2024-03-31 02:30")


def test_business_days_with_holidays_read_from_a_file_name_the_calendar():
    # the fix offered was regularize(X, freq='D'): weekends made up as rows
    from pandas.tseries.holiday import USFederalHolidayCalendar

    holidays = pd.offsets.CustomBusinessDay(calendar=USFederalHolidayCalendar())
    dates = pd.date_range("2024-06-03", "2024-07-31", freq=holidays)
    y = series_on(pd.DatetimeIndex(dates.to_numpy()))
    with pytest.raises(ValueError, match="business days") as info:
        naive().fit(y)
    message = str(info.value)
    assert "'2024-06-19', '2024-07-04'" in message
    assert "freq='D'" not in message and "freq='B'" in message
    with pytest.raises(ValueError, match="freq='B'"):
        regularize(y)
    calendar = pd.offsets.CustomBusinessDay(holidays=["2024-06-19", "2024-07-04"])
    fixed = y.asfreq(calendar)  # the fix named
    before_july_4 = fixed[:"2024-07-03"]
    forecast = naive().fit(fixed).forecast(before_july_4)
    assert forecast.index.strftime("%m-%d").tolist() == ["07-05", "07-08", "07-09"]


def _holiday_days(start="2024-06-03", end="2024-07-31"):
    calendar = pd.offsets.CustomBusinessDay(holidays=["2024-06-19", "2024-07-04"])
    return pd.date_range(start, end, freq=calendar, name="day")


def test_a_holiday_calendar_fits_without_pandas_speed_warnings():
    # every fit and forecast warned "Non-vectorized DateOffset being applied"
    y = series_on(_holiday_days())
    forecast = naive().fit(y).forecast(y[:"2024-07-03"])
    assert forecast.index[0] == pd.Timestamp("2024-07-05")


def test_a_dict_panel_keeps_the_holiday_calendar_of_its_series():
    # a panel lost its series' calendar and refused them as uneven
    from skseq.forecasting import backtest

    days = _holiday_days()
    panel = {"a": series_on(days), "b": 2 * series_on(days[3:])}
    model = naive(series_id="store").fit(panel)
    assert model.freq_ == days.freq
    before = {"a": panel["a"][:"2024-07-03"], "b": panel["b"][:"2024-06-18"]}
    forecast = model.forecast(before)
    assert forecast.loc["a"].index.strftime("%m-%d").tolist() == [
        "07-05",
        "07-08",
        "07-09",
    ]
    assert forecast.loc["b"].index[0] == pd.Timestamp("2024-06-20")
    _, forecasts = backtest(naive(series_id="store"), panel, start="2024-07-03")
    firsts = forecasts.loc["a"].index[:2].strftime("%m-%d").tolist()
    assert firsts == ["07-03", "07-05"]


def test_a_long_panel_on_holidays_is_refused_naming_the_dict_fix():
    days = pd.DatetimeIndex(_holiday_days().to_numpy(), name="day")
    long = pd.concat([series_on(days).to_frame().assign(store=k) for k in "ab"])
    with pytest.raises(ValueError, match=r"dict \{id: series\}"):
        naive(series_id="store").fit(long)


def test_backtest_start_at_midnight_of_data_at_six_names_the_time():
    from skseq.forecasting import backtest

    y = series_on(pd.date_range("2024-01-01 06:00", periods=30, freq="D"))
    with pytest.raises(ValueError, match="start='2024-01-20 06:00:00'"):
        backtest(naive(), y, start="2024-01-20")
    _, forecasts = backtest(naive(), y, start="2024-01-20 06:00:00")
    assert forecasts.index[0] == pd.Timestamp("2024-01-20 06:00")


@pytest.mark.parametrize(
    ("start", "end", "clocks"),
    [("2024-03-30", "2024-04-01", "skip"), ("2024-10-26", "2024-10-28", "repeat")],
)
def test_local_times_across_a_clock_change_are_told_to_take_their_zone(
    start, end, clocks
):
    # the fixes offered were to interpolate an hour that does not exist, or to
    # average two real hours into one
    hours = pd.date_range(start, end, freq="h", tz="Europe/Berlin")
    y = series_on(hours.tz_localize(None))
    with pytest.raises(ValueError, match=f"clocks {clocks} an hour") as info:
        naive().fit(y)
    assert "tz_localize('Europe/Berlin', ambiguous='infer')" in str(info.value)
    fixed = y.tz_localize("Europe/Berlin", ambiguous="infer")
    assert naive().fit(fixed).freq_ == pd.offsets.Hour()


def test_other_gaps_in_hours_get_no_clock_change_hint():
    hours = pd.date_range("2024-07-01", periods=48, freq="h")
    y = series_on(hours.delete(10))  # a Monday of July
    with pytest.raises(ValueError, match="not evenly spaced") as info:
        naive().fit(y)
    assert "daylight" not in str(info.value)


def test_predict_rows_without_the_fitted_time_zone_name_it():
    # "X must start at 2024-03-31 17:00:00+02:00 ... X starts at 2024-03-31
    # 17:00:00 instead": the same wall time, with no word of the zone
    y = series_on(pd.date_range("2024-03-30", periods=60, freq="h", tz="Europe/Berlin"))
    model = naive().fit(y[:40])
    with pytest.raises(ValueError, match=r"X.tz_localize\('Europe/Berlin'\)"):
        model.predict(y[40:].tz_localize(None))
    assert model.predict(y[40:].tz_localize(None).tz_localize("Europe/Berlin")).size
    july = series_on(pd.date_range("2024-07-01", periods=60, freq="h"))
    with pytest.raises(ValueError, match=r"tz_localize\(None\)"):
        naive().fit(july[:40]).predict(july[40:].tz_localize("Europe/Berlin"))


def test_backtest_start_on_a_weekend_of_business_days_names_the_next_date():
    from skseq.forecasting import backtest

    y = series_on(pd.bdate_range("2024-01-01", periods=30))
    with pytest.raises(ValueError, match="next date is 2024-01-22"):
        backtest(naive(), y, start="2024-01-20")  # a Saturday


def test_a_row_on_a_holiday_of_the_fitted_calendar_is_named():
    # the refusal named the largest step (a weekend) as the gap to fill
    days = _holiday_days()
    model = naive().fit(series_on(days))
    july_4 = pd.DatetimeIndex(["2024-07-04"])
    with_holiday = series_on(days[days < "2024-07-10"].append(july_4).sort_values())
    with pytest.raises(ValueError, match=r"between the steps.*2024-07-04 00:00:00"):
        model.forecast(with_holiday)
    weekdays = pd.bdate_range("2024-01-01", periods=12)
    saturday = pd.DatetimeIndex(["2024-01-06"])
    with_saturday = series_on(weekdays.append(saturday).sort_values())
    model = naive(window=2, horizon=1).fit(series_on(weekdays))
    with pytest.raises(ValueError, match="between the steps.*2024-01-06"):
        model.forecast(with_saturday)


def test_a_dict_panel_takes_the_calendar_of_the_series_that_carry_one():
    days = _holiday_days()
    without = pd.DatetimeIndex(days.to_numpy(), name="day")  # as read back
    panel = {"a": series_on(days), "b": series_on(without)}
    model = naive(series_id="store").fit(panel)
    assert model.freq_ == days.freq
    assert (
        model.forecast(panel)
        .loc["b"]
        .index.equals(model.forecast(panel).loc["a"].index)
    )


def test_a_dict_panel_of_several_time_zones_is_refused_naming_the_fix():
    # the refusal spoke of "X's index" holding "dates as objects"
    def hours(zone):
        return series_on(pd.date_range("2024-03-30", periods=30, freq="h", tz=zone))

    panel = {"berlin": hours("Europe/Berlin"), "chicago": hours("America/Chicago")}
    with pytest.raises(ValueError, match="one panel has one time zone"):
        naive(series_id="store").fit(panel)
    in_utc = {k: s.tz_convert("UTC") for k, s in panel.items()}
    forecast = naive(series_id="store").fit(in_utc).forecast(in_utc)
    last = panel["chicago"].index[-1] + pd.Timedelta("1h")
    assert forecast.loc["chicago"].index[0] == last


def test_future_quarters_of_another_fiscal_year_are_refused_naming_both():
    # "future is indexed 2022Q3 .. 2023Q1 (PeriodIndex), but the forecast
    # covers 2022Q3 .. 2023Q1 (PeriodIndex)": the same labels, other quarters
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skseq import FlattenSequence

    quarters = pd.period_range("2015Q1", periods=30, freq="Q-MAR")
    frame = pd.DataFrame({"y": np.arange(30.0), "x": np.arange(30.0) % 4}, quarters)
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()),
        window=4,
        horizon=3,
        target="y",
        future_covariates=["x"],
    ).fit(frame)
    steps = pd.period_range(quarters[-1] + 1, periods=3)
    future = pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=steps)
    assert model.forecast(frame, future=future).index.equals(steps)
    calendar_year = future.set_axis(pd.PeriodIndex(steps.strftime("%YQ%q"), freq="Q"))
    with pytest.raises(ValueError, match="'Q-DEC'.*'Q-MAR'"):
        model.forecast(frame, future=calendar_year)
