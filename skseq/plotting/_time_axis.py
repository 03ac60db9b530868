"""Where the steps of a forecast plot sit on the x axis: dates, periods,
durations or step positions, from the pandas indexes of history and forecast."""

from ._steps import is_default

__all__ = ["check_time_zones", "follows", "index_kind", "is_datetime", "time_positions"]

_TIME_UNITS = (("days", "1D"), ("hours", "1h"), ("minutes", "1min"), ("seconds", "1s"))


def time_positions(past_index, future_index):
    """x positions of the past and forecast steps from their pandas indexes,
    and the x label: periods at their start dates (matplotlib cannot place a
    ``Period``), durations in the largest unit that counts every step whole
    (days, hours, minutes, else seconds; not nanoseconds), others as given."""
    import pandas as pd

    indexes = (past_index, future_index)
    if all(isinstance(index, pd.PeriodIndex) for index in indexes):
        return past_index.to_timestamp(), future_index.to_timestamp(), ""
    if all(isinstance(index, pd.TimedeltaIndex) for index in indexes):
        both = past_index.append(future_index)
        for name, unit in _TIME_UNITS:
            step = pd.Timedelta(unit)
            if name == "seconds" or not (both % step).any():
                break
        return past_index / step, future_index / step, f"time ({name})"
    return past_index, future_index, ""


def index_kind(index):
    """ "period", "M" (dates), "m" (durations) or "other": what matplotlib
    places an index's labels by."""
    import pandas as pd

    if isinstance(index, pd.PeriodIndex):
        return "period"
    kind = getattr(index.dtype, "kind", "O")
    return kind if kind in "Mm" else "other"


def follows(past_index, future_index):
    """Whether the forecast's labels place it after, or within, the history.
    Dates are taken as given, and so are other labels (a backtest's forecast
    from step 120 of a history on ``100 ... 129`` sits at 120); a forecast on
    the default ``0 ... h - 1`` index that does not come after the history (a
    ``pd.Series(predict(...))`` after a history on ``0 ... n - 1``) is not
    labelled: drawn there, it would sit over the start of the history."""
    if index_kind(past_index) != "other" or not len(past_index):
        return True
    if not is_default(future_index):
        return True
    try:
        return bool(future_index[0] > past_index[-1])
    except TypeError:  # labels that do not compare
        return True


def is_datetime(index):
    return getattr(index, "dtype", None) is not None and index.dtype.kind == "M"


def check_time_zones(past_index, future_index):
    """Refuse dates with a time zone next to dates without one: matplotlib
    reads naive dates as UTC, so a forecast of naive local times would sit
    hours away from a history in its time zone (before its end, over it)."""
    zones = [getattr(index, "tz", None) for index in (past_index, future_index)]
    if (zones[0] is None) == (zones[1] is None):
        return
    raise ValueError(
        f"The history's dates are in time zone {zones[0]}, the forecast's in "
        f"{zones[1]}: a date without a time zone is drawn as UTC, hours away "
        "from the other. Give both the same time zone (tz_localize or "
        "tz_convert)."
    )
