"""Calendars: the frequency of a ``DatetimeIndex`` without one (pandas'
inference, and the semi-months it cannot infer), a user's date read in the
time zone of an index (clock changes included), and the fixes that refusals
of dates name for calendars (holidays, clock changes, rows between steps)."""

import numpy as np

__all__ = [
    "business_day_hint",
    "clock_change_hint",
    "date_in_zone",
    "extra_dates_message",
    "has_extra_dates",
    "inferred_freq",
    "missing_business_days",
    "on_grid",
    "same_day_hint",
    "shifted",
]

_HOUR = np.timedelta64(1, "h")
# the last day_of_month a semi-month offset takes (pandas refuses 28 and over)
_LAST_SEMI_MONTH_DAY = 27


def inferred_freq(index):
    """The frequency pandas infers for a ``DatetimeIndex`` (at least 3 dates),
    else a semi-month one (``"SMS"``, ``"SME"``, any ``day_of_month``) the
    dates follow exactly, else None.

    ``pandas.infer_freq`` knows no semi-month frequency: the 1st and 15th of
    every month, read back from a file, would be refused as unevenly spaced.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Sorted dates.

    Returns
    -------
    freq : pandas.DateOffset or None
    """
    import pandas as pd

    if len(index) < 3:
        return None
    freq = pd.DatetimeIndex(index, freq="infer").freq
    if freq is not None:
        return freq
    for offset in _semi_month_candidates(index):
        if on_grid(index, offset):
            return offset
    return None


def _semi_month_candidates(index):
    """``SemiMonthBegin`` and ``SemiMonthEnd`` offsets whose mid-month day is
    one of the index's first days (the 1st or month ends are the other)."""
    import pandas as pd

    days = set(index[:3].day)
    middle = sorted(d for d in days if 1 < d <= _LAST_SEMI_MONTH_DAY)
    offsets = [pd.offsets.SemiMonthBegin(day_of_month=d) for d in middle]
    return offsets + [pd.offsets.SemiMonthEnd(day_of_month=d) for d in middle]


def missing_business_days(index):
    """The business days missing from dates that are all weekdays and span a
    weekend (holidays, a calendar pandas cannot infer), or None for other
    dates.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Sorted dates without a frequency.

    Returns
    -------
    missing : pandas.DatetimeIndex or None
    """
    import pandas as pd

    if len(index) < 3 or (index.day_of_week >= 5).any():
        return None
    if (index[-1] - index[0]).days < 7:
        return None
    days = pd.date_range(index[0], index[-1], freq="B")
    if len(days) > 10 * len(index) or not index.isin(days).all():
        return None
    return days.difference(index)


def business_day_hint(index, name):
    """The fix for business days with some missing (holidays), or None: the
    fix for other gaps (fill them at the step of the rows around them, often
    ``"D"`` there) would add weekends."""
    missing = missing_business_days(index)
    if missing is None or not len(missing):
        return None
    shown = ", ".join(f"'{day.date()}'" for day in missing[:3])
    more = ", ..." if len(missing) > 3 else ""
    return (
        f"{name}'s DatetimeIndex is not evenly spaced: its dates are business "
        f"days, but for {len(missing)} missing ({shown}{more}). If they are "
        f"holidays, give the index that calendar, {name}.asfreq(pd.offsets."
        f"CustomBusinessDay(holidays=[{shown}{more}])) (or calendar=... of "
        "pandas.tseries.holiday; a panel keeps it as a dict {id: series} of "
        "such series), so that forecasts skip them too; else fill "
        f"them, skseq.forecasting.regularize({name}, freq='B')."
    )


def on_grid(index, freq):
    """Whether the dates are ``index[0], index[0] + freq, ...``."""
    # As date_range(index[0], periods=len(index), freq=freq) == index, without
    # generating the grid date by date (slow for calendar offsets such as "MS"):
    # date_range rolls a start that is off the offset forward, so it must be on.
    if not freq.is_on_offset(index[0]):
        return False
    return bool((shifted(index[:-1], freq) == index[1:]).all())


def shifted(dates, freq):
    """``dates + freq``, without pandas' warning that custom business days
    have no vectorized addition (at every fit and forecast of a holiday
    calendar, about a speed the user cannot change)."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        return dates + freq


def date_in_zone(index, label, name):
    """``label`` as a Timestamp comparable with a ``DatetimeIndex``, as
    ``series.loc`` reads it: a date without time zone is a local time of a
    tz-aware index. A local time that the clock change skips or repeats is
    refused naming the dates to pass (pandas' own error names an argument the
    caller cannot pass).

    Parameters
    ----------
    index : pandas.DatetimeIndex
    label : str, datetime or pandas.Timestamp
    name : str
        The argument's name in messages (``"start"``).

    Returns
    -------
    stamp : pandas.Timestamp
    """
    import pandas as pd

    try:
        stamp = pd.Timestamp(label)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}={label!r} is not a date.") from exc
    if stamp is pd.NaT:
        raise ValueError(f"{name}={label!r} is not a date.")
    if index.tz is None and stamp.tz is not None:
        raise ValueError(
            f"{name}={label!r} is tz-aware, but the series' index has no time "
            f"zone: pass a date without one, e.g. {stamp.tz_localize(None)!s}."
        )
    if index.tz is not None and stamp.tz is None:
        return _localized(stamp, index.tz, label, name)
    return stamp


def _localized(stamp, tz, label, name):
    import pandas as pd

    try:
        return stamp.tz_localize(tz)
    except ValueError:  # skipped or repeated by a clock change
        pass
    first = stamp.tz_localize(tz, ambiguous=True, nonexistent="NaT")
    if first is pd.NaT:
        after = stamp.tz_localize(tz, nonexistent="shift_forward")
        raise ValueError(
            f"{name}={label!r} does not exist in {tz}: the clocks skip it. "
            f"Pass the next time that exists, e.g. {name}='{after}'."
        )
    second = stamp.tz_localize(tz, ambiguous=False)
    raise ValueError(
        f"{name}={label!r} occurs twice in {tz}: the clocks go back over it. "
        f"Pass it with its UTC offset: {name}='{first}' (the first) or "
        f"{name}='{second}' (the second)."
    )


def same_day_hint(index, stamp, name):
    """The date of ``index`` on ``stamp``'s day (a midnight date for data at
    06:00), else the next one (a Saturday of business days), as the fix of a
    ``stamp`` that is not one of them; "" when there is none."""
    import pandas as pd

    start = stamp.normalize()
    day = index[(index >= start) & (index < start + pd.offsets.Day(1))]
    if stamp in day:
        return ""
    if len(day):
        return f" Its dates that day are at {day[0].time()}: pass {name}='{day[0]}'."
    after = index[index > stamp]
    if not len(after) or stamp < index[0]:
        return ""
    return f" The series' next date is {after[0]}: pass {name}='{after[0]}'."


def clock_change_hint(index, name):
    """The fix for local times without a zone around a clock change, or "".

    Sub-daily dates without a time zone whose only uneven step is one hour
    more (an hour skipped: spring) or less (an hour repeated: autumn) than
    the others, at night from a Friday to a Sunday of spring or autumn, are
    most likely wall-clock times of a zone with daylight saving time; filling
    the hour, or averaging the repeated one, would model a day of 25 or 23
    hours as one of 24.
    """
    if index.tz is not None or len(index) < 4:
        return ""
    steps = np.diff(index.to_numpy())  # timedelta64, of the index's unit
    usual = np.median(steps)
    odd = np.flatnonzero(steps != usual)
    if usual > _HOUR or len(odd) != 1 or abs(steps[odd[0]] - usual) != _HOUR:
        return ""
    at = index[odd[0] + 1]
    # clocks change at night, from Friday to Sunday, in spring or autumn
    # (March-April, September-November, either hemisphere)
    if at.hour > 4 or at.day_of_week < 4 or at.month not in (3, 4, 9, 10, 11):
        return ""
    what = "skip" if steps[odd[0]] > usual else "repeat"
    return (
        f" If {name}'s dates are local times of a zone with daylight saving "
        f"time, its clocks {what} an hour at {at}: give them that zone "
        f"instead, e.g. {name}.tz_localize('Europe/Berlin', ambiguous='infer') "
        "(your zone), and its steps are even."
    )


def _extra_dates(index, freq):
    """The dates of ``index`` off the ``freq`` grid from its first date."""
    import pandas as pd

    try:  # a grid much longer than the index is not its calendar: not built
        n_steps = (index[-1] - index[0]) / pd.Timedelta(freq)
    except (TypeError, ValueError):  # calendar offsets: days and longer
        n_steps = 0
    if n_steps > 10 * len(index):
        return index[:0]
    grid = pd.date_range(index[0], index[-1], freq=freq)
    return index.difference(grid)


def has_extra_dates(index, freq):
    """Whether some dates fall between two steps of ``freq`` (a row on a
    holiday of a calendar that skips it, a Saturday of business days)."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        return freq.is_on_offset(index[0]) and bool(len(_extra_dates(index, freq)))


def extra_dates_message(index, name, freq):
    """The refusal of dates off the ``freq`` grid, naming them."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        extra = _extra_dates(index, freq)
    shown = ", ".join(str(date) for date in extra[:3])
    more = ", ..." if len(extra) > 3 else ""
    return (
        f"{name}'s DatetimeIndex has {len(extra)} date(s) between the steps of "
        f"its frequency {freq.freqstr!r} (that of the series seen in fit, or "
        f"of the panel's series): {shown}{more}, e.g. a row on a holiday of a "
        "calendar that skips it, or on a weekend of business days. Drop those "
        "rows, or use the calendar they follow."
    )
